"""Prometheus metrics: requests and latency by endpoint and status, index generation and size.

Each gunicorn worker keeps its own registry unless ``PROMETHEUS_MULTIPROC_DIR`` is set (then
prometheus-client aggregates across workers, the documented multi-process mode).
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
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.doc_count = Gauge("steppe_index_documents", "Documents in the served index", registry=self.registry)
        self.generation = Gauge("steppe_index_generation", "Number of the served index generation", registry=self.registry)

    def render(self) -> bytes:
        """The exposition text (aggregated across workers in multi-process mode)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
