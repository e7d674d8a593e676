"""Prometheus metrics shared by every service (exposed on /metrics)."""

from __future__ import annotations

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "dvc_http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "dvc_http_request_duration_seconds", "HTTP request duration", ["service", "method", "route"]
)
OUTBOX_PUBLISHED = Counter("dvc_outbox_published_total", "Outbox events published and confirmed", ["service"])
OUTBOX_BACKLOG = Gauge("dvc_outbox_backlog", "Outbox events not yet published", ["service"])
OUTBOX_LAG = Gauge("dvc_outbox_lag_seconds", "Age of the oldest unpublished outbox event", ["service"])
CONSUMED = Counter(
    "dvc_consumer_messages_total", "Messages handled by consumers", ["service", "queue", "outcome"]
)
CONSUME_LATENCY = Histogram(
    "dvc_consumer_duration_seconds", "Time to handle one message, commit included", ["service", "queue"]
)
DEAD_LETTERS = Counter("dvc_dead_letters_total", "Messages sent to a dead-letter queue", ["service", "queue"])
BROKER_UP = Gauge("dvc_broker_up", "1 when the broker answered the last liveness check", ["service"])

__all__ = [
    "BROKER_UP",
    "CONSUMED",
    "CONSUME_LATENCY",
    "DEAD_LETTERS",
    "HTTP_LATENCY",
    "HTTP_REQUESTS",
    "OUTBOX_BACKLOG",
    "OUTBOX_LAG",
    "OUTBOX_PUBLISHED",
    "REGISTRY",
]
