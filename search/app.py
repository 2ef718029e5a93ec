"""``create_app(config)``: wires the engine and resources into a Falcon WSGI app. Nothing else."""

from __future__ import annotations

from pathlib import Path

import falcon

from search import errors
from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.middleware import RequestIdMiddleware
from search.resources.health import HealthResource
from search.resources.page import PageResource
from search.resources.search import SearchResource

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(config: Config) -> falcon.App:
    """A ready WSGI app serving ``config.index_dir``."""
    provider = IndexProvider(config.index_dir, config.reload_interval)
    engine = SearchEngine(provider, config)
    app = falcon.App(middleware=[RequestIdMiddleware()])
    app.req_options.keep_blank_qs_values = True
    app.resp_options.secure_cookies_by_default = False
    app.add_route("/api/search", SearchResource(engine, config))
    app.add_route("/healthz", HealthResource(engine))
    app.add_route("/", PageResource(engine, config))
    app.add_static_route("/static", str(STATIC_DIR))
    app.add_error_handler(Exception, errors.handle_unexpected)
    app.add_error_handler(falcon.HTTPError, errors.handle_http_error)
    app.add_error_handler(errors.ParamError, errors.handle_param_error)
    app.add_error_handler(errors.IndexUnavailable, errors.handle_unavailable)
    return app
