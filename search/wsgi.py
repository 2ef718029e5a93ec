"""The gunicorn target: ``gunicorn -c deploy/gunicorn.conf.py search.wsgi:application``.

Settings come from the environment (``STEPPE_INDEX`` ...; see ``search.config``).
"""

from search.app import create_app
from search.config import Config

application = create_app(Config.from_env(), warm=True)
