"""Write, or compare against, the answers of every test case: the proof that a change which
should not move an answer did not.

Usage:
  python scripts/answers_snapshot.py write SNAPSHOT.jsonl [--rules-dir DIR]
  python scripts/answers_snapshot.py compare SNAPSHOT.jsonl [--rules-dir DIR]

Every ``*.json`` case under tests/ (golden, review, safety and fixture cases that parse) is
evaluated in-process with the full answer (trace and why-not included) and written as one
line of canonical protobuf JSON per case. ``compare`` re-evaluates and prints each case whose
answer differs, exiting 1 when any does. Cases that are refused (INVALID_ARGUMENT) are
recorded with their field violations, so a change to validation shows up too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from google.protobuf import json_format

from cdss._proto import case_pb2
from cdss.convert import case_from_proto, response_from_decision
from cdss.errors import CaseError
from cdss.evaluator import Evaluator
from cdss.paths import DEFAULT_RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
CASE_DIRS = ("tests/cases", "tests/cases_review", "tests/cases_safety", "tests/cases_examples")


def case_files() -> list[Path]:
    out: list[Path] = []
    for d in CASE_DIRS:
        out += sorted((ROOT / d).glob("*.json"))
    return out


def answers(rules_dir: Path) -> dict[str, str]:
    evaluator = Evaluator.from_directory(rules_dir)
    out: dict[str, str] = {}
    try:
        for path in case_files():
            key = str(path.relative_to(ROOT))
            try:
                msg = json_format.Parse(path.read_text(encoding="utf-8"), case_pb2.Case())
            except json_format.ParseError as exc:
                out[key] = json.dumps({"unparsable": str(exc)})
                continue
            try:
                resp = response_from_decision(evaluator.evaluate(case_from_proto(msg)))
            except CaseError as exc:
                out[key] = json.dumps({"refused": [str(v) for v in exc.violations]})
                continue
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
    args = parser.parse_args(argv)
    now = answers(args.rules_dir)
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
