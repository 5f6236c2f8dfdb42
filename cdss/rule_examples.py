"""Rules with example patients: which library cases each active rule must fire on (`examples:`)
and, for a rule with exclusions, which it must not (`counter_examples:`).

A case's id is its file stem, unique across the library (tests/cases, tests/cases_review,
tests/cases_safety, tests/cases_examples). Each case is evaluated once, in process, and the
rules that fired on any of its units (legs) are read off the engine.

An *exclusion* is a `not` among a rule's top-level conditions (the conjuncts of its `all`,
nested `all`s included). The rule's *positive part* is its condition without them. A
counter-example is a case where the positive part holds on some leg but the rule fires on
none: an exclusion stopped it. Conditions are evaluated in plain Python on each unit's final
fact (`Condition.holds`); that is the fact the rule saw, since a rule only tests findings of
earlier strata (the test checks that this reproduces the engine on every case).

`choose` proposes the lists (`scripts/rule_examples.py write` puts them in the rule files):
still-valid entries already listed are kept, then the list is filled up to three cases,
golden first, then review, safety and the unit examples, never a review-holdout case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdss.convert import case_from_proto
from cdss.errors import CaseError
from cdss.evaluator import Evaluator
from cdss.flatten import build_units
from cdss.impact import load_library
from cdss.rulebase.compiler import CompiledRule, CompiledRuleBase
from cdss.rulebase.conditions import AllOf, Condition, Not
from cdss.rulebase.model import (
    AlertConclusion,
    Evidence,
    Request,
    Rule,
    TreatmentConclusion,
)
from cdss.scoring import ScoreOnce
from cdss.validation import validate

# The case sets in order of preference for examples (the first is preferred).
CASE_SETS = (
    ("golden", "tests/cases"),
    ("review", "tests/cases_review"),
    ("safety", "tests/cases_safety"),
    ("examples", "tests/cases_examples"),
)
MAX_CHOSEN = 3


@dataclass(frozen=True, slots=True)
class CaseRun:
    """One library case evaluated once: which rules fired on which unit, and each unit's fact."""

    stem: str
    case_set: str
    rank: int  # the set's place in CASE_SETS (lower is preferred)
    holdout: bool
    accepted: frozenset[str]  # the expected top cause and its accepted alternatives
    fired: frozenset[tuple[str, int]]  # (compiled rule name, unit)
    props: tuple[Mapping[str, Any], ...]
    refused: str = ""  # the validation error, when the case is not valid

    def fires(self, rule_id: str, compiled: CompiledRuleBase) -> bool:
        return any(compiled.by_name[name].rule.id == rule_id for name, _ in self.fired)


@dataclass(frozen=True, slots=True)
class Choice:
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


def run_library(evaluator: Evaluator, root: Path) -> dict[str, CaseRun]:
    """Every case of the library, evaluated once with the evaluator's rule base."""
    runs: dict[str, CaseRun] = {}
    drugs = frozenset(evaluator.compiled.drug_names)
    for rank, (name, folder) in enumerate(CASE_SETS):
        for c in load_library(root, (folder,)):
            if c.stem in runs:
                raise ValueError(f"case id {c.stem!r} is in {folder} and {runs[c.stem].case_set}")
            try:
                case = case_from_proto(c.case)
                validate(case)
            except CaseError as exc:
                runs[c.stem] = CaseRun(
                    c.stem, name, rank, c.holdout, c.accepted, frozenset(), (), str(exc)
                )
                continue
            units = build_units(case, drugs)
            firings, props = evaluator.engine.run(units, ScoreOnce(evaluator.scoring))
            fired = frozenset((f.rule.name, f.unit) for f in firings)
            runs[c.stem] = CaseRun(c.stem, name, rank, c.holdout, c.accepted, fired, tuple(props))
    return runs


def exclusions(condition: Condition) -> tuple[Not, ...]:
    """The `not`s among the conjuncts of a condition (through nested `all`s)."""
    if isinstance(condition, AllOf):
        return tuple(x for c in condition.items for x in _conjunct_nots(c))
    return ()


def _conjunct_nots(condition: Condition) -> tuple[Not, ...]:
    if isinstance(condition, Not):
        return (condition,)
    return exclusions(condition)


def positive_part(condition: Condition) -> Condition | None:
    """The condition without its exclusions; None when nothing positive is left."""
    if not isinstance(condition, AllOf):
        return None if isinstance(condition, Not) else condition
    kept = [p for c in condition.items if (p := positive_part(c)) is not None]
    return AllOf(tuple(kept)) if kept else None


def compiled_rules(compiled: CompiledRuleBase) -> dict[str, list[CompiledRule]]:
    """Each active rule's durable rules (itself and, for a mirror rule, its mirror)."""
    out: dict[str, list[CompiledRule]] = {}
    for c in compiled.by_name.values():
        out.setdefault(c.rule.id, []).append(c)
    return out


def blocking(rules: Iterable[CompiledRule], run: CaseRun) -> frozenset[int]:
    """When the rule's positive part holds on a unit and the rule did not fire on the case:
    the exclusions (by index) that stopped it; empty when the case is no counter-example."""
    rules = list(rules)
    if run.refused or any((c.name, u) in run.fired for c in rules for u in range(len(run.props))):
        return frozenset()
    out: set[int] = set()
    for c in rules:
        positive = positive_part(c.condition)
        if positive is None:
            continue
        for props in run.props:
            if positive.holds(props):
                out |= {i for i, n in enumerate(exclusions(c.condition)) if not n.holds(props)}
    return frozenset(out)


def concerned_causes(rule: Rule) -> frozenset[str]:
    """The causes a rule's conclusions are about (evidence, alerts, treatments, requests)."""
    out: set[str] = set()
    for c in rule.then:
        if isinstance(c, Evidence):
            out.add(c.cause.value)
        elif isinstance(c, AlertConclusion):
            out |= {x.value for x in c.concerns}
        elif isinstance(c, TreatmentConclusion):
            out |= {x.value for x in c.for_causes}
        elif isinstance(c, Request):
            out |= {x.value for x in c.separates}
    return frozenset(out)


def _preferred(runs: Iterable[CaseRun], rule: Rule) -> list[CaseRun]:
    """Not the holdout; golden first, then review, safety, unit examples; within a set the
    cases whose expected cause the rule is about first."""
    causes = concerned_causes(rule)
    return sorted(
        (r for r in runs if not r.holdout),
        key=lambda r: (r.rank, not (causes & r.accepted), r.stem),
    )


def choose(rule: Rule, compiled: CompiledRuleBase, runs: Mapping[str, CaseRun]) -> Choice:
    """The examples and counter-examples `write` gives an active rule."""
    mine = compiled_rules(compiled).get(rule.id, [])
    candidates = _preferred(runs.values(), rule)
    firing = [r for r in candidates if r.fires(rule.id, compiled)]
    fire_stems = {r.stem for r in firing}
    examples = [s for s in rule.examples if s in fire_stems]
    for r in firing:
        if len(examples) >= MAX_CHOSEN:
            break
        if r.stem not in examples:
            examples.append(r.stem)
    blocked = {r.stem: b for r in candidates if (b := blocking(mine, r))}
    counter = [s for s in rule.counter_examples if s in blocked]
    covered = {i for s in counter for i in blocked[s]}
    for need_new in (True, False):  # first a case per exclusion, then fill by preference
        for stem, excl in blocked.items():
            if len(counter) >= MAX_CHOSEN:
                break
            if stem not in counter and (not need_new or excl - covered):
                counter.append(stem)
                covered |= excl
    return Choice(tuple(examples), tuple(counter))


def problems(compiled: CompiledRuleBase, runs: Mapping[str, CaseRun]) -> list[str]:
    """Everything wrong with the rules' examples against the library; [] when all hold."""
    out: list[str] = []
    mine = compiled_rules(compiled)
    for rule in compiled.rulebase.rules:
        where = f"{rule.id} ({rule.file}:{rule.line})"
        for kind, stems in (("example", rule.examples), ("counter-example", rule.counter_examples)):
            for stem in stems:
                run = runs.get(stem)
                if run is None:
                    out.append(f"{where}: {kind} {stem!r} is not a case of the library")
                elif run.holdout:
                    out.append(f"{where}: {kind} {stem!r} is in the review holdout")
                elif run.refused:
                    out.append(f"{where}: {kind} {stem!r} is refused ({run.refused})")
        if rule.status != "active":
            continue
        if not rule.examples:
            out.append(f"{where}: no examples (the ids of cases it must fire on)")
        for stem in rule.examples:
            if stem in runs and not runs[stem].refused and not runs[stem].fires(rule.id, compiled):
                out.append(f"{where}: does not fire on its example {stem!r}")
        if rule.counter_examples and not exclusions(rule.when):
            out.append(f"{where}: has counter-examples but no exclusion (a top-level `not`)")
            continue
        for stem in rule.counter_examples:
            run = runs.get(stem)
            if run is None or run.refused:
                continue
            if run.fires(rule.id, compiled):
                out.append(f"{where}: fires on its counter-example {stem!r}")
            elif not blocking(mine.get(rule.id, []), run):
                out.append(
                    f"{where}: counter-example {stem!r} does not meet the rule's positive part "
                    "(no exclusion is what stops it)"
                )
    return out


def never_fired(compiled: CompiledRuleBase, runs: Mapping[str, CaseRun]) -> list[Rule]:
    """The active rules that fire on no case of the library (holdout included)."""
    fired = {compiled.by_name[name].rule.id for r in runs.values() for name, _ in r.fired}
    return [r for r in compiled.rulebase.rules if r.status == "active" and r.id not in fired]


def proposals(compiled: CompiledRuleBase, runs: Mapping[str, CaseRun]) -> dict[str, Choice]:
    """What `write` would list for every active rule."""
    rules = [r for r in compiled.rulebase.rules if r.status == "active"]
    return {r.id: choose(r, compiled, runs) for r in rules}


def lists_by_file(
    rules: Iterable[Rule], chosen: Mapping[str, Choice]
) -> dict[str, dict[str, dict[str, tuple[str, ...]]]]:
    """Per rule file, the lists to write into each chosen rule (the input of ``apply``)."""
    out: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    for r in rules:
        if r.id in chosen:
            out.setdefault(r.file, {})[r.id] = {
                "examples": chosen[r.id].examples,
                "counter_examples": chosen[r.id].counter_examples,
            }
    return out
