"""Benchmark: the service against the cost floor of an empty gRPC call, in one run.

Usage: python scripts/bench.py [--quick] [--out bench-results.json]   (make bench)

Measures, on this machine in this run:
  1. the engine alone (no gRPC): Evaluator.evaluate on a fixed mix of the golden cases;
  2. over gRPC, one server process (`python -m cdss serve --workers 1`): the empty unary call
     (Ping: same server, options and interceptors) and Evaluate on the same mix, sequentially
     (p50, p99), and with 8 concurrent clients (calls per second);
  3. the same concurrent load on two server processes (the scaling from 1 to 2);
  4. memory: resident set size before and after many evaluations, and sessions left alive.
It prints each figure and the ratios, and writes them all to a JSON file. Targets (issue:
performance) are printed beside the ratios; they are goals, not assertions.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdss._proto import foot_drop_service_pb2  # noqa: E402
from cdss.convert import case_from_proto  # noqa: E402
from cdss.evaluator import Evaluator  # noqa: E402
from tests.golden import CASES_DIR, REVIEW_DIR, load_cases  # noqa: E402
from tests.serving import server_process  # noqa: E402

TARGETS = {
    "evaluate_p50_over_empty_p50": 3.0,
    "evaluate_p99_over_empty_p50": 5.0,
    "evaluations_per_second_per_process": 500.0,
    "scaling_2_over_1": 1.7,
}


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    return {
        "p50_ms": round(statistics.median(s), 3),
        "p90_ms": round(s[int(0.90 * (len(s) - 1))], 3),
        "p99_ms": round(s[int(0.99 * (len(s) - 1))], 3),
        "mean_ms": round(statistics.fmean(s), 3),
        "n": len(s),
    }


def requests_mix() -> list[bytes]:
    cases = load_cases(CASES_DIR) + load_cases(REVIEW_DIR)
    return [foot_drop_service_pb2.EvaluateRequest(case=g.case).SerializeToString() for g in cases]


def rss_kb(pid: int | None = None) -> int:
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1])


# ---- the engine alone ---------------------------------------------------------------------


def bench_engine(requests: list[bytes], rounds: int) -> dict[str, Any]:
    evaluator = Evaluator.from_directory()
    cases = [
        case_from_proto(foot_drop_service_pb2.EvaluateRequest.FromString(r).case) for r in requests
    ]
    for c in cases:
        evaluator.evaluate(c)
    samples = []
    started = time.perf_counter()
    for _ in range(rounds):
        for c in cases:
            t = time.perf_counter()
            evaluator.evaluate(c)
            samples.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    evaluator.close()
    return {**percentiles(samples), "per_second": round(len(samples) / elapsed, 1)}


def bench_memory(requests: list[bytes], evaluations: int) -> dict[str, Any]:
    evaluator = Evaluator.from_directory()
    cases = [
        case_from_proto(foot_drop_service_pb2.EvaluateRequest.FromString(r).case) for r in requests
    ]
    for c in cases * 20:  # warm up: caches, allocator arenas
        evaluator.evaluate(c)
    before = rss_kb()
    for i in range(evaluations):
        evaluator.evaluate(cases[i % len(cases)])
    after = rss_kb()
    live = evaluator.engine.live_sessions
    evaluator.close()
    return {
        "evaluations": evaluations,
        "rss_before_kb": before,
        "rss_after_kb": after,
        "rss_growth": round(after / before - 1, 4),
        "live_sessions_after": live,
    }


# ---- over gRPC ----------------------------------------------------------------------------


def _raw(channel: grpc.Channel, method: str) -> Callable[..., Any]:
    return channel.unary_unary(
        f"/cdss.v1.FootDropDecisionSupport/{method}",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )


def sequential(address: str, method: str, payloads: list[bytes], n: int) -> dict[str, Any]:
    with grpc.insecure_channel(address) as channel:
        call = _raw(channel, method)
        for p in payloads[:50]:
            call(p, timeout=30)  # warm-up
        samples = []
        for i in range(n):
            t = time.perf_counter()
            call(payloads[i % len(payloads)], timeout=30)
            samples.append((time.perf_counter() - t) * 1000)
    return percentiles(samples)


def _client(  # noqa: PLR0917 - a multiprocessing target takes positional arguments
    address: str, method: str, payloads: list[bytes], seconds: float, queue: Any, offset: int
) -> None:
    with grpc.insecure_channel(address) as channel:
        call = _raw(channel, method)
        call(payloads[0], timeout=30)
        count, i = 0, offset
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            call(payloads[i % len(payloads)], timeout=30)
            count += 1
            i += 1
    queue.put(count)


def concurrent(
    address: str, method: str, payloads: list[bytes], clients: int, seconds: float
) -> dict[str, Any]:
    """`clients` client processes (each its own connection), each calling back to back."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_client, args=(address, method, payloads, seconds, queue, k * 7))
        for k in range(clients)
    ]
    for p in procs:
        p.start()
    counts = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(30)
    return {
        "clients": clients,
        "seconds": seconds,
        "calls": sum(counts),
        "per_second": round(sum(counts) / seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke test)")
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    n_seq = 600 if args.quick else 3000
    seconds = 4.0 if args.quick else 15.0
    memory_evals = 5000 if args.quick else 100_000
    requests = requests_mix()
    ping = [foot_drop_service_pb2.PingRequest().SerializeToString()]
    out: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "cases_in_mix": len(requests),
    }

    print(f"engine alone ({len(requests)} cases in the mix) ...", flush=True)
    out["engine"] = bench_engine(requests, rounds=5 if args.quick else 20)
    print(f"  {out['engine']}")

    with server_process(workers=1) as server:
        print(f"one server process on {server.address}", flush=True)
        out["empty_sequential"] = sequential(server.address, "Ping", ping, n_seq)
        print(f"  empty call, sequential:    {out['empty_sequential']}")
        out["evaluate_sequential"] = sequential(server.address, "Evaluate", requests, n_seq)
        print(f"  Evaluate, sequential:      {out['evaluate_sequential']}")
        out["empty_concurrent_1proc"] = concurrent(server.address, "Ping", ping, 8, seconds)
        print(f"  empty call, 8 clients:     {out['empty_concurrent_1proc']}")
        out["evaluate_concurrent_1proc"] = concurrent(
            server.address, "Evaluate", requests, 8, seconds
        )
        print(f"  Evaluate, 8 clients:       {out['evaluate_concurrent_1proc']}")
        out["server_rss_kb_1proc"] = [rss_kb(pid) for pid in server.workers()]
    with server_process(workers=2) as server:
        server.wait_for_workers(2)
        print(f"two server processes on {server.address}", flush=True)
        out["evaluate_concurrent_2proc"] = concurrent(
            server.address, "Evaluate", requests, 8, seconds
        )
        print(f"  Evaluate, 8 clients:       {out['evaluate_concurrent_2proc']}")

    print(f"memory: {memory_evals} evaluations in one process ...", flush=True)
    out["memory"] = bench_memory(requests, memory_evals)
    print(f"  {out['memory']}")

    empty = out["empty_sequential"]["p50_ms"]
    ratios = {
        "evaluate_p50_over_empty_p50": round(out["evaluate_sequential"]["p50_ms"] / empty, 2),
        "evaluate_p99_over_empty_p50": round(out["evaluate_sequential"]["p99_ms"] / empty, 2),
        "evaluations_per_second_per_process": out["evaluate_concurrent_1proc"]["per_second"],
        "scaling_2_over_1": round(
            out["evaluate_concurrent_2proc"]["per_second"]
            / out["evaluate_concurrent_1proc"]["per_second"],
            2,
        ),
        "engine_p50_over_empty_p50": round(out["engine"]["p50_ms"] / empty, 2),
    }
    out["ratios"] = ratios
    out["targets"] = TARGETS
    print("\nratios (measured in this run; target in brackets):")
    for key, value in ratios.items():
        target = TARGETS.get(key)
        mark = ""
        if target is not None:
            ok = (
                value >= target
                if key in ("evaluations_per_second_per_process", "scaling_2_over_1")
                else value <= target
            )
            sign = "≥" if "per_second" in key or "scaling" in key else "≤"
            mark = f"  [{sign} {target}: {'met' if ok else 'NOT met'}]"
        print(f"  {key:38} {value}{mark}")
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
