"""Build and run the gRPC server: servicer, health, reflection, limits, graceful shutdown."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from types import FrameType
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from cdss import admin, native
from cdss._proto import foot_drop_service_pb2
from cdss.admission import Gate
from cdss.audit import open_store
from cdss.auth import Authenticator
from cdss.config import ServerConfig
from cdss.errors import ConfigError
from cdss.evaluator import Evaluator
from cdss.http.app import FrontDoor
from cdss.http.serve import HttpServer
from cdss.metrics import WORKERS, Observer, TimedStore
from cdss.servicer import FootDropServicer, register

log = logging.getLogger("cdss.server")
SERVICE_NAME = foot_drop_service_pb2.DESCRIPTOR.services_by_name[
    "FootDropDecisionSupport"
].full_name


@dataclass
class RunningServer:
    server: grpc.Server
    port: int
    health: health.HealthServicer
    evaluator: Evaluator
    gate: Gate | None = None
    servicer: FootDropServicer | None = None

    def stop(self, grace: float | None) -> threading.Event:
        """Stop the server (calls drain for grace seconds); the returned event is set once
        it has stopped and the refused calls still waiting are audited."""
        self.health.enter_graceful_shutdown()
        stopped: threading.Event = self.server.stop(grace)
        done = threading.Event()

        def finish() -> None:
            stopped.wait()
            if self.gate is not None:
                self.gate.close()
            if self.servicer is not None:
                self.servicer.close()
            done.set()

        threading.Thread(target=finish, name="cdss-stop", daemon=True).start()
        return done


def transport_options(config: ServerConfig) -> list[tuple[str, Any]]:
    """Limits and keepalive enforcement, so a client cannot hold a process's resources:
    streams per connection and connections per process are capped; a connection that does
    not finish its handshake in 10 s, or stays idle for 5 minutes, is closed; the server pings
    an idle connection every 60 s and drops it when the ping is unanswered for 20 s; a client
    pinging more often than every 10 s without calls is sent GOAWAY after two strikes."""
    return [
        ("grpc.max_receive_message_length", config.max_message_bytes),
        ("grpc.max_send_message_length", 4 * config.max_message_bytes),
        ("grpc.so_reuseport", 1 if config.reuse_port else 0),
        ("grpc.max_concurrent_streams", config.max_streams_per_connection),
        ("grpc.max_allowed_incoming_connections", config.max_connections),
        ("grpc.server_handshake_timeout_ms", 10_000),
        ("grpc.max_connection_idle_ms", 300_000),
        ("grpc.keepalive_time_ms", 60_000),
        ("grpc.keepalive_timeout_ms", 20_000),
        ("grpc.keepalive_permit_without_calls", 0),
        ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
        ("grpc.http2.max_ping_strikes", 2),
    ]


def create_server(
    config: ServerConfig, evaluator: Evaluator | None = None
) -> tuple[grpc.Server, int]:
    """Build the server (not started) and bind it; returns (server, bound port)."""
    running = build_server(config, evaluator)
    return running.server, running.port


def server_credentials(config: ServerConfig) -> grpc.ServerCredentials | None:
    """TLS credentials from the configured PEM files (None: plaintext)."""
    if config.tls_cert is None and config.tls_key is None:
        if config.tls_client_ca is not None:
            raise ConfigError("--tls-client-ca needs --tls-cert and --tls-key")
        return None
    if config.tls_cert is None or config.tls_key is None:
        raise ConfigError("TLS needs both --tls-cert and --tls-key")
    try:
        chain = config.tls_cert.read_bytes()
        key = config.tls_key.read_bytes()
        ca = config.tls_client_ca.read_bytes() if config.tls_client_ca else None
    except OSError as exc:
        raise ConfigError(f"cannot read a TLS file: {exc}") from exc
    return grpc.ssl_server_credentials(
        [(key, chain)], root_certificates=ca, require_client_auth=ca is not None
    )


def build_server(config: ServerConfig, evaluator: Evaluator | None = None) -> RunningServer:
    """The server with every service registered and its port bound (not started)."""
    credentials = server_credentials(config)
    authenticator = Authenticator.from_file(config.tokens_file) if config.tokens_file else None
    evaluator = evaluator or Evaluator.from_directory(config.rules_dir)
    audit = TimedStore(open_store(config.audit)) if config.audit else None
    servicer = FootDropServicer(
        evaluator, config.max_case_bytes, audit, authenticator, threads=config.threads
    )
    gate = Gate(authenticator, config.receive_timeout, servicer.record_refused)
    rb = evaluator.compiled.rulebase
    observer = Observer(rb.meta.version, rb.content_hash)  # outermost: sees refusals too
    max_calls = max(config.max_calls, config.threads)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_calls, thread_name_prefix="cdss-call"),
        options=transport_options(config),
        interceptors=[observer, gate],
        maximum_concurrent_rpcs=max_calls,
    )
    register(servicer, server)
    admin.register(server, evaluator)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    if credentials is None:
        port = server.add_insecure_port(config.address)
    else:
        port = server.add_secure_port(config.address, credentials)
    if port == 0:
        raise OSError(f"cannot bind {config.address}")
    # the rule base is loaded and compiled: only now does the service report SERVING
    for name in ("", SERVICE_NAME):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server, port, health_servicer, evaluator, gate, servicer)


def start_http(config: ServerConfig, running: RunningServer) -> HttpServer:
    """The CDS Hooks / FHIR front door beside this gRPC server, sharing its evaluator, audit
    store and tokens (cdss/http/serve.py)."""
    servicer = running.servicer
    front = FrontDoor(
        running.evaluator,
        audit=servicer.audit if servicer else None,
        authenticator=servicer.authenticator if servicer else None,
        max_case_bytes=config.max_case_bytes,
        threads=config.threads,
        receive_timeout=config.receive_timeout,
        cors_origins=tuple(o.strip() for o in config.http_cors_origins.split(",") if o.strip()),
        public_url=config.http_public_url,
    )
    http = HttpServer(config, front)
    port = http.start()
    log.info(
        "serving CDS Hooks and FHIR on http%s://%s:%d",
        "s" if config.tls_cert else "",
        config.bind,
        port,
    )
    return http


def serve_one(
    config: ServerConfig,
    ready: Callable[[int], None] | None = None,
    signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT),
    evaluator: Evaluator | None = None,
    beat: Callable[[], None] | None = None,
) -> int:
    """Serve in this process until one of `signals`, then drain in-flight calls for
    grace_seconds. `ready(port)` is called once the server accepts calls, `beat()` twice a
    second while serving (the supervisor's watchdog: a frozen process stops beating)."""
    running = build_server(config, evaluator)
    # The compiled rule base and its precomputed tables live as long as the process: moved out
    # of the collector's generations, so the collections an evaluation's garbage triggers no
    # longer walk them (per-call garbage is still collected).
    gc.collect()
    gc.freeze()
    running.server.start()
    http = start_http(config, running) if config.http_port >= 0 else None
    rb = running.evaluator.compiled.rulebase
    log.info(
        "serving %s on %s:%d rules=%d version=%s %s; %s",
        SERVICE_NAME,
        config.bind,
        running.port,
        len(rb.rules),
        rb.meta.version,
        rb.content_hash,
        native.status().describe(),
    )
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: draining for up to %.1fs", signum, config.grace_seconds)
        stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in signals}
    if ready is not None:
        ready(running.port)
    WORKERS.inc()
    try:
        while not stopping.wait(0.5):
            if beat is not None:
                beat()
        stopped = running.stop(config.grace_seconds)
        if http is not None:
            http.stop(config.grace_seconds)
        stopped.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        WORKERS.dec()
        live = running.evaluator.engine.live_sessions
        running.evaluator.close()
    log.info("stopped live_sessions=%d", live)
    return 0
