"""Clinical report on the golden cases: `make clinical-report` (python -m tests.clinical_report).

Evaluates every golden case through an in-process gRPC server and prints, per expected cause:
how many cases put it first and in the top three, the alerts raised, and how many of the
required tests were suggested; then every case that misses an expectation, and why.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import grpc

from cdss._proto import decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.config import ServerConfig
from cdss.server import build_server
from tests.golden import CASES_DIR, REVIEW_DIR, GoldenCase, Outcome, check, load_cases


def _short(name: str, prefix: str) -> str:
    return name.removeprefix(prefix)


def run(directories: list[Path]) -> int:
    cases: list[GoldenCase] = [g for d in directories for g in load_cases(d)]
    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=2))
    running.server.start()
    results: list[tuple[GoldenCase, Outcome, foot_drop_service_pb2.EvaluateResponse]] = []
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            for g in cases:
                resp = stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=g.case), timeout=30)
                results.append((g, check(g, resp), resp))
    finally:
        running.server.stop(None).wait()
        running.evaluator.close()

    by_cause: dict[str, list[tuple[GoldenCase, Outcome, foot_drop_service_pb2.EvaluateResponse]]]
    by_cause = defaultdict(list)
    for item in results:
        by_cause[item[0].category].append(item)
    print(f"Golden cases: {len(cases)} from {', '.join(str(d) for d in directories)}\n")
    header = f"{'expected cause':30} {'n':>3} {'top1':>5} {'top3':>5} {'tests':>7}  alerts raised"
    print(header)
    print("-" * len(header))
    for cause in [c for c in decision_pb2.CauseCategory.keys() if c in by_cause]:  # noqa: SIM118
        items = by_cause[cause]
        top1 = sum(o.top1 for _, o, _ in items)
        top3 = sum(o.top3 for _, o, _ in items)
        wanted = sum(len(g.expect.get("tests_include", [])) for g, _, _ in items)
        missing = sum(
            1
            for _, o, _ in items
            for f in o.failures
            if f.startswith("test ") and "not suggested" in f
        )
        alerts: Counter[str] = Counter()
        for _, _, resp in items:
            for a in resp.alerts:
                kind = _short(decision_pb2.AlertKind.Name(a.kind), "ALERT_KIND_").lower()
                alerts[f"{kind}:{_short(decision_pb2.Urgency.Name(a.urgency), 'URGENCY_')[0]}"] += 1
        shown = ", ".join(f"{k}×{n}" for k, n in sorted(alerts.items())) or "-"
        print(
            f"{_short(cause, 'CAUSE_'):30} {len(items):>3} {top1:>5} {top3:>5} "
            f"{wanted - missing:>3}/{wanted:<3}  {shown}"
        )
    n = len(results)
    top1 = sum(o.top1 for _, o, _ in results)
    top3 = sum(o.top3 for _, o, _ in results)
    emergencies = [
        (g, resp)
        for g, _, resp in results
        if any(a["urgency"] == "URGENCY_EMERGENCY" for a in g.expect.get("alerts", []))
    ]
    flagged = sum(
        1
        for _, resp in emergencies
        if any(
            a.urgency in (decision_pb2.URGENCY_EMERGENCY, decision_pb2.URGENCY_URGENT)
            for a in resp.alerts
        )
    )
    print("-" * len(header))
    print(f"{'all':30} {n:>3} {top1:>5} {top3:>5}")
    print(
        f"\ntop-1 {top1 / n:.0%}, top-3 {top3 / n:.0%}; "
        f"emergency cases with an emergency or urgent alert: {flagged}/{len(emergencies)}"
    )
    failing = [(g, o) for g, o, _ in results if not o.passed]
    print(f"cases meeting every expectation: {n - len(failing)}/{n}")
    if failing:
        print("\nCases the rule base gets wrong (or partly wrong):")
        for g, o in failing:
            print(f"  {g.stem}: {'; '.join(o.failures)}")
            print(f"      ranked: {', '.join(o.ranked)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "dirs",
        nargs="*",
        type=Path,
        default=[CASES_DIR, REVIEW_DIR],
        help="folders of golden cases (default: tests/cases and tests/cases_review)",
    )
    return run(parser.parse_args().dirs)


if __name__ == "__main__":
    sys.exit(main())
