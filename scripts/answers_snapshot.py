"""Write, or compare against, the answers of every test case: the proof that a change which
should not move an answer did not.

Usage:
  python scripts/answers_snapshot.py write SNAPSHOT.jsonl [--detail LEVEL] [--rules-dir DIR]
  python scripts/answers_snapshot.py compare SNAPSHOT.jsonl [--detail LEVEL] [--rules-dir DIR]

Every ``*.json`` case under tests/ (golden, review, safety and fixture cases that parse) is
evaluated in-process and written as one line of canonical protobuf JSON per case. --detail
chooses the answer's level: full (the default: trace and why-not included), standard (what a
default request gets), summary, or all (each case at every level, one line per case and level,
keyed "case@level"; the proof for a change to the hot path, which skips work by level).
``compare`` re-evaluates and prints each case whose answer differs, exiting 1 when any does.
Cases that are refused (INVALID_ARGUMENT) are recorded with their field violations, so a
change to validation shows up too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from google.protobuf import json_format

from cdss._proto import case_pb2
from cdss.convert import case_from_proto, response_from_decision
from cdss.decision import Detail
from cdss.errors import CaseError
from cdss.evaluator import Evaluator
from cdss.paths import DEFAULT_RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
CASE_DIRS = ("tests/cases", "tests/cases_review", "tests/cases_safety", "tests/cases_examples")
LEVELS = {"summary": Detail.SUMMARY, "standard": Detail.STANDARD, "full": Detail.FULL}


def levels(choice: str) -> dict[str, Detail]:
    """The levels to snapshot, by the key suffix each gets ("" for a single level: the keys
    of a FULL snapshot are the case paths alone, as before the option existed)."""
    if choice == "all":
        return {f"@{name}": level for name, level in LEVELS.items()}
    return {"": LEVELS[choice]}


def case_files() -> list[Path]:
    out: list[Path] = []
    for d in CASE_DIRS:
        out += sorted((ROOT / d).glob("*.json"))
    return out


def answers(rules_dir: Path, detail: str = "full") -> dict[str, str]:
    evaluator = Evaluator.from_directory(rules_dir)
    out: dict[str, str] = {}
    try:
        for path in case_files():
            case_key = str(path.relative_to(ROOT))
            for suffix, level in levels(detail).items():
                key = case_key + suffix
                try:
                    msg = json_format.Parse(path.read_text(encoding="utf-8"), case_pb2.Case())
                except json_format.ParseError as exc:
                    out[key] = json.dumps({"unparsable": str(exc)})
                    continue
                try:
                    decision = evaluator.evaluate(case_from_proto(msg), level)
                except CaseError as exc:
                    out[key] = json.dumps({"refused": [str(v) for v in exc.violations]})
                    continue
                resp = response_from_decision(decision)
                body = json_format.MessageToDict(resp, preserving_proto_field_name=True)
                out[key] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    finally:
        evaluator.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--rules-dir", type=Path, default=DEFAULT_RULES_DIR)
    parser.add_argument("--detail", choices=(*LEVELS, "all"), default="full")
    args = parser.parse_args(argv)
    now = answers(args.rules_dir, args.detail)
    if args.action == "write":
        with args.snapshot.open("w", encoding="utf-8") as fh:
            for key in sorted(now):
                fh.write(json.dumps({"case": key, "answer": now[key]}) + "\n")
        print(f"wrote {len(now)} answers to {args.snapshot}")
        return 0
    before = {}
    for line in args.snapshot.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        before[row["case"]] = row["answer"]
    changed = sorted(k for k in before.keys() & now.keys() if before[k] != now[k])
    added = sorted(now.keys() - before.keys())
    gone = sorted(before.keys() - now.keys())
    for k in changed:
        print(f"changed: {k}")
    for k in added:
        print(f"new case (not compared): {k}")
    for k in gone:
        print(f"missing case: {k}")
    same = len(before.keys() & now.keys()) - len(changed)
    print(f"{same} identical, {len(changed)} changed, {len(added)} new, {len(gone)} missing")
    return 1 if changed or gone else 0


if __name__ == "__main__":
    sys.exit(main())
