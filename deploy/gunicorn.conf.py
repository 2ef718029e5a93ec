"""gunicorn settings for Steppe Search, all overridable from the environment.

Used by ``steppe-search serve`` and by the systemd unit / container:
``gunicorn -c deploy/gunicorn.conf.py search.wsgi:application``.

Sync workers by default, one request at a time per process: a search is CPU-bound Python
(the GIL lets one thread run at a time), and a sync worker accepts a connection only when it is
free, so the load spreads evenly. Measured with bench/load.py on the 72.8 k-document index
(2 cores, wrk): 2 sync workers served 138 requests/s at zero errors, 2 gthread workers with 4
threads each 79. Behind nginx (deploy/nginx.conf) keep-alive to the client is nginx's job.
``STEPPE_THREADS`` > 1 selects threaded workers (gthread) instead: each thread keeps its own
Whoosh searcher (see search/index_provider.py), and the search time limit never uses SIGALRM.

Metrics: prometheus-client's multi-process mode, so ``/metrics`` sums every worker. Its
directory is ``PROMETHEUS_MULTIPROC_DIR`` when given (stale ``*.db`` files there are removed
when gunicorn starts, as prometheus-client asks), else a fresh temporary directory made here and
removed when gunicorn exits. It is set in the master, before any worker imports
prometheus-client (which picks its storage at import); ``child_exit`` drops a dead worker's
live gauges. gunicorn re-reads this file on SIGHUP: the directory made the first time is kept.
"""

import os
import shutil
import tempfile
from pathlib import Path

_OWNED_MARK = "STEPPE_OWN_METRICS_DIR"  # the directory this config made (survives a SIGHUP reload)
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[_OWNED_MARK] = tempfile.mkdtemp(prefix="steppe-metrics-")
_METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"]
_OWN_METRICS_DIR = _METRICS_DIR if os.environ.get(_OWNED_MARK) == _METRICS_DIR else None

bind = os.environ.get("STEPPE_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("STEPPE_WORKERS", "2"))
threads = int(os.environ.get("STEPPE_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("STEPPE_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("STEPPE_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("STEPPE_KEEPALIVE", "5"))
max_requests = int(os.environ.get("STEPPE_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("STEPPE_MAX_REQUESTS_JITTER", "0"))
loglevel = os.environ.get("STEPPE_LOG_LEVEL", "info")
accesslog = os.environ.get("STEPPE_ACCESS_LOG") or None  # our middleware logs one JSON line per request
errorlog = os.environ.get("STEPPE_ERROR_LOG", "-")
proc_name = "steppe-search"
# Load the app in each worker (not the master) so every worker opens its own index files.
preload_app = False
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "steppe": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        # gunicorn's own access line only when asked for: the app already logs one JSON line per request
        "gunicorn.access": {"handlers": ["stderr"] if accesslog else [], "level": "INFO", "propagate": False},
    },
}


def on_starting(server):
    """Before the first worker: clear counters a previous run left in a given directory."""
    for stale in Path(_METRICS_DIR).glob("*.db"):
        stale.unlink(missing_ok=True)


def child_exit(server, worker):
    """A worker exited: drop its live gauges from the metrics directory (its counters stay)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """gunicorn is stopping: remove the metrics directory if this config made it."""
    if _OWN_METRICS_DIR:
        shutil.rmtree(_OWN_METRICS_DIR, ignore_errors=True)
