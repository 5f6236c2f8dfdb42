"""Run the HTTP front door (uvicorn) in a gRPC worker process, beside its gRPC server.

Each worker serves HTTP on the same port with SO_REUSEPORT (the supervisor reserves it, as it
does the gRPC port), with the worker's own evaluator, audit store and tokens: the same rule
base, pinned by the supervisor, answers both doors, and a reload moves both together. uvicorn
runs on its own thread and event loop; evaluations go to a thread pool capped at `threads`.
TLS and mutual TLS take the gRPC options (the same certificate files).
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time

import uvicorn

from cdss.config import ServerConfig
from cdss.errors import ConfigError
from cdss.http.app import FrontDoor, build_app

log = logging.getLogger("cdss.http")
START_TIMEOUT = 30.0


def bind_socket(config: ServerConfig) -> socket.socket:
    family = socket.AF_INET6 if ":" in config.bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if config.reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((config.bind.strip("[]"), config.http_port))
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def _tls(config: ServerConfig) -> dict[str, object]:
    if config.tls_cert is None and config.tls_key is None:
        return {}
    if config.tls_cert is None or config.tls_key is None:
        raise ConfigError("TLS needs both --tls-cert and --tls-key")
    options: dict[str, object] = {
        "ssl_certfile": str(config.tls_cert),
        "ssl_keyfile": str(config.tls_key),
    }
    if config.tls_client_ca is not None:
        options["ssl_ca_certs"] = str(config.tls_client_ca)
        options["ssl_cert_reqs"] = ssl.CERT_REQUIRED
    return options


class HttpServer:
    """uvicorn on a thread; `start()` returns the bound port once it accepts connections."""

    def __init__(self, config: ServerConfig, front: FrontDoor) -> None:
        self.sock = bind_socket(config)
        self.port: int = self.sock.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(
                build_app(front),
                log_config=None,
                access_log=False,  # the app logs each call without patient data
                timeout_keep_alive=30,
                limit_concurrency=max(config.max_calls, config.threads),
                h11_max_incomplete_event_size=64 * 1024,
                server_header=False,
                **_tls(config),  # type: ignore[arg-type]
            )
        )
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, name="cdss-http", daemon=True
        )

    def start(self) -> int:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise ConfigError("the HTTP front door did not start (see the log)")
            time.sleep(0.02)
        return self.port

    def stop(self, grace: float) -> None:
        """Stop accepting, let calls in flight finish for up to grace seconds."""
        self.server.config.timeout_graceful_shutdown = max(int(grace + 0.999), 1)
        self.server.should_exit = True
        self.thread.join(grace + 5)
        self.sock.close()
