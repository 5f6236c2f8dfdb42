"""One server process under the supervisor: `python -m cdss.worker` (not for direct use).

It reads its configuration from CDSS_WORKER_CONFIG, binds the shared port with SO_REUSEPORT,
reports `READY <port>` (or `ERROR <message>`) on stdout, and serves until SIGTERM, then
drains. SIGINT is ignored: on Ctrl-C the supervisor decides and sends SIGTERM.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from cdss.config import ServerConfig
from cdss.errors import CdssError
from cdss.server import serve_one


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(
        level=logging.INFO,
        format=f"%(asctime)s %(levelname)s %(name)s[{os.getpid()}] %(message)s",
        stream=sys.stderr,
    )
    config = ServerConfig.from_json(os.environ["CDSS_WORKER_CONFIG"])

    def ready(port: int) -> None:
        print(f"READY {port}", flush=True)

    try:
        return serve_one(config, ready=ready, signals=(signal.SIGTERM,))
    except (CdssError, OSError) as exc:
        message = " | ".join(str(exc).splitlines())
        print(f"ERROR {message}", flush=True)
        return 3


if __name__ == "__main__":
    sys.exit(main())
