"""`python -m cdss serve`: N worker processes sharing one port, under a supervisor.

- The supervisor reserves the port (a bound, never-listening SO_REUSEPORT socket, so port 0
  works and the port stays ours while workers restart) and starts N workers
  (`python -m cdss.worker`), each with its own rule base, engine and gRPC server listening on
  that port with SO_REUSEPORT; the kernel spreads connections over them.
- A worker that dies (durable-rules is a C extension with known crash bugs) is replaced; the
  calls it was serving fail with UNAVAILABLE (retry-safe), the other workers are unaffected.
  Restarts back off when a worker keeps dying.
- SIGTERM or SIGINT: every worker drains its in-flight calls (grace period), new calls are
  refused, then the supervisor exits.
- SIGHUP: reload the rule base. A new generation of workers is started from the rule files
  as they are now; only when every new worker has loaded and validated the rule base are the
  old workers drained and stopped. If the new rule base is invalid, the new workers are
  discarded with the error logged, and the old ones keep serving.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from cdss.config import ServerConfig

log = logging.getLogger("cdss.supervisor")
READY_TIMEOUT = 120.0
POLL_SECONDS = 0.2
MAX_RESTARTS = 5  # within RESTART_WINDOW seconds, before restarts slow down
RESTART_WINDOW = 60.0


class StartFailure(Exception):
    """A worker did not become ready (its message says why, e.g. an invalid rule base)."""


@dataclass
class Worker:
    process: subprocess.Popen[str]
    generation: int
    slot: int


@dataclass
class Supervisor:
    config: ServerConfig
    port_file: Path | None = None
    generation: int = 0
    workers: list[Worker] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _reload: threading.Event = field(default_factory=threading.Event)
    _restarts: deque[float] = field(default_factory=deque)
    _socket: socket.socket | None = None
    port: int = 0

    # ---- ports and processes ---------------------------------------------------------------
    def _reserve_port(self) -> int:
        family = socket.AF_INET6 if ":" in self.config.bind else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((self.config.bind.strip("[]"), self.config.port))
        self._socket = sock
        port: int = sock.getsockname()[1]
        return port

    def _worker_config(self) -> ServerConfig:
        return dataclasses.replace(self.config, port=self.port, reuse_port=True)

    def _spawn(self, slot: int, generation: int) -> Worker:
        env = dict(os.environ, CDSS_WORKER_CONFIG=self._worker_config().to_json())
        process = subprocess.Popen(
            [sys.executable, "-m", "cdss.worker"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        return Worker(process, generation, slot)

    @staticmethod
    def _await_ready(worker: Worker) -> None:
        """Wait for the worker's READY line; raise StartFailure with its ERROR line."""
        assert worker.process.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(worker.process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + READY_TIMEOUT
            while time.monotonic() < deadline:
                if sel.select(timeout=0.5):
                    line = worker.process.stdout.readline().strip()
                    if line.startswith("READY"):
                        return
                    if line.startswith("ERROR") or not line:
                        worker.process.wait(timeout=10)
                        raise StartFailure(line.removeprefix("ERROR ").strip() or "worker exited")
                elif worker.process.poll() is not None:
                    raise StartFailure(f"worker exited with code {worker.process.returncode}")
        worker.process.kill()
        raise StartFailure(f"worker not ready after {READY_TIMEOUT:.0f}s")

    def _start_generation(self) -> list[Worker]:
        generation = self.generation + 1
        started = [self._spawn(slot, generation) for slot in range(self.config.workers)]
        try:
            for w in started:
                self._await_ready(w)
        except StartFailure:
            self._terminate(started, grace=0)
            raise
        self.generation = generation
        return started

    def _terminate(self, workers: list[Worker], grace: float) -> None:
        for w in workers:
            if w.process.poll() is None:
                w.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace + 5
        for w in workers:
            try:
                w.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker %d did not stop in time: killed", w.process.pid)
                w.process.kill()
                w.process.wait()
            if w.process.stdout is not None:
                w.process.stdout.close()

    # ---- the loop ------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._reload.set()
        else:
            self._stop.set()

    def _replace_dead(self) -> None:
        for i, w in enumerate(self.workers):
            code = w.process.poll()
            if code is None:
                continue
            log.error(
                "worker %d (slot %d) died with code %s; replacing it", w.process.pid, w.slot, code
            )
            if w.process.stdout is not None:
                w.process.stdout.close()
            now = time.monotonic()
            self._restarts.append(now)
            while self._restarts and now - self._restarts[0] > RESTART_WINDOW:
                self._restarts.popleft()
            if len(self._restarts) > MAX_RESTARTS:
                log.error(
                    "workers keep dying (%d restarts in %.0fs): backing off",
                    len(self._restarts),
                    RESTART_WINDOW,
                )
                self._stop.wait(5)
            replacement = self._spawn(w.slot, w.generation)
            try:
                self._await_ready(replacement)
            except StartFailure as exc:
                log.error("replacement worker failed to start: %s", exc)
                continue  # retried on the next round
            self.workers[i] = replacement

    def _reload_rules(self) -> None:
        log.info("reloading the rule base from %s", self.config.rules_dir)
        try:
            fresh = self._start_generation()
        except StartFailure as exc:
            log.error("rule base reload refused, the current rule base keeps serving: %s", exc)
            return
        old, self.workers = self.workers, fresh
        self._terminate(old, self.config.grace_seconds)
        log.info("rule base reloaded: generation %d serving", self.generation)

    def run(self) -> int:
        self.port = self._reserve_port()
        try:
            self.workers = self._start_generation()
        except StartFailure as exc:
            log.error("cannot start: %s", exc)
            return 1
        log.info(
            "serving on %s:%d with %d worker process(es)",
            self.config.bind,
            self.port,
            len(self.workers),
        )
        if self.port_file is not None:
            self.port_file.write_text(f"{self.port}\n")
        signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        previous = {s: signal.signal(s, self._on_signal) for s in signals}
        try:
            while not self._stop.wait(POLL_SECONDS):
                if self._reload.is_set():
                    self._reload.clear()
                    self._reload_rules()
                self._replace_dead()
            log.info(
                "stopping: draining %d worker(s) for up to %.1fs",
                len(self.workers),
                self.config.grace_seconds,
            )
            self._terminate(self.workers, self.config.grace_seconds)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            if self._socket is not None:
                self._socket.close()
        log.info("stopped")
        return 0


def serve(config: ServerConfig, port_file: Path | None = None) -> int:
    return Supervisor(config, port_file=port_file).run()
