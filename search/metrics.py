"""Prometheus metrics: requests and latency by endpoint and status, index generation and size.

In one process (tests, ``webtest``) the instruments live in the app's own registry. Under
gunicorn, ``deploy/gunicorn.conf.py`` sets ``PROMETHEUS_MULTIPROC_DIR`` (a fresh temporary
directory unless given) before any worker starts: every worker then writes its values to files
there, ``/metrics`` sums all workers' files (prometheus-client's multi-process mode), so
counters do not jump between scrapes answered by different workers, and the master's
``child_exit`` hook drops a dead worker's live gauges. The variable must be set before
prometheus-client is first imported; that is why the gunicorn config sets it.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """The service's instruments, in one registry per app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("steppe_requests", "HTTP requests answered", ["endpoint", "status"], registry=self.registry)
        self.latency = Histogram(
            "steppe_request_seconds",
            "Time to answer a request",
            ["endpoint", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        # in multi-process mode: the value the most recent scrape of any live worker set
        self.doc_count = Gauge(
            "steppe_index_documents",
            "Documents in the served index",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )
        self.generation = Gauge(
            "steppe_index_generation",
            "Number of the served index generation",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )

    def observe(self, endpoint: str, status: str, seconds: float) -> None:
        """Count and time one answered request."""
        self.requests.labels(endpoint, status).inc()
        self.latency.labels(endpoint, status).observe(seconds)

    def render(self) -> bytes:
        """The exposition text (summed over every worker's files in multi-process mode)."""
        if multiprocess_dir():
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


def multiprocess_dir() -> str | None:
    """The directory of multi-process mode, or ``None`` when metrics stay in-process."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
