"""Bounded load test on 127.0.0.1: `make load-test` (python scripts/load_test.py).

Starts `python -m cdss serve` (2 workers, audit on), then for --seconds (default 60) runs
--clients (default 16) client processes, each sending a mix of valid golden cases and
invalid ones (an MRC grade of 9, an unknown enum number, a case over the size limit, bytes
that are not a request). It checks and prints:
  - unexpected errors: anything but an identical answer for a valid case, or INVALID_ARGUMENT
    for an invalid one (must be 0);
  - answers identical to a sequential evaluation of the same case (byte for byte);
  - the workers' resident memory at the start and the end of the load (flat = no leak),
    and the durable-rules sessions still alive when each worker stops (must be 0);
  - calls per second, and the audit records written.
Exit status 0 only when every check passes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdss._proto import foot_drop_service_pb2  # noqa: E402
from tests.golden import CASES_DIR, REVIEW_DIR, load_cases  # noqa: E402
from tests.serving import server_process  # noqa: E402


def invalid_requests(valid: list[bytes]) -> list[bytes]:
    base = foot_drop_service_pb2.EvaluateRequest.FromString(valid[0])
    mrc = foot_drop_service_pb2.EvaluateRequest()
    mrc.CopyFrom(base)
    mrc.case.exam.left.ankle_dorsiflexion = 9
    enum = foot_drop_service_pb2.EvaluateRequest()
    enum.CopyFrom(base)
    enum.case.presentation.onset = 77  # type: ignore[assignment]
    big = foot_drop_service_pb2.EvaluateRequest()
    big.CopyFrom(base)
    for i in range(1500):
        big.case.medications.add(name=f"drug-{i}-with-a-long-generic-name", days_since_start=i)
    return [
        mrc.SerializeToString(),
        enum.SerializeToString(),
        big.SerializeToString(),
        b"\xff\xff\xff\x07garbage",
    ]


def client(  # noqa: PLR0917 - a multiprocessing target takes positional arguments
    address: str,
    valid: list[bytes],
    expected: list[bytes],
    invalid: list[bytes],
    seconds: float,
    seed: int,
    queue: Any,
) -> None:
    counts = {"ok": 0, "invalid_argument": 0, "unexpected": 0, "different": 0}
    samples: list[str] = []
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            "/cdss.v1.FootDropDecisionSupport/Evaluate",
            request_serializer=lambda b: b,
            response_deserializer=lambda b: b,
        )
        end = time.monotonic() + seconds
        i = seed
        while time.monotonic() < end:
            i += 1
            if i % 5 == 0:  # one call in five is invalid
                try:
                    call(invalid[i % len(invalid)], timeout=10)
                    counts["unexpected"] += 1
                    samples.append("an invalid request was answered")
                except grpc.RpcError as exc:
                    if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                        counts["invalid_argument"] += 1
                    else:
                        counts["unexpected"] += 1
                        samples.append(f"invalid request: {exc.code()}")
                continue
            k = i % len(valid)
            try:
                got = call(valid[k], timeout=10)
            except grpc.RpcError as exc:
                counts["unexpected"] += 1
                samples.append(f"valid request {k}: {exc.code()} {exc.details()}")
                continue
            counts["ok"] += 1
            if got != expected[k]:
                counts["different"] += 1
                samples.append(f"valid request {k}: a different answer")
    queue.put((counts, samples[:5]))


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    cases = load_cases(CASES_DIR) + load_cases(REVIEW_DIR)
    valid = [foot_drop_service_pb2.EvaluateRequest(case=g.case).SerializeToString() for g in cases]
    invalid = invalid_requests(valid)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "audit.db"
        with server_process("--audit-db", str(db), workers=args.workers) as server:
            workers = server.wait_for_workers(args.workers)
            with grpc.insecure_channel(server.address) as channel:  # the sequential reference
                call = channel.unary_unary(
                    "/cdss.v1.FootDropDecisionSupport/Evaluate",
                    request_serializer=lambda b: b,
                    response_deserializer=lambda b: b,
                )
                expected = [call(v, timeout=10) for v in valid]
                for _ in range(3):  # warm every worker before measuring memory
                    for v in valid:
                        call(v, timeout=10)
            rss_start = {pid: rss_kb(pid) for pid in workers}
            ctx = mp.get_context("spawn")
            queue = ctx.Queue()
            procs = [
                ctx.Process(
                    target=client,
                    args=(server.address, valid, expected, invalid, args.seconds, k * 13, queue),
                )
                for k in range(args.clients)
            ]
            started = time.monotonic()
            for p in procs:
                p.start()
            series: list[dict[int, int]] = []  # RSS every 2 s while the load runs
            while time.monotonic() - started < args.seconds:
                time.sleep(2.0)
                series.append({pid: rss_kb(pid) for pid in workers})
            results = [queue.get(timeout=120) for _ in procs]
            elapsed = time.monotonic() - started
            for p in procs:
                p.join(30)
            rss_end = {pid: rss_kb(pid) for pid in workers}
        log = server.log()
    live = [int(n) for n in re.findall(r"stopped live_sessions=(\d+)", log)]
    totals = {k: sum(r[0][k] for r in results) for k in results[0][0]}
    samples = [s for r in results for s in r[1]][:10]
    # memory flat = no growth over the last two thirds of the load (the first third warms up
    # thread stacks, allocator arenas, gRPC buffers and SQLite's page cache)
    settled = series[len(series) // 3] if series else rss_start
    growth = {pid: round(rss_end[pid] / settled[pid] - 1, 4) for pid in settled if settled[pid]}
    report = {
        "seconds": round(elapsed, 1),
        "clients": args.clients,
        "workers": args.workers,
        **totals,
        "calls_per_second": round((totals["ok"] + totals["invalid_argument"]) / elapsed, 1),
        "rss_start_kb": rss_start,
        "rss_after_first_third_kb": settled,
        "rss_end_kb": rss_end,
        "rss_growth_last_two_thirds": growth,
        "rss_series_kb": series,
        "live_sessions_at_stop": live,
        "samples": samples,
    }
    print(json.dumps(report, indent=2))
    ok = (
        totals["unexpected"] == 0
        and totals["different"] == 0
        and all(g < 0.10 for g in growth.values())
        and len(live) == args.workers
        and all(n == 0 for n in live)
    )
    print("load test:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
