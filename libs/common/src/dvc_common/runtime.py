"""Builds one service process: database, broker, consumers, outbox relay, HTTP app and probes."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any
from wsgiref.simple_server import WSGIServer

import aiormq
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream import AckPolicy
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import start_http_server
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dvc_common import metrics
from dvc_common.client_address import TrustedProxies
from dvc_common.clock import CLOCK_CHANGED, SYSTEM_CLOCK, Clock
from dvc_common.clock_follow import ClockFollower
from dvc_common.consumers import Consumer, RetryPolicy, subscribe
from dvc_common.db import make_engine, ping, unit_of_work
from dvc_common.edge import HTML_CSP, InputGuard, SecurityHeaders
from dvc_common.events import INTERNAL_EXCHANGE, CloudEvent
from dvc_common.openapi import install_openapi
from dvc_common.outbox import EVENTS_ADDED, outbox_for
from dvc_common.problems import install_problem_handlers
from dvc_common.relay import AmqpPublisher, OutboxRelay
from dvc_common.settings import ServiceSettings
from dvc_common.telemetry import setup_logging, setup_tracing
from dvc_common.tokens import Denylist, verifier_for
from dvc_common.topology import EXCHANGES, declare_topology

log = logging.getLogger(__name__)


class ServiceRuntime:
    """Everything a service process owns; routes and handlers reach it through `request.app.state`."""

    def __init__(
        self, settings: ServiceSettings, consumers: Sequence[Consumer] = (), *, clock: Clock | None = None
    ) -> None:
        self.settings = settings
        self.name = settings.service_name
        setup_logging(self.name, settings.log_level, settings.log_json)
        setup_tracing(self.name, settings.otlp_endpoint)
        self.engine = make_engine(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
        self._uow = unit_of_work(self.engine)
        self.broker = RabbitBroker(
            settings.amqp_url.get_secret_value(),
            logger=logging.getLogger(f"dvc.{self.name}.broker"),
            app_id=f"dvc-{self.name}",
            log_level=logging.DEBUG,  # "Received"/"Processed" per message only when debugging
        )
        self.outbox = outbox_for(settings)
        self.relay_publisher = AmqpPublisher(settings.amqp_url.get_secret_value())
        self.relay = OutboxRelay(
            self.engine,
            self.relay_publisher,
            service=self.name,
            partitions=settings.relay_partitions,
            batch_size=settings.relay_batch_size,
            idle_seconds=settings.relay_idle_seconds,
        )
        self.consumers = list(consumers)
        self.retry_policy = RetryPolicy(
            max_attempts=settings.consumer_max_attempts, base_delay_ms=settings.consumer_retry_base_ms
        )
        for consumer in self.consumers:
            subscribe(
                self.broker,
                consumer,
                service=self.name,
                transaction=self.transaction,
                policy=self.retry_policy,
                prefetch=settings.consumer_prefetch,
            )
        self.denylist = Denylist()
        self.token_verifier = verifier_for(settings, revoked=self.denylist.revoked)
        self._subscribe_officer_revocations()
        self._stop = asyncio.Event()
        self._relay_task: asyncio.Task[None] | None = None
        self._checks: dict[str, Callable[[], Awaitable[None]]] = {}
        self._dependencies: dict[str, Callable[[], Awaitable[None]]] = {}
        self._metrics_server: WSGIServer | None = None
        self.clock = clock or SYSTEM_CLOCK  # one per process; tests may give replicas their own
        self.clock.configure(movable=settings.environment != "production")
        self.clock_follower: ClockFollower | None = None
        if self.clock.movable:
            self._subscribe_clock_changes()
            if settings.clock_url:
                self.clock_follower = ClockFollower(
                    settings.clock_url, self.clock, resync_seconds=settings.clock_resync_seconds
                )
                self.add_readiness_check("clock", self.clock_follower.ready)

    def _subscribe_clock_changes(self) -> None:
        """Every replica applies every clock change (its own exclusive queue on dvc.internal)."""
        queue = RabbitQueue(
            f"{self.name}.clock.{uuid.uuid4().hex[:12]}",
            exclusive=True,
            auto_delete=True,
            routing_key=CLOCK_CHANGED.routing_key,
        )

        @self.broker.subscriber(
            queue, EXCHANGES[INTERNAL_EXCHANGE], ack_policy=AckPolicy.REJECT_ON_ERROR, title="clock-changes"
        )
        async def on_clock_change(msg: RabbitMessage) -> None:
            event = CloudEvent.model_validate_json(msg.body)
            self.clock.apply(CLOCK_CHANGED.parse(event.data))

    def _subscribe_officer_revocations(self) -> None:
        """Every replica hears every officer lock or change (its own exclusive queue), so a token of
        a locked or moved officer is refused at once here too, without asking identity per request.
        """
        queue = RabbitQueue(
            f"{self.name}.officer-revocations.{uuid.uuid4().hex[:12]}",
            exclusive=True,
            auto_delete=True,
            routing_key="officer.*.v1",
        )

        @self.broker.subscriber(
            queue,
            EXCHANGES[INTERNAL_EXCHANGE],
            ack_policy=AckPolicy.REJECT_ON_ERROR,
            title="officer-revocations",
        )
        async def on_officer_change(msg: RabbitMessage) -> None:
            event = CloudEvent.model_validate_json(msg.body)
            self.denylist.apply_event(event.routing_key, event.data)

    def add_readiness_check(self, name: str, check: Callable[[], Awaitable[None]]) -> None:
        """Another condition `/readyz` must see hold (it raises when it does not)."""
        self._checks[name] = check

    def add_dependency_check(self, name: str, check: Callable[[], Awaitable[None]]) -> None:
        """A dependency some requests need (intake's blob store) shown by `/healthz` and alerted on,
        not by `/readyz`: every replica shares it, so taking them out of the balancer would turn a
        partial outage (uploads fail) into a total one (look-ups and reads fail too)."""
        self._dependencies[name] = check

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """The unit of work: commit once at the boundary, then wake the relay if events were added."""
        async with self._uow() as session:
            yield session
        if session.info.get(EVENTS_ADDED):
            self.relay.notify()

    async def start(self, *, relay: bool = True) -> None:
        await self.broker.connect()
        await declare_topology(self.broker, [c.spec for c in self.consumers])
        await self.broker.start()
        if relay:
            self._stop.clear()
            self._relay_task = asyncio.create_task(self.relay.run(self._stop), name=f"{self.name}-relay")
        if self.clock_follower is not None:
            self.clock_follower.start()
        if self.settings.metrics_port is not None:
            self._metrics_server, _ = start_http_server(
                self.settings.metrics_port, addr=self.settings.metrics_host, registry=metrics.REGISTRY
            )
        log.info("service started", extra={"consumers": [c.spec.name for c in self.consumers]})

    async def stop(self) -> None:
        if self._metrics_server is not None:
            self._metrics_server.shutdown()
            self._metrics_server.server_close()
            self._metrics_server = None
        if self.clock_follower is not None:
            await self.clock_follower.stop()
        self._stop.set()
        self.relay.notify()
        if self._relay_task is not None:
            await self._relay_task
            self._relay_task = None
        await self.relay_publisher.close()
        try:
            await self.broker.stop()
        except* (ConnectionError, aiormq.exceptions.AMQPError) as lost:
            # The broker went away first (a restart, a removed vhost): there is nothing left to
            # cancel, unacknowledged messages are redelivered; the replica still stops cleanly.
            log.warning(
                "broker connection lost before stopping", extra={"errors": [repr(e) for e in lost.exceptions]}
            )
        await self.engine.dispose()
        log.info("service stopped")

    async def readiness(self) -> dict[str, str]:
        """Can this replica serve requests? Its database, and the checks the service added.

        The broker is not among them: with the outbox a request succeeds while the broker is down
        (events wait in the outbox), so a broker outage must not take the API out of the balancer.
        """
        checks: dict[str, str] = {"database": await _check(ping(self.engine))}
        for name, check in self._checks.items():
            checks[name] = await _check(check())
        return checks

    async def liveness(self) -> dict[str, str]:
        """The background side: the broker the consumers and the relay need, and the relay task."""
        broker = "ok" if await self.broker.ping(timeout=2) else "error: unreachable"
        metrics.BROKER_UP.labels(self.name).set(1 if broker == "ok" else 0)
        task = self._relay_task
        relay = "off" if task is None else ("ok" if not task.done() else "error: stopped")
        report = {"broker": broker, "relay": relay}
        for name, check in self._dependencies.items():
            report[name] = await _check(check())
        return report


async def _check(probe: Awaitable[None]) -> str:
    try:
        await asyncio.wait_for(probe, timeout=2)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def runtime_of(request: Request) -> ServiceRuntime:
    """FastAPI dependency: the service's runtime (database transactions, outbox, broker)."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_of)]
Hook = Callable[[ServiceRuntime], Awaitable[None]]


class HttpMetrics:
    """Counts and times every request by route template (`/api/v1/dossiers/{code}`), never by the
    raw path: a path no route matches is one label, `unmatched`, so unique URLs add no series."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception escaping the app is answered 500 further out

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = route_template(scope)
            metrics.HTTP_REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(self.service, scope["method"], route).observe(
                time.perf_counter() - started
            )


def route_template(scope: Scope) -> str:
    """The template of the route the router chose for `scope` (it records it there; for a wrong
    method, the route of that path), or `unmatched`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


def create_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    version: str = "0.1.0",
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    html_csp: str = HTML_CSP,
) -> FastAPI:
    """The FastAPI app of a service: lifespan, problem+json errors, bad input refused at the edge
    (`dvc_common.edge`), security headers (`html_csp`: the Content-Security-Policy of its HTML
    pages; a route may set its own header), probes, metrics and tracing."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        for hook in on_startup:
            await hook(runtime)
        yield
        # Background work first (it may still need the database), then consumers, relay, engine.
        for hook in on_shutdown:
            await hook(runtime)
        await runtime.stop()

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.token_verifier = runtime.token_verifier  # a service may replace it (identity does)
    install_problem_handlers(app)

    @app.get("/healthz", tags=["ops"], summary="Liveness; reports the broker and the relay (for alerts)")
    async def healthz() -> dict[str, Any]:
        # Always 200 while the process answers: restarting replicas would not bring the broker back.
        return {
            "status": "ok",
            "service": runtime.name,
            "background": await runtime.liveness(),
            "clock": {"now": runtime.clock.now().isoformat(), "version": runtime.clock.setting.version},
        }

    @app.get(
        "/readyz",
        tags=["ops"],
        summary="Readiness: the database (not the broker) reachable",
        responses={
            503: {
                "description": "Chưa sẵn sàng",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
        )

    for router in routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    app.add_middleware(InputGuard)
    install_openapi(app)
    app.add_middleware(HttpMetrics, service=runtime.name)
    _outermost(app, TrustedProxies.parse(runtime.settings.trusted_proxies), html_csp)
    return app


def _outermost(app: FastAPI, proxies: TrustedProxies, html_csp: str) -> None:
    """Security headers outside everything, the server-error middleware (the last-resort 500)
    included: wraps the stack builder after OpenTelemetry wrapped it (it insists on finding
    Starlette's own outermost middleware)."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build(), proxies=proxies, html_csp=html_csp)

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
