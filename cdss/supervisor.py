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
- One rule base per supervisor: the supervisor reads and validates the rule files once and
  pins their content by hash (cdss/pinning.py); every worker it starts, replacements
  included, is handed that content and serves exactly it, whatever the files on disk now say.
- SIGHUP (or the `ReloadRules` admin call, which sends it): reload the rule base. The files
  are read and validated again; if they are invalid, the reload is refused with every problem
  logged and the pinned rule base keeps serving. Otherwise a new generation of workers is
  started with the new content; only when every new worker is ready are the old workers
  drained and stopped. A worker that dies meanwhile is replaced from its own generation's
  content, so one rule base serves at any time.
- A watchdog: each worker writes a heartbeat on its stdout twice a second; one silent for
  `watchdog_seconds` (frozen: SIGSTOP, a deadlock in the C extension) is SIGKILLed, logged
  with the reason, and replaced.
- The audit store is created (or migrated) once, before any worker starts.
"""

from __future__ import annotations

import contextlib
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
from typing import IO

from cdss.audit import AuditError, prepare_store
from cdss.config import ServerConfig
from cdss.errors import CdssError
from cdss.metrics_endpoint import MetricsEndpoint
from cdss.pinning import PinnedRules, pin

log = logging.getLogger("cdss.supervisor")
READY_TIMEOUT = 120.0
POLL_SECONDS = 0.2
MAX_RESTARTS = 5  # within RESTART_WINDOW seconds, before restarts slow down
RESTART_WINDOW = 60.0


class StartFailure(Exception):
    """A worker did not become ready (its message says why, e.g. an invalid rule base)."""


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    generation: int
    slot: int
    rules: PinnedRules
    last_beat: float = field(default_factory=time.monotonic)
    frozen: bool = False  # killed by the watchdog
    _buffer: bytes = b""

    def read_lines(self) -> list[str]:
        """The complete lines the worker has written since the last call (never blocks)."""
        assert self.process.stdout is not None
        try:
            chunk = os.read(self.process.stdout.fileno(), 65536)
        except BlockingIOError:
            return []
        except OSError:
            chunk = b""
        if not chunk:
            return []
        self.last_beat = time.monotonic()
        *lines, self._buffer = (self._buffer + chunk).split(b"\n")
        return [line.decode(errors="replace").strip() for line in lines]


@dataclass
class Supervisor:
    config: ServerConfig
    port_file: Path | None = None
    generation: int = 0
    rules: PinnedRules | None = None  # what the current generation serves
    workers: list[Worker] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _reload: threading.Event = field(default_factory=threading.Event)
    _restarts: deque[float] = field(default_factory=deque)
    _socket: socket.socket | None = None
    port: int = 0
    _metrics: MetricsEndpoint = field(default_factory=MetricsEndpoint)
    http_port_file: Path | None = None
    http_port: int = -1  # the CDS Hooks / FHIR port the workers share (-1: off)
    _http_socket: socket.socket | None = None

    # ---- ports and processes ---------------------------------------------------------------
    def _reserve_port(self, wanted: int | None = None) -> int:
        family = socket.AF_INET6 if ":" in self.config.bind else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((self.config.bind.strip("[]"), self.config.port if wanted is None else wanted))
        if wanted is None:
            self._socket = sock
        else:
            self._http_socket = sock
        port: int = sock.getsockname()[1]
        return port

    def _worker_config(self, rules: PinnedRules) -> ServerConfig:
        return dataclasses.replace(
            self.config,
            port=self.port,
            reuse_port=True,
            rules_hash=rules.content_hash,
            http_port=self.http_port,
        )

    def _spawn(self, slot: int, generation: int, rules: PinnedRules) -> Worker:
        env = dict(
            os.environ,
            CDSS_WORKER_CONFIG=self._worker_config(rules).to_json(),
            CDSS_SUPERVISOR_PID=str(os.getpid()),
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "cdss.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert process.stdin is not None and process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        threading.Thread(target=_feed, args=(process.stdin, rules.payload()), daemon=True).start()
        return Worker(process, generation, slot, rules)

    @staticmethod
    def _await_ready(worker: Worker) -> None:
        """Wait for the worker's READY line; raise StartFailure with its ERROR line."""
        assert worker.process.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(worker.process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + READY_TIMEOUT
            while time.monotonic() < deadline:
                if sel.select(timeout=0.5):
                    lines = worker.read_lines()
                    for line in lines:
                        if line.startswith("READY"):
                            return
                        if line.startswith("ERROR"):
                            worker.process.wait(timeout=10)
                            raise StartFailure(line.removeprefix("ERROR ").strip())
                if worker.process.poll() is not None:
                    raise StartFailure(f"worker exited with code {worker.process.returncode}")
        worker.process.kill()
        raise StartFailure(f"worker not ready after {READY_TIMEOUT:.0f}s")

    def _start_generation(self, rules: PinnedRules) -> list[Worker]:
        generation = self.generation + 1
        started = [self._spawn(slot, generation, rules) for slot in range(self.config.workers)]
        try:
            for w in started:
                self._await_ready(w)
        except StartFailure:
            self._terminate(started, grace=0)
            raise
        self.generation = generation
        self.rules = rules
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
            self._metrics.worker_gone(w.process.pid, None)

    # ---- the loop ------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._reload.set()
        else:
            self._stop.set()

    def _watch(self, timeout: float) -> None:
        """Read the workers' heartbeats for up to timeout seconds; SIGKILL a silent one."""
        with selectors.DefaultSelector() as sel:
            for w in self.workers:
                if w.process.stdout is not None and w.process.poll() is None:
                    sel.register(w.process.stdout, selectors.EVENT_READ, w)
            if sel.get_map():
                for key, _ in sel.select(timeout=timeout):
                    key.data.read_lines()
            else:
                self._stop.wait(timeout)
        now = time.monotonic()
        for w in self.workers:
            silent = now - w.last_beat
            if silent > self.config.watchdog_seconds and w.process.poll() is None:
                log.error(
                    "worker %d (slot %d) unresponsive: no heartbeat for %.1fs (limit %.1fs);"
                    " killing it",
                    w.process.pid,
                    w.slot,
                    silent,
                    self.config.watchdog_seconds,
                )
                w.frozen = True
                w.process.kill()
                w.process.wait()

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
            self._metrics.worker_gone(w.process.pid, "unresponsive" if w.frozen else "died")
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
            replacement = self._spawn(w.slot, w.generation, w.rules)
            try:
                self._await_ready(replacement)
            except StartFailure as exc:
                log.error("replacement worker failed to start: %s", exc)
                continue  # retried on the next round
            self.workers[i] = replacement
            log.info(
                "worker %d (slot %d) replaced by worker %d serving %s",
                w.process.pid,
                w.slot,
                replacement.process.pid,
                w.rules.content_hash,
            )

    def _reload_rules(self) -> None:
        log.info("reloading the rule base from %s", self.config.rules_dir)
        try:
            rules = pin(self.config.rules_dir)
        except CdssError as exc:
            log.error("rule base reload refused, the current rule base keeps serving: %s", exc)
            return
        if self.rules is not None and rules.content_hash == self.rules.content_hash:
            log.info("rule base reloaded: unchanged (%s)", rules.content_hash)
            return
        try:
            fresh = self._start_generation(rules)
        except StartFailure as exc:
            log.error("rule base reload refused, the current rule base keeps serving: %s", exc)
            return
        old, self.workers = self.workers, fresh
        self._terminate(old, self.config.grace_seconds)
        log.info(
            "rule base reloaded: generation %d serving %s %s",
            self.generation,
            rules.version,
            rules.content_hash,
        )

    def run(self) -> int:
        try:
            rules = pin(self.config.rules_dir)
            if self.config.audit is not None:
                log.info("%s", prepare_store(self.config.audit))
        except (CdssError, AuditError) as exc:
            log.error("cannot start: %s", exc)
            return 1
        self.port = self._reserve_port()
        if self.config.http_port >= 0:
            self.http_port = self._reserve_port(self.config.http_port)
        try:
            self._metrics.start(self.config.bind, self.config.metrics_port)
        except OSError as exc:
            log.error("cannot start: metrics port %s: %s", self.config.metrics_port, exc)
            return 1
        try:
            self.workers = self._start_generation(rules)
        except StartFailure as exc:
            log.error("cannot start: %s", exc)
            return 1
        log.info(
            "serving on %s:%d with %d worker process(es), rule base %s %s",
            self.config.bind,
            self.port,
            len(self.workers),
            rules.version,
            rules.content_hash,
        )
        if self.port_file is not None:
            self.port_file.write_text(f"{self.port}\n")
        if self.http_port >= 0:
            log.info("CDS Hooks and FHIR on %s:%d", self.config.bind, self.http_port)
            if self.http_port_file is not None:
                self.http_port_file.write_text(f"{self.http_port}\n")
        signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        previous = {s: signal.signal(s, self._on_signal) for s in signals}
        try:
            while not self._stop.is_set():
                self._watch(POLL_SECONDS)
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
            for sock in (self._socket, self._http_socket):
                if sock is not None:
                    sock.close()
            self._metrics.stop()
        log.info("stopped")
        return 0


def _feed(stream: IO[bytes], payload: bytes) -> None:
    """Write a worker's pinned rule base on its stdin (a thread: the pipe holds 64 KiB)."""
    with contextlib.suppress(OSError), stream:
        stream.write(payload)


def serve(
    config: ServerConfig, port_file: Path | None = None, http_port_file: Path | None = None
) -> int:
    return Supervisor(config, port_file=port_file, http_port_file=http_port_file).run()
