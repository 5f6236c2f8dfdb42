"""Golden cases: tests/cases/<stem>.json (a case) beside <stem>.expect.yaml (what a
clinician applying the brief expects); the review, safety and unit-example sets have the same
form. Shared by the pytest suite and the clinical report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from google.protobuf import json_format

from cdss._proto import case_pb2, decision_pb2, foot_drop_service_pb2

# libyaml's safe loader where PyYAML has it: the same data, several times faster (every test
# run and benchmark loads a few hundred expectation files)
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CASES_DIR = Path(__file__).resolve().parent / "cases"
REVIEW_DIR = Path(__file__).resolve().parent / "cases_review"
SAFETY_DIR = Path(__file__).resolve().parent / "cases_safety"
# one unit example per active rule that no other case fires (issue 11): see its `exemplifies`
EXAMPLES_DIR = Path(__file__).resolve().parent / "cases_examples"
EXPECT_KEYS = {
    "top_cause",  # optional where the presentation cannot name one (safety cases)
    "acceptable_top",  # other causes a reviewer accepts in first place
    "any_alert",  # {urgency, kinds?}: at least one alert of these kinds, at least this urgent
    "top3_includes",
    "not_top",
    "alerts",
    "no_emergency_alert",
    "alerts_exclude",  # alert kinds that must not be raised
    "tests_include",
    "tests_exclude",
    "treatments_include",
    "treatments_exclude",
}


@dataclass(frozen=True)
class GoldenCase:
    stem: str
    case: case_pb2.Case
    title: str
    expect: dict[str, Any]
    published: str = ""

    @property
    def category(self) -> str:
        return str(self.expect.get("top_cause", "none"))


def load_cases(directory: Path = CASES_DIR) -> list[GoldenCase]:
    out = []
    for path in sorted(directory.glob("*.json")):
        text = path.with_suffix(".expect.yaml").read_text(encoding="utf-8")
        spec = yaml.load(text, Loader=SAFE_LOADER)
        unknown = set(spec["expect"]) - EXPECT_KEYS
        if unknown:
            raise ValueError(f"{path.stem}: unknown expectation keys {sorted(unknown)}")
        case = json_format.Parse(path.read_text(encoding="utf-8"), case_pb2.Case())
        out.append(
            GoldenCase(
                path.stem,
                case,
                spec.get("title", ""),
                spec["expect"],
                spec.get("published_case", ""),
            )
        )
    return out


def _names(enum: Any, numbers: Any) -> list[str]:
    return [enum.Name(n) for n in numbers]


@dataclass
class Outcome:
    """What a response got right and wrong against one golden case."""

    stem: str
    category: str
    top1: bool
    top3: bool
    failures: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    ranked: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def check(golden: GoldenCase, resp: foot_drop_service_pb2.EvaluateResponse) -> Outcome:
    pb = decision_pb2
    e = golden.expect
    ranked = [pb.CauseCategory.Name(c.category) for c in resp.causes]
    alerts = {pb.AlertKind.Name(a.kind): a.urgency for a in resp.alerts}
    tests = set(_names(pb.TestKind, [t.test for t in resp.tests]))
    treatments = set(_names(pb.TreatmentKind, [t.treatment for t in resp.treatments]))
    firsts = {e["top_cause"], *e.get("acceptable_top", [])} if "top_cause" in e else set()
    out = Outcome(
        golden.stem,
        golden.category,
        top1=bool(ranked) and (not firsts or ranked[0] in firsts),
        top3=not firsts or bool(firsts & set(ranked[:3])),
        alerts=[f"{k}:{pb.Urgency.Name(u)}" for k, u in alerts.items()],
        ranked=[f"{c}={r.certainty:.2f}" for c, r in zip(ranked, resp.causes, strict=True)][:4],
    )
    if not ranked:
        out.failures.append("empty differential")
    elif not out.top1:
        out.failures.append(f"top cause {ranked[:1]} expected one of {sorted(firsts)}")
    for cause in e.get("top3_includes", []):
        if cause not in ranked[:3]:
            out.failures.append(f"{cause} not in the top three")
    for cause in e.get("not_top", []):
        if ranked[:1] == [cause]:
            out.failures.append(f"{cause} ranked first")
    for alert in e.get("alerts", []):
        want = pb.Urgency.Value(alert["urgency"])
        got = alerts.get(alert["kind"])
        if got is None or got > want:  # EMERGENCY=1 < URGENT=2 < ROUTINE=3
            shown = pb.Urgency.Name(got) if got is not None else "missing"
            out.failures.append(f"alert {alert['kind']} {alert['urgency']}: {shown}")
    wanted = e.get("any_alert")
    if wanted:
        limit = pb.Urgency.Value(wanted["urgency"])
        kinds = set(wanted.get("kinds", alerts))
        if not any(u <= limit for k, u in alerts.items() if k in kinds):
            out.failures.append(f"no alert of {sorted(kinds)} at {wanted['urgency']} or above")
    for kind in e.get("alerts_exclude", []):
        if kind in alerts:
            out.failures.append(f"alert {kind} raised")
    if e.get("no_emergency_alert") and pb.URGENCY_EMERGENCY in alerts.values():
        out.failures.append("an EMERGENCY alert was raised")
    for test in e.get("tests_include", []):
        if test not in tests:
            out.failures.append(f"test {test} not suggested")
    for test in e.get("tests_exclude", []):
        if test in tests:
            out.failures.append(f"test {test} suggested")
    for t in e.get("treatments_include", []):
        if t not in treatments:
            out.failures.append(f"treatment {t} not suggested")
    for t in e.get("treatments_exclude", []):
        if t in treatments:
            out.failures.append(f"treatment {t} suggested")
    return out
