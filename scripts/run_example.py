"""Start the gRPC server, wait until it reports SERVING, evaluate a case through it, stop it.

Usage: python scripts/run_example.py [--port PORT] CASE.json [more evaluate flags]
This is what `make run` does: the same path a clinical system takes (a real server on a real
port), with the CLI as the client.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from cdss.client import wait_serving


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("case")
    args, extra = parser.parse_known_args()
    address = f"127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "cdss", "serve", "--port", str(args.port)], env=dict(os.environ)
    )
    try:
        wait_serving(address)
        print(f"server ready on {address}; evaluating {args.case}\n", flush=True)
        cli = [sys.executable, "-m", "cdss", "evaluate", args.case, "--server", address, *extra]
        return subprocess.call(cli)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
