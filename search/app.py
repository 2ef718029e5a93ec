"""``create_app(config)``: wires the engine and resources into a Falcon WSGI app. Nothing else."""

from __future__ import annotations

from pathlib import Path

import falcon

from search import errors
from search.config import Config
from search.engine import SearchEngine
from search.index_provider import IndexProvider
from search.metrics import Metrics
from search.middleware import CachingMiddleware, MetricsMiddleware, RequestIdMiddleware
from search.resources.articles import ArticleResource
from search.resources.health import HealthResource, ReadyResource
from search.resources.misc import MetricsResource, OpenAPIResource, SuggestResource
from search.resources.page import PageResource
from search.resources.search import SearchResource

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(config: Config, *, warm: bool = False) -> falcon.App:
    """A ready WSGI app serving ``config.index_dir``; ``warm`` opens the index now (server workers)."""
    provider = IndexProvider(config.index_dir, config.reload_interval)
    engine = SearchEngine(provider, config)
    if warm:
        engine.warm_up()
    metrics = Metrics()
    origins = "*" if config.cors_origins.strip() == "*" else [o.strip() for o in config.cors_origins.split(",") if o.strip()]
    app = falcon.App(
        middleware=[
            RequestIdMiddleware(),
            falcon.CORSMiddleware(allow_origins=origins, expose_headers=["X-Request-ID", "ETag"]),
            CachingMiddleware(config.cache_max_age),
            MetricsMiddleware(metrics),
        ]
    )
    app.req_options.keep_blank_qs_values = True
    app.resp_options.secure_cookies_by_default = False
    app.add_route("/api/search", SearchResource(engine, config))
    app.add_route("/api/suggest", SuggestResource(engine, config))
    app.add_route("/api/articles/{article_id}", ArticleResource(engine))
    app.add_route("/healthz", HealthResource(engine))
    app.add_route("/readyz", ReadyResource(engine))
    app.add_route("/metrics", MetricsResource(metrics, engine))
    app.add_route("/openapi.json", OpenAPIResource())
    app.add_route("/", PageResource(engine, config))
    app.add_static_route("/static", str(STATIC_DIR))
    app.add_error_handler(Exception, errors.handle_unexpected)
    app.add_error_handler(falcon.HTTPError, errors.handle_http_error)
    app.add_error_handler(errors.ParamError, errors.handle_param_error)
    app.add_error_handler(errors.IndexUnavailable, errors.handle_unavailable)
    return app
