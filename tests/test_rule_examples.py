"""Rules with example patients (issue 11): every active rule lists the library cases it must
fire on (`examples:`) and, where it has exclusions, cases its positive part matches but an
exclusion stops (`counter_examples:`); each case is evaluated once, in process.

`scripts/rule_examples.py write` fills the lists; these tests hold whatever is written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cdss import rule_examples as rx
from cdss.errors import RuleBaseError
from cdss.evaluator import Evaluator
from cdss.rulebase.compiler import compile_rulebase
from cdss.rulebase.example_lists import apply
from cdss.rulebase.loader import load_rulebase, load_rulebase_texts
from tests.conftest import ROOT
from tests.golden import EXAMPLES_DIR
from tests.test_rulebase_loader import GOOD_RULE, problems, rule_dir

ACTIVE = [r for r in load_rulebase(ROOT / "rules").rules if r.status == "active"]


@pytest.fixture(scope="module")
def runs(evaluator: Evaluator) -> dict[str, rx.CaseRun]:
    return rx.run_library(evaluator, ROOT)


# ---- the library -----------------------------------------------------------------------
def test_case_ids_are_the_file_stems_and_unique_across_the_library() -> None:
    stems: list[str] = []
    for _, folder in rx.CASE_SETS:
        stems += [p.stem for p in (ROOT / folder).glob("*.json")]
    assert len(stems) == len(set(stems)), sorted(s for s in stems if stems.count(s) > 1)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_]*", s) for s in stems)


def test_every_case_of_the_library_is_evaluated(runs: dict[str, rx.CaseRun]) -> None:
    files = {p.stem for _, folder in rx.CASE_SETS for p in (ROOT / folder).glob("*.json")}
    assert set(runs) == files
    assert [s for s, r in runs.items() if r.refused] == []


def test_plain_conditions_on_the_final_fact_reproduce_the_engine(
    evaluator: Evaluator, runs: dict[str, rx.CaseRun]
) -> None:
    """Counter-examples are judged by evaluating conditions in Python on each unit's final
    fact; that is only sound if it gives exactly what durable-rules fired, case by case."""
    compiled = evaluator.compiled
    wrong = [
        (run.stem, c.rule.id, unit)
        for run in runs.values()
        for c in compiled.by_name.values()
        for unit, props in enumerate(run.props)
        if c.condition.holds(props) != ((c.name, unit) in run.fired)
    ]
    assert wrong == []


# ---- the rules' lists ------------------------------------------------------------------
@pytest.fixture(scope="module")
def listed_problems(evaluator: Evaluator, runs: dict[str, rx.CaseRun]) -> list[str]:
    return rx.problems(evaluator.compiled, runs)


@pytest.mark.parametrize("rule_id", [r.id for r in ACTIVE])
def test_rule_fires_on_its_examples_and_not_on_its_counter_examples(
    rule_id: str, listed_problems: list[str]
) -> None:
    """At least one example; each listed case exists, is not in the review holdout and the
    rule fires on it (on some leg); each counter-example exists, the rule's positive part
    holds on some leg and the rule does not fire on it."""
    mine = [p for p in listed_problems if p.startswith(f"{rule_id} (")]
    assert not mine, "\n".join([*mine, "(scripts/rule_examples.py write, or fix the case)"])


def test_rules_that_do_not_run_list_only_existing_cases(listed_problems: list[str]) -> None:
    inactive = {r.id for r in load_rulebase(ROOT / "rules").rules if r.status != "active"}
    assert [p for p in listed_problems if p.split(" ", 1)[0] in inactive] == []


def test_every_active_rule_fires_on_some_case_of_the_library(
    evaluator: Evaluator, runs: dict[str, rx.CaseRun]
) -> None:
    silent = [f"{r.id} ({r.file}:{r.line})" for r in rx.never_fired(evaluator.compiled, runs)]
    assert silent == [], "active rules that fire on no case: write a unit example for each"


def test_each_unit_example_fires_or_stops_the_rules_it_names(
    evaluator: Evaluator, runs: dict[str, rx.CaseRun]
) -> None:
    """A unit example names in its title the rules it `exemplifies` (they fire on it) or is a
    `counter_example_for` (their positive part holds and an exclusion stops them)."""
    wrong = []
    compiled = evaluator.compiled
    mine = rx.compiled_rules(compiled)
    for spec_path in sorted(EXAMPLES_DIR.glob("*.expect.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        stem = spec_path.name.removesuffix(".expect.yaml")
        fire = spec.get("exemplifies") or []
        stop = spec.get("counter_example_for") or []
        if not fire + stop or not all(rule_id in spec["title"] for rule_id in fire + stop):
            wrong.append(f"{stem}: the title must name the rules it is an example for")
        wrong += [f"{stem}: {r} does not fire" for r in fire if not runs[stem].fires(r, compiled)]
        wrong += [
            f"{stem}: {r} is not stopped" for r in stop if not rx.blocking(mine[r], runs[stem])
        ]
    assert wrong == []


# ---- the checks can fail ---------------------------------------------------------------
def test_problems_names_each_wrong_list(evaluator: Evaluator, runs: dict[str, rx.CaseRun]) -> None:
    compiled = evaluator.compiled
    rb = compiled.rulebase
    holdout = next(s for s, r in runs.items() if r.holdout)
    by_id = {r.id: r for r in rb.rules}
    fires_r1 = next(s for s, r in sorted(runs.items()) if r.fires("R1", compiled))
    silent_r1 = next(s for s, r in sorted(runs.items()) if not r.fires("R1", compiled))
    excl = next(r for r in rb.rules if r.status == "active" and rx.exclusions(r.when))
    fires_excl = next(s for s, r in sorted(runs.items()) if r.fires(excl.id, compiled))
    unrelated = next(  # the rule does not fire, and its positive part does not hold either
        s
        for s, r in sorted(runs.items())
        if not r.fires(excl.id, compiled)
        and not rx.blocking(rx.compiled_rules(compiled)[excl.id], r)
    )
    lists = {
        "R1": {"examples": [silent_r1, "no_such_case", holdout], "counter_examples": [fires_r1]},
        excl.id: {"examples": [fires_excl], "counter_examples": [fires_excl, unrelated]},
    }
    texts = dict(rb.texts)
    for file in {by_id["R1"].file, excl.file}:
        texts[file] = apply(texts[file], {k: v for k, v in lists.items() if by_id[k].file == file})
    with pytest.raises(RuleBaseError, match="both an example and a counter-example"):
        load_rulebase_texts(texts)
    lists[excl.id]["examples"] = []
    for file in {by_id["R1"].file, excl.file}:
        texts[file] = apply(texts[file], {k: v for k, v in lists.items() if by_id[k].file == file})
    edited = compile_rulebase(load_rulebase_texts(texts))
    found = [p for p in rx.problems(edited, runs) if p.startswith(("R1 ", f"{excl.id} "))]
    assert any(f"does not fire on its example '{silent_r1}'" in p for p in found)
    assert any("'no_such_case' is not a case of the library" in p for p in found)
    assert any(f"'{holdout}' is in the review holdout" in p for p in found)
    assert any("has counter-examples but no exclusion" in p for p in found)
    assert any(f"fires on its counter-example '{fires_excl}'" in p for p in found)
    assert any(f"counter-example '{unrelated}' does not meet" in p for p in found)
    assert any(p.startswith(f"{excl.id} ") and "no examples" in p for p in found)


def test_a_rule_that_fires_on_nothing_and_a_rule_without_examples_are_reported(
    tmp_path: Path,
) -> None:
    never = (
        GOOD_RULE
        + """  - id: R902
    title: Impossible age for the library
    version: 1
    status: active
    when: {fact: patient.age_years, ge: 120}
    then:
      - {support: CAUSE_STROKE, weight: 0.1}
    rationale: A rule no case of the library meets, to check the coverage test can fail.
    source: [1]
"""
    )
    text = never.replace(
        "    status: active\n    when: {fact: A.ankle_dorsiflexion",
        "    status: active\n    examples: [peroneal_01_squatting_farmworker]\n"
        "    when: {fact: A.ankle_dorsiflexion",
    )
    evaluator = Evaluator.from_directory(rule_dir(tmp_path, text))
    try:
        runs = rx.run_library(evaluator, ROOT)
        compiled = evaluator.compiled
        assert [r.id for r in rx.never_fired(compiled, runs)] == ["R902"]
        found = rx.problems(compiled, runs)
        assert not any(p.startswith("R900 ") for p in found)
        assert any(p.startswith("R901 ") and "no examples" in p for p in found)
        chosen = rx.choose(compiled.rulebase.rule("R901"), compiled, runs)
        assert chosen.examples and all(not runs[s].holdout for s in chosen.examples)
        assert [runs[s].case_set for s in chosen.examples] == ["golden"] * len(chosen.examples)
        assert rx.choose(compiled.rulebase.rule("R902"), compiled, runs) == rx.Choice((), ())
    finally:
        evaluator.close()


# ---- the loader ------------------------------------------------------------------------
def test_the_loader_reads_examples_and_counter_examples(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        "    when: {finding: F_TEST_FOOTDROP}",
        "    examples: [peroneal_01_squatting_farmworker, review_04_intraneural_ganglion]\n"
        "    counter_examples: ['123']\n"
        "    when: {finding: F_TEST_FOOTDROP}",
    )
    rule = load_rulebase(rule_dir(tmp_path, text)).rule("R901")
    assert rule.examples == ("peroneal_01_squatting_farmworker", "review_04_intraneural_ganglion")
    assert rule.counter_examples == ("123",)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("    examples: peroneal_01", "examples must be a non-empty list of case ids"),
        ("    examples: []", "examples must be a non-empty list of case ids"),
        ("    examples: [Peroneal 01]", "'Peroneal 01' is not a case id"),
        ("    counter_examples: [123]", "counter_examples: 123 is not a case id"),
        ("    examples: [a_1, a_1]", "'a_1' is listed twice"),
        (
            "    examples: [a_1]\n    counter_examples: [a_1]",
            "case 'a_1' is both an example and a counter-example",
        ),
        ("    example: [a_1]", "unknown field 'example' (did you mean 'examples'?)"),
    ],
)
def test_the_loader_refuses_bad_lists_naming_file_line_and_rule(
    tmp_path: Path, lines: str, message: str
) -> None:
    text = GOOD_RULE.replace(
        "    when: {finding: F_TEST_FOOTDROP}", lines + "\n    when: {finding: F_TEST_FOOTDROP}"
    )
    found = problems(tmp_path, text)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("10-test.yaml:") and " R901: " in found[0]


# ---- the textual edit ------------------------------------------------------------------
EDITABLE = """# a comment that must stay
topic: test
rules:
  - id: R1
    title: First   # trailing comment
    version: 2
    changes: "kept"
    status: active
    examples: [old_case]
    counter_examples:
      - old_counter
      - old_counter_2
    when: {fact: A.x, le: 4}   # stays
    then:
      - finding: F_X

  # a comment between rules
  - id: R2
    status: draft
    when: {fact: A.y, le: 4}
"""


def test_the_edit_replaces_only_the_lists_and_is_idempotent() -> None:
    lists = {"R1": {"examples": ["a", "b"], "counter_examples": []}, "R2": {"examples": ["no"]}}
    once = apply(EDITABLE, lists)
    assert apply(once, lists) == once
    assert once == EDITABLE.replace(
        "    examples: [old_case]\n    counter_examples:\n      - old_counter\n"
        "      - old_counter_2\n",
        "    examples: [a, b]\n",
    ).replace("    status: draft\n", "    status: draft\n    examples: ['no']\n")
    data = yaml.safe_load(once)
    assert data["rules"][1]["examples"] == ["no"]  # quoted: a bare no would read as false
    assert apply(once, {}) == once


def test_the_edit_of_the_shipped_rule_files_reads_back_as_written(
    evaluator: Evaluator, runs: dict[str, rx.CaseRun]
) -> None:
    compiled = evaluator.compiled
    rb = compiled.rulebase
    chosen = rx.proposals(compiled, runs)
    texts = dict(rb.texts)
    for file, lists in rx.lists_by_file(rb.rules, chosen).items():
        texts[file] = apply(texts[file], lists)
        again = apply(texts[file], lists)
        assert again == texts[file]
        kept = [line for line in texts[file].splitlines() if not _is_list_line(line)]
        assert kept == [line for line in rb.texts[file].splitlines() if not _is_list_line(line)]
    written = load_rulebase_texts(texts)
    for r in written.rules:
        if r.id in chosen:
            assert (r.examples, r.counter_examples) == (
                chosen[r.id].examples,
                chosen[r.id].counter_examples,
            )
    assert rx.problems(compile_rulebase(written), runs) == []


def _is_list_line(line: str) -> bool:
    return re.match(r"^\s+(examples|counter_examples):", line) is not None
