"""Start the server (gRPC and the CDS Hooks / FHIR front door), wait until it reports SERVING,
evaluate a case through gRPC, then show the CDS Hooks discovery and the same case as cards.

Usage: python scripts/run_example.py [--port PORT] [--http-port PORT] CASE.json [evaluate flags]
This is what `make run` does: the same paths a clinical system takes (a real server on real
ports), with the CLI as the gRPC client and an HTTP client as the EHR.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from cdss.client import wait_serving
from cdss.http.fhir_input import ASSESSMENT_KEY
from cdss.http.questionnaire import response_from_case


def _http_port(path: Path, server: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while not path.exists() or not path.read_text().strip():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the HTTP front door did not start")
        time.sleep(0.05)
    return int(path.read_text())


def show_cards(base: str, case_path: str) -> None:
    case = json.loads(Path(case_path).read_text(encoding="utf-8"))
    request = {
        "hook": "patient-view",
        "hookInstance": "00000000-0000-4000-8000-000000000001",
        "context": {"userId": "Practitioner/example", "patientId": "example"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "example"},
            ASSESSMENT_KEY: response_from_case(case, "example"),
        },
    }
    with httpx.Client(timeout=30) as client:
        discovery = client.get(f"{base}/cds-services").json()
        print(f"\nCDS Hooks discovery (GET {base}/cds-services):\n")
        print(json.dumps(discovery, indent=1))
        reply = client.post(f"{base}/cds-services/foot-drop", json=request)
        reply.raise_for_status()
    print(f"\nThe same case as CDS Hooks cards (POST {base}/cds-services/foot-drop):\n")
    for card in reply.json()["cards"]:
        print(f"  [{card['indicator']:8}] {card['summary']}")
        for s in card.get("suggestions", []):
            print(f"             suggestion: {s['label']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--http-port", type=int, default=0, help="0 = any free port")
    parser.add_argument("case")
    args, extra = parser.parse_known_args()
    address = f"127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as tmp:
        http_file = Path(tmp) / "http-port"
        command = [sys.executable, "-m", "cdss", "serve", "--port", str(args.port)]
        command += ["--http-port", str(args.http_port), "--http-port-file", str(http_file)]
        server = subprocess.Popen(command, env=dict(os.environ))
        try:
            wait_serving(address)
            base = f"http://127.0.0.1:{_http_port(http_file, server)}"
            print(f"server ready on {address} (gRPC), {base} (CDS Hooks, FHIR)", flush=True)
            print(f"evaluating {args.case}\n", flush=True)
            cli = [sys.executable, "-m", "cdss", "evaluate", args.case, "--server", address]
            code = subprocess.call([*cli, *extra])
            show_cards(base, args.case)
            return code
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
