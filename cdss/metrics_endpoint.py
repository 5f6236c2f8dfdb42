"""The supervisor's /metrics: the sum of every worker process's Prometheus values.

`start` makes a fresh directory for prometheus_client's multiprocess mode and sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start (they inherit it, and so write their
values there), then serves the text format on ``--metrics-port``. prometheus_client is
imported only here and only then, since it reads that variable when first imported.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("cdss.supervisor")


@dataclass
class MetricsEndpoint:
    directory: str = ""
    _server: Any = None
    _restarts: Any = None

    def start(self, bind: str, port: int | None) -> None:
        if port is None:
            return
        self.directory = tempfile.mkdtemp(prefix="cdss-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = self.directory
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server, values

        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        self._server, _ = start_http_server(port, addr=bind.strip("[]"), registry=registry)
        from cdss.metrics import WORKER_RESTARTS

        self._restarts = WORKER_RESTARTS
        for reason in ("died", "unresponsive"):  # shown at 0 before the first restart
            WORKER_RESTARTS.labels(reason)
        log.info("metrics on http://%s:%d/metrics", bind, port)

    def worker_gone(self, pid: int, restart_reason: str | None) -> None:
        """A worker exited: its live gauges leave the sum; a restart is counted."""
        if not self.directory:
            return
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, self.directory)  # type: ignore[no-untyped-call]
        if restart_reason is not None:
            self._restarts.labels(restart_reason).inc()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
