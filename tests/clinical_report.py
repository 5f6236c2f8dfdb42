"""Clinical report on the case library: `make clinical-report` (python -m tests.clinical_report).

Evaluates every case of each set through an in-process gRPC server and prints, per set and per
expected cause: how many cases put it first and in the top three, how many raised every alert
they need, how many of the required tests were suggested; then, per set, the emergencies that
got an EMERGENCY alert and the answers with an empty differential; then every case that misses
an expectation, and why. The review holdout (tests/cases_review/holdout.txt) is reported
apart and last. ``--rules-dir`` evaluates with another rule base (e.g. an older one).

Calibration: over the whole review set, every cause an answer lists is scored right when it is
the reviewer's expected cause (or an accepted alternative); per likelihood band (likely,
possible, must not miss, unlikely) and per certainty decile it prints how often a listed cause
was the right one, and ``--plot FILE`` writes the reliability plot (PNG).
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
    EXAMPLES_DIR,
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
    """The case library by set: golden, review (without the holdout), safety, the rules' unit
    examples, holdout."""
    hold = holdout_stems()
    review = load_cases(REVIEW_DIR)
    return {
        "golden (tests/cases)": load_cases(CASES_DIR),
        "review (tests/cases_review, less the holdout)": [g for g in review if g.stem not in hold],
        "safety (tests/cases_safety)": load_cases(SAFETY_DIR),
        "rule unit examples (tests/cases_examples)": load_cases(EXAMPLES_DIR),
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


BANDS = (
    "LIKELIHOOD_LIKELY",
    "LIKELIHOOD_POSSIBLE",
    "LIKELIHOOD_MUST_NOT_MISS",
    "LIKELIHOOD_UNLIKELY",
)


def calibration(
    results: list[tuple[GoldenCase, Response]],
) -> tuple[dict[str, list[int]], list[list[int]]]:
    """Per band and per certainty decile: [causes listed, of which the right one]."""
    bands = {b: [0, 0] for b in BANDS}
    deciles = [[0, 0] for _ in range(10)]
    for g, resp in results:
        if "top_cause" not in g.expect:
            continue
        right = {g.expect["top_cause"], *g.expect.get("acceptable_top", [])}
        for c in resp.causes:
            hit = decision_pb2.CauseCategory.Name(c.category) in right
            band = bands[decision_pb2.Likelihood.Name(c.likelihood)]
            band[0] += 1
            band[1] += hit
            cell = deciles[min(int(c.certainty * 10), 9)]
            cell[0] += 1
            cell[1] += hit
    return bands, deciles


def print_calibration(results: list[tuple[GoldenCase, Response]], plot: Path | None) -> None:
    bands, deciles = calibration(results)
    print(f"\n== calibration on the review set ({len(results)} cases, every listed cause)")
    for band, (n, hits) in bands.items():
        print(
            f"  {band.removeprefix('LIKELIHOOD_').lower():14} {_pct(hits, n)} were the right cause"
        )
    for i, (n, hits) in enumerate(deciles):
        if n:
            print(f"  certainty {i / 10:.1f}-{(i + 1) / 10:.1f}: {_pct(hits, n)}")
    if plot is None:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [(i + 0.5) / 10 for i, (n, _) in enumerate(deciles) if n]
    ys = [hits / n for n, hits in deciles if n]
    sizes = [20 + 4 * n for n, _ in deciles if n]
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.scatter(xs, ys, s=sizes, label="listed causes (area = number)")
    ax.plot(xs, ys)
    ax.set_xlabel("certainty of a listed cause (decile midpoint)")
    ax.set_ylabel("fraction that were the reviewer's cause")
    ax.set_title(f"Reliability on the blind review set ({len(results)} cases)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(plot, dpi=120)
    plt.close(fig)
    print(f"  reliability plot written to {plot}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules-dir", type=Path, default=DEFAULT_RULES_DIR)
    parser.add_argument("--quiet", action="store_true", help="figures only, no failing cases")
    parser.add_argument("--plot", type=Path, help="write the calibration plot (PNG) here")
    args = parser.parse_args()
    review: list[tuple[GoldenCase, Response]] = []
    for name, cases in case_sets().items():
        results = evaluate(cases, args.rules_dir)
        report(name, results, verbose=not args.quiet)
        if name.startswith("review"):
            review += results
    print_calibration(review, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
