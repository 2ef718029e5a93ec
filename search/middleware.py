"""Request id and one structured access-log line per request."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import uuid

import falcon

from search.metrics import Metrics

access_log = logging.getLogger("steppe.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Echo a sane incoming ``X-Request-ID`` or mint one; time and log every request."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Attach the request id and start time to the request context."""
        incoming = req.get_header("X-Request-ID") or ""
        req.context.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        req.context.started = time.perf_counter()
        resp.set_header("X-Request-ID", req.context.request_id)

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool) -> None:
        """Log method, path, status, latency and hit count as one JSON line."""
        started = req.context.get("started") or time.perf_counter()
        media = resp.media if isinstance(resp.media, dict) else {}
        access_log.info(
            json.dumps(
                {
                    "request_id": req.context.get("request_id"),
                    "method": req.method,
                    "path": req.path,
                    "query": req.query_string[:300],
                    "status": int(str(resp.status).split()[0]) if resp.status else 200,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "total": media.get("total"),
                },
                ensure_ascii=False,
            )
        )


class MetricsMiddleware:
    """Count and time every request by endpoint (the route template) and status."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool) -> None:
        """Record one request."""
        endpoint = req.uri_template or "unmatched"
        started = req.context.get("started") or time.perf_counter()
        self.metrics.observe(endpoint, str(resp.status).split()[0], time.perf_counter() - started)


class CachingMiddleware:
    """ETag and Cache-Control for API answers, keyed on the served index version.

    A CDN or browser may keep an answer until the index changes; ``If-None-Match`` with the
    current ETag gets a 304 without a body.
    """

    def __init__(self, max_age: int) -> None:
        self.max_age = max_age

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool) -> None:
        """Tag successful GET answers that carry an index version."""
        version = req.context.get("index_version")
        if req.method != "GET" or not req_succeeded or not version or not str(resp.status).startswith("200"):
            return
        tag = hashlib.sha1(f"{version} {req.relative_uri}".encode()).hexdigest()[:20]
        resp.etag = tag
        resp.cache_control = [f"public, max-age={self.max_age}"]
        resp.vary = ["Accept-Encoding", "Origin"]
        if any(str(t) == tag for t in req.if_none_match or []):
            resp.status = falcon.HTTP_304
            resp.media = None
            resp.text = None
