"""Rules with example patients (issue 11): compute, write and check every active rule's
`examples:` and `counter_examples:`.

    python scripts/rule_examples.py write [--rules-dir rules] [--root .]
    python scripts/rule_examples.py check [--rules-dir rules] [--root .]

`write` evaluates every case of the library once with the rule base in --rules-dir and writes
into each active rule, right after its `status:` line, the cases it fires on (up to three:
golden first, then review, safety and the unit examples; never a review-holdout case; entries
already listed are kept while they still hold) and, for a rule with exclusions, the cases its
positive part matches but an exclusion stops. The edit is textual (comments and layout stay)
and idempotent: a second run changes nothing. Run `make docs` afterwards (the catalogue shows
the lists and the content hash).

`check` reports every listed case that does not exist, does not fire (or, as a counter-example,
fires), every active rule without examples or that fires on no case, and the rules `write`
would change; it exits 1 when a listed example is wrong or a rule has none.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdss import rule_examples as rx
from cdss.evaluator import Evaluator
from cdss.paths import DEFAULT_RULES_DIR
from cdss.rulebase.compiler import CompiledRuleBase
from cdss.rulebase.example_lists import apply
from cdss.rulebase.loader import load_rulebase_texts

ROOT = Path(__file__).resolve().parent.parent


def write(rules_dir: Path, compiled: CompiledRuleBase, chosen: dict[str, rx.Choice]) -> int:
    rb = compiled.rulebase
    texts = dict(rb.texts)
    for file, lists in rx.lists_by_file(rb.rules, chosen).items():
        texts[file] = apply(texts[file], lists)
    written = load_rulebase_texts(texts)  # the edit must read back as exactly these lists
    for r in written.rules:
        if r.id in chosen and (r.examples, r.counter_examples) != (
            chosen[r.id].examples,
            chosen[r.id].counter_examples,
        ):
            raise SystemExit(f"{r.id}: the edited file does not read back as written")
    changed = [name for name, text in texts.items() if text != rb.texts[name]]
    for name in changed:
        (rules_dir / name).write_text(texts[name], encoding="utf-8")
    print(f"wrote examples into {len(changed)} file(s): {', '.join(changed) or 'none changed'}")
    return len(changed)


def report(compiled: CompiledRuleBase, runs: dict[str, rx.CaseRun]) -> int:
    chosen = rx.proposals(compiled, runs)
    problems = rx.problems(compiled, runs)
    for rule in rx.never_fired(compiled, runs):
        problems.append(f"{rule.id} ({rule.file}:{rule.line}): fires on no case of the library")
    for p in problems:
        print(p)
    rules = {r.id: r for r in compiled.rulebase.rules}
    stale = [
        rid
        for rid, c in chosen.items()
        if (rules[rid].examples, rules[rid].counter_examples) != (c.examples, c.counter_examples)
    ]
    with_exclusions = [r for r in rules.values() if r.status == "active" and rx.exclusions(r.when)]
    no_counter = [r.id for r in with_exclusions if not chosen[r.id].counter_examples]
    print(
        f"{len(runs)} cases, {len(chosen)} active rules, {len(with_exclusions)} with exclusions "
        f"({len(no_counter)} without a counter-example in the library: {', '.join(no_counter)})"
    )
    if stale:
        print(f"`write` would change {len(stale)} rule(s): {', '.join(stale)}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("action", choices=["write", "check"])
    ap.add_argument("--rules-dir", type=Path, default=DEFAULT_RULES_DIR)
    ap.add_argument("--root", type=Path, default=ROOT, help="the project holding tests/cases*")
    args = ap.parse_args(argv)
    evaluator = Evaluator.from_directory(args.rules_dir)
    try:
        runs = rx.run_library(evaluator, args.root)
        if args.action == "write":
            write(args.rules_dir, evaluator.compiled, rx.proposals(evaluator.compiled, runs))
            return 0
        return report(evaluator.compiled, runs)
    finally:
        evaluator.close()


if __name__ == "__main__":
    sys.exit(main())
