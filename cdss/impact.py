"""Change impact of a rule-base edit: which patients' answers it moves (`cdss rules impact`).

Every case file of the library (by default tests/cases, tests/cases_review, tests/cases_safety
and the rules' unit examples in tests/cases_examples) is evaluated with two rule bases - the one
being edited and another, given as a directory or as a git revision whose `rules/` is read with
`git archive` - and every case
whose top cause, alerts or tests differ is printed, then a summary per expected cause (top-1
before and after, where the case file has an expectation). The review holdout
(`holdout.txt` beside the review cases) is summarised apart and last, so a change is never
tuned on it.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from google.protobuf import json_format

from cdss._proto import case_pb2
from cdss.convert import case_from_proto
from cdss.errors import CaseError, ConfigError
from cdss.evaluator import Evaluator

CASE_DIRS = ("tests/cases", "tests/cases_review", "tests/cases_safety", "tests/cases_examples")
HOLDOUT = "holdout.txt"


@dataclass(frozen=True, slots=True)
class Answer:
    """What a reviewer compares: the leading cause, the alerts and the tests."""

    top: str
    alerts: frozenset[str]  # "KIND:URGENCY"
    tests: frozenset[str]


@dataclass(frozen=True, slots=True)
class LibraryCase:
    stem: str
    case: case_pb2.Case
    expected: str  # the expected top cause, "" when the file has none
    accepted: frozenset[str]  # the expected top cause and its accepted alternatives
    holdout: bool


def load_library(root: Path, dirs: tuple[str, ...] = CASE_DIRS) -> list[LibraryCase]:
    out = []
    for d in dirs:
        folder = root / d
        hold_file = folder / HOLDOUT
        held = set()
        if hold_file.exists():
            lines = hold_file.read_text(encoding="utf-8").splitlines()
            held = {x.strip() for x in lines if x.strip() and not x.startswith("#")}
        for path in sorted(folder.glob("*.json")):
            try:
                msg = json_format.Parse(path.read_text(encoding="utf-8"), case_pb2.Case())
            except json_format.ParseError:
                continue
            spec_path = path.with_suffix(".expect.yaml")
            spec = (
                yaml.safe_load(spec_path.read_text(encoding="utf-8")) if spec_path.exists() else {}
            )
            expect = (spec or {}).get("expect", {})
            top = str(expect.get("top_cause", ""))
            accepted = frozenset({top, *expect.get("acceptable_top", [])} - {""})
            out.append(LibraryCase(path.stem, msg, top, accepted, path.stem in held))
    return out


def answers(rules_dir: Path, library: list[LibraryCase]) -> dict[str, Answer]:
    evaluator = Evaluator.from_directory(rules_dir)
    out: dict[str, Answer] = {}
    try:
        for c in library:
            try:
                d = evaluator.evaluate(case_from_proto(c.case))
            except CaseError:
                out[c.stem] = Answer("(refused)", frozenset(), frozenset())
                continue
            out[c.stem] = Answer(
                d.causes[0].category.value if d.causes else "(empty)",
                frozenset(f"{a.kind.value}:{a.urgency.value}" for a in d.alerts),
                frozenset(t.test.value for t in d.tests),
            )
    finally:
        evaluator.close()
    return out


@contextmanager
def rules_at(against: str, repo: Path) -> Iterator[Path]:
    """A rules directory as it is, or as it was at a git revision."""
    given = Path(against)
    if given.is_dir():
        yield given
        return
    proc = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", against, "rules"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise ConfigError(
            f"--against {against!r} is neither a rules directory nor a git revision with "
            f"rules/: {proc.stderr.decode(errors='replace').strip()}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "rules"


def _short(name: str) -> str:
    for prefix in ("CAUSE_", "ALERT_KIND_", "TEST_"):
        name = name.replace(prefix, "")
    return name.replace("URGENCY_", "").lower()


def _diff(before: frozenset[str], after: frozenset[str]) -> str:
    added = ", ".join(_short(x) for x in sorted(after - before))
    removed = ", ".join(_short(x) for x in sorted(before - after))
    return "; ".join(
        p for p in (f"+{added}" if added else "", f"-{removed}" if removed else "") if p
    )


def report(
    library: list[LibraryCase], before: dict[str, Answer], after: dict[str, Answer]
) -> list[str]:
    lines: list[str] = []
    changed = 0
    for c in library:
        b, a = before[c.stem], after[c.stem]
        if a == b:
            continue
        changed += 1
        parts = []
        if a.top != b.top:
            was, now = (
                _short(t) + (" (expected)" if t in c.accepted else "") for t in (b.top, a.top)
            )
            parts.append(f"top {was} -> {now}")
        if a.alerts != b.alerts:
            parts.append(f"alerts {_diff(b.alerts, a.alerts)}")
        if a.tests != b.tests:
            parts.append(f"tests {_diff(b.tests, a.tests)}")
        tag = " [holdout]" if c.holdout else ""
        lines.append(f"{c.stem}{tag}: " + " | ".join(parts))
    lines.append(f"\n{changed} of {len(library)} answers changed")
    for title, cases in (
        ("by expected cause (holdout excluded)", [c for c in library if not c.holdout]),
        ("review holdout", [c for c in library if c.holdout]),
    ):
        if not cases:
            continue
        rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for c in cases:
            if not c.expected:
                continue
            row = rows[c.expected]
            row[0] += 1
            row[1] += before[c.stem].top in c.accepted
            row[2] += after[c.stem].top in c.accepted
        lines.append(f"\ntop-1 {title}: before -> after")
        for cause in sorted(rows):
            n, b1, a1 = rows[cause]
            flag = "" if a1 == b1 else ("  better" if a1 > b1 else "  WORSE")
            lines.append(f"  {_short(cause):28} {b1:>3} -> {a1:<3} of {n}{flag}")
        total = [sum(r[i] for r in rows.values()) for i in range(3)]
        lines.append(f"  {'all':28} {total[1]:>3} -> {total[2]:<3} of {total[0]}")
    return lines


def impact(rules_dir: Path, against: str, root: Path) -> list[str]:
    library = load_library(root)
    after = answers(rules_dir, library)
    with rules_at(against, root) as other:
        before = answers(other, library)
    return report(library, before, after)
