"""One server process under the supervisor: `python -m cdss.worker` (not for direct use).

It reads its configuration from CDSS_WORKER_CONFIG and its rule base, pinned by the supervisor,
from stdin (cdss/pinning.py), binds the shared port with SO_REUSEPORT, reports `READY <port>`
(or `ERROR <message>`) on stdout, then writes `BEAT` there twice a second for the supervisor's
watchdog, and serves until SIGTERM, then drains. SIGINT is ignored: on Ctrl-C the supervisor
decides and sends SIGTERM.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from cdss.config import ServerConfig
from cdss.errors import CdssError
from cdss.evaluator import Evaluator
from cdss.logs import configure
from cdss.pinning import compiled_from
from cdss.server import serve_one


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    config = ServerConfig.from_json(os.environ["CDSS_WORKER_CONFIG"])
    configure(config.log_format, logging.INFO)

    def ready(port: int) -> None:
        print(f"READY {port}", flush=True)

    def beat() -> None:
        print("BEAT", flush=True)

    try:
        evaluator = None
        if config.rules_hash:
            evaluator = Evaluator(compiled_from(sys.stdin.buffer, config.rules_hash))
        return serve_one(
            config, ready=ready, signals=(signal.SIGTERM,), evaluator=evaluator, beat=beat
        )
    except (CdssError, OSError) as exc:
        message = " | ".join(str(exc).splitlines())
        print(f"ERROR {message}", flush=True)
        return 3


if __name__ == "__main__":
    sys.exit(main())
