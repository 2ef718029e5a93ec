"""Request id and one structured access-log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

import falcon

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
