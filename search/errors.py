"""One error shape for every 4xx/5xx: ``{"error": {"code", "message", "param"}}``."""

from __future__ import annotations

import logging

import falcon

log = logging.getLogger("steppe.search")


class ParamError(ValueError):
    """A request parameter is missing, malformed or out of range (HTTP 400)."""

    def __init__(self, param: str, message: str, code: str = "invalid_parameter") -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.code = code


class QuerySyntaxError(ParamError):
    """The query text cannot be parsed (unbalanced quotes...)."""

    def __init__(self, message: str) -> None:
        super().__init__("q", message, code="query_syntax")


class IndexUnavailable(RuntimeError):
    """No published index can be opened (HTTP 503)."""


def error_body(code: str, message: str, param: str | None = None) -> dict[str, object]:
    """The canonical error document."""
    return {"error": {"code": code, "message": message, "param": param}}


def _respond(resp: falcon.Response, status: str, body: dict[str, object]) -> None:
    resp.status = status
    resp.media = body
    resp.content_type = falcon.MEDIA_JSON


def handle_param_error(req: falcon.Request, resp: falcon.Response, ex: ParamError, params: dict) -> None:
    """400 naming the offending parameter."""
    _respond(resp, falcon.HTTP_400, error_body(ex.code, ex.message, ex.param))


def handle_unavailable(req: falcon.Request, resp: falcon.Response, ex: IndexUnavailable, params: dict) -> None:
    """503 while no index can be served."""
    _respond(resp, falcon.HTTP_503, error_body("index_unavailable", str(ex)))


def handle_http_error(req: falcon.Request, resp: falcon.Response, ex: falcon.HTTPError, params: dict) -> None:
    """Falcon's own errors (404, 405...) in our shape."""
    code = (ex.title or "error").lower().replace(" ", "_")
    resp.set_headers(ex.headers or {})
    _respond(resp, ex.status, error_body(code, ex.description or ex.title or "error"))


def handle_unexpected(req: falcon.Request, resp: falcon.Response, ex: Exception, params: dict) -> None:
    """500 with the request id; the traceback goes to the log only."""
    if isinstance(ex, falcon.HTTPError):
        handle_http_error(req, resp, ex, params)
        return
    request_id = req.context.get("request_id", "")
    log.exception("unhandled error (request %s)", request_id)
    _respond(resp, falcon.HTTP_500, error_body("internal_error", f"internal error (request id {request_id})"))
