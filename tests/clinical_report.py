"""Clinical report on the case library: `make clinical-report` (python -m tests.clinical_report).

Evaluates every case of each set through an in-process gRPC server and prints, per set and per
expected cause: how many cases put it first and in the top three, how many raised every alert
they need, how many of the required tests were suggested; then, per set, the emergencies that
got an EMERGENCY alert and the answers with an empty differential; then every case that misses
an expectation, and why. The review holdout (tests/cases_review/holdout.txt) is reported
apart and last. ``--rules-dir`` evaluates with another rule base (e.g. an older one).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import grpc

from cdss._proto import decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.config import ServerConfig
from cdss.evaluator import DEFAULT_RULES_DIR
from cdss.server import build_server
from tests.golden import (
    CASES_DIR,
    REVIEW_DIR,
    SAFETY_DIR,
    GoldenCase,
    Outcome,
    check,
    load_cases,
)

HOLDOUT_FILE = REVIEW_DIR / "holdout.txt"
Response = foot_drop_service_pb2.EvaluateResponse


def holdout_stems() -> frozenset[str]:
    lines = HOLDOUT_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def case_sets() -> dict[str, list[GoldenCase]]:
    """The case library by set: golden, review (without the holdout), safety, holdout."""
    hold = holdout_stems()
    review = load_cases(REVIEW_DIR)
    return {
        "golden (tests/cases)": load_cases(CASES_DIR),
        "review (tests/cases_review, less the holdout)": [g for g in review if g.stem not in hold],
        "safety (tests/cases_safety)": load_cases(SAFETY_DIR),
        "review holdout (tests/cases_review/holdout.txt)": [g for g in review if g.stem in hold],
    }


def is_emergency(g: GoldenCase) -> bool:
    """The reviewer asked for an EMERGENCY alert of some kind."""
    wanted = [a["urgency"] for a in g.expect.get("alerts", [])]
    if "any_alert" in g.expect:
        wanted.append(g.expect["any_alert"]["urgency"])
    return "URGENCY_EMERGENCY" in wanted


def has_emergency(resp: Response) -> bool:
    return any(a.urgency == decision_pb2.URGENCY_EMERGENCY for a in resp.alerts)


@dataclass
class Row:
    n: int = 0
    top1: int = 0
    top3: int = 0
    alerts_ok: int = 0
    alerts_wanted: int = 0
    tests_ok: int = 0
    tests_wanted: int = 0

    def add(self, g: GoldenCase, o: Outcome) -> None:
        self.n += 1
        self.top1 += o.top1
        self.top3 += o.top3
        if g.expect.get("alerts") or g.expect.get("any_alert"):
            self.alerts_wanted += 1
            self.alerts_ok += not any(f.startswith(("alert ", "no alert")) for f in o.failures)
        wanted = len(g.expect.get("tests_include", []))
        missing = sum(1 for f in o.failures if f.startswith("test ") and "not suggested" in f)
        self.tests_wanted += wanted
        self.tests_ok += wanted - missing


def evaluate(cases: Iterable[GoldenCase], rules_dir: Path) -> list[tuple[GoldenCase, Response]]:
    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=2, rules_dir=rules_dir))
    running.server.start()
    out: list[tuple[GoldenCase, Response]] = []
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            for g in cases:
                resp = stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=g.case), timeout=30)
                out.append((g, resp))
    finally:
        running.server.stop(None).wait()
        running.evaluator.close()
    return out


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


def report(name: str, results: list[tuple[GoldenCase, Response]], verbose: bool) -> None:
    rows: dict[str, Row] = defaultdict(Row)
    total = Row()
    outcomes = [(g, check(g, resp), resp) for g, resp in results]
    for g, o, _ in outcomes:
        rows[g.category].add(g, o)
        total.add(g, o)
    print(f"\n== {name}: {len(results)} cases")
    header = f"{'expected cause':28} {'n':>3} {'top1':>5} {'top3':>5} {'alerts':>7} {'tests':>7}"
    print(header)
    print("-" * len(header))
    order = [*decision_pb2.CauseCategory.keys(), "none"]
    for cause in [c for c in order if c in rows]:
        r = rows[cause]
        print(
            f"{cause.removeprefix('CAUSE_'):28} {r.n:>3} {r.top1:>5} {r.top3:>5} "
            f"{r.alerts_ok:>3}/{r.alerts_wanted:<3} {r.tests_ok:>3}/{r.tests_wanted:<3}"
        )
    print("-" * len(header))
    emergencies = [(g, resp) for g, _, resp in outcomes if is_emergency(g)]
    flagged = sum(has_emergency(resp) for _, resp in emergencies)
    empty = [g.stem for g, _, resp in outcomes if not resp.causes]
    passed = sum(o.passed for _, o, _ in outcomes)
    print(
        f"top-1 {_pct(total.top1, total.n)}, top-3 {_pct(total.top3, total.n)}, "
        f"alerts {_pct(total.alerts_ok, total.alerts_wanted)}, "
        f"tests {_pct(total.tests_ok, total.tests_wanted)}"
    )
    print(
        f"emergencies with an EMERGENCY alert: {_pct(flagged, len(emergencies))}; "
        f"empty differentials: {len(empty)}; every expectation met: {_pct(passed, total.n)}"
    )
    if verbose:
        for g, o, _ in outcomes:
            if not o.passed:
                print(f"  {g.stem}: {'; '.join(o.failures)}")
                print(f"      ranked: {', '.join(o.ranked) or '(empty)'}; alerts: {o.alerts}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules-dir", type=Path, default=DEFAULT_RULES_DIR)
    parser.add_argument("--quiet", action="store_true", help="figures only, no failing cases")
    args = parser.parse_args()
    for name, cases in case_sets().items():
        report(name, evaluate(cases, args.rules_dir), verbose=not args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
