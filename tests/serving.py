"""Helpers to run `python -m cdss serve` as a real process tree in tests and scripts."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cdss.client import wait_serving

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> list[int]:
    """The pids whose parent is pid (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces: split after it
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return sorted(out)


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    saved_log: str = ""

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def log(self) -> str:
        """The server's output so far (kept after the server has stopped)."""
        if self.log_path.exists():
            self.saved_log = self.log_path.read_text(errors="replace")
        return self.saved_log

    def wait_for_workers(
        self, count: int, timeout: float = 60.0, exclude: set[int] | None = None
    ) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [p for p in self.workers() if p not in (exclude or set())]
            if len(pids) >= count and "serving on" in self.log():
                return pids
            time.sleep(0.1)
        raise TimeoutError(f"workers not up: {self.workers()}\n{self.log()[-2000:]}")


@contextlib.contextmanager
def server_process(
    *args: str, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[ServerProcess]:
    """Start `python -m cdss serve --port 0` with the given extra arguments; stop it after."""
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "cdss", "serve", "--port", "0", "--workers", str(workers),
                 "--port-file", str(port_file), *args],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
            )  # fmt: skip
            try:
                deadline = time.monotonic() + 90
                while not port_file.exists() or not port_file.read_text().strip():
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"server did not start:\n{log_path.read_text()}")
                    time.sleep(0.05)
                server = ServerProcess(process, int(port_file.read_text()), log_path)
                wait_serving(server.address)
                yield server
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                if "server" in locals():
                    server.log()
