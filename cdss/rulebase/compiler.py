"""Compile a validated rule base into durable-rules rulesets, one per stratum.

Strata are computed, not declared: a rule that tests a finding runs in a later stratum than
every rule that concludes it, and a rule that tests a cause's certainty runs after every rule
that gives evidence for or against a cause (the certainties are combined between strata).
So each stratum sees every finding it may test, positive or negative, before it starts, and
no condition depends on the order facts arrive in (durable-rules' ``$not`` would).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdss.errors import RuleBaseError, RuleProblem
from cdss.rulebase.compiled_conditions import Matched, matcher, predicate
from cdss.rulebase.conditions import Condition, and_, durable_expressions
from cdss.rulebase.fact_types import property_name
from cdss.rulebase.model import Rule, RuleBase, WeightedEvidence

UNIT_PROP = "unit"  # every flat fact carries it; the alpha sink tests it
MAX_PROPERTIES = 240  # durable-rules crashes on facts with 253 or more properties
MAX_EXPRESSIONS = 30  # durable-rules refuses a rule with 32 (each and/or group takes two)
ANCHOR = {"$ex": {UNIT_PROP: 1}}
# A catch-all rule that fires for every unit fact. It does two jobs: a fact no other rule
# matches is still handled (no MessageNotHandledException), and every session starts at
# least one action. The second is a workaround: durable-rules 2.0.28 leaves a new session's
# action context uninitialised, and delete_state on a session that never started an action
# frees a garbage pointer ("munmap_chunk(): invalid pointer"; tests/test_engine.py reproduces
# it under MALLOC_CHECK_). The engine drops its firings.
SINK_NAME = "sink"
SINK = {"all": [{"m": ANCHOR}]}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One durable rule: a rule of the rule base, or its mirror for the other leg."""

    name: str  # the durable rule name, short: r<index> or r<index>m
    index: int  # the rule's place in the rule base (firings are ordered by it)
    rule: Rule
    condition: Condition
    mirrored: bool
    finding_props: tuple[str, ...]  # properties set to true on the fact when it fires
    evidence: tuple[WeightedEvidence, ...]  # its evidence for and against causes
    # condition.holds compiled into one function, at load (the what-ifs' inner loop)
    test: Callable[[Mapping[str, Any]], bool] = field(init=False, repr=False, compare=False)
    # condition.matched compiled likewise, each leaf with whether it holds (the explanations)
    match: Callable[[Mapping[str, Any]], Matched] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", predicate(self.condition))
        object.__setattr__(self, "match", matcher(self.condition))


@dataclass(frozen=True, slots=True)
class Stratum:
    index: int  # 1 = tests only case facts
    rules: tuple[CompiledRule, ...]
    definition: dict[str, Any]
    props: frozenset[str]  # the properties its rules read (the fact is projected onto them)
    needs_causes: bool  # its rules test cause certainties


@dataclass(frozen=True, slots=True)
class CompiledRuleBase:
    rulebase: RuleBase
    strata: tuple[Stratum, ...]
    drug_names: tuple[str, ...]
    by_name: dict[str, CompiledRule]


def durable_rule(condition: Condition) -> dict[str, Any]:
    """The durable-rules definition of one rule: its condition on the unit fact.

    The condition is anchored on the unit property: durable-rules also matches patterns
    against the session's own state object, so a condition made only of absences ($nex)
    would otherwise fire once per session on that object.
    """
    return {"all": [{"m": and_([ANCHOR, condition.to_durable()])}]}


def _tests_causes(condition: Condition) -> bool:
    return any(leaf.ref.tests_causes for leaf in condition.leaves())


def _finding_refs(condition: Condition) -> set[str]:
    return {leaf.name for leaf in condition.leaves() if leaf.ref.is_finding}


def _strata_levels(rules: list[Rule]) -> dict[str, int]:
    concluders: dict[str, list[Rule]] = {}
    for r in rules:
        for f in r.findings:
            concluders.setdefault(f, []).append(r)
            if r.mirror:
                concluders.setdefault(f"O.{f}", []).append(r)
    evidence_rules = [r for r in rules if r.evidence]
    deps: dict[str, list[Rule]] = {}
    for r in rules:
        d = [c for name in _finding_refs(r.when) for c in concluders.get(name, [])]
        if _tests_causes(r.when):
            d += evidence_rules
        deps[r.id] = d

    levels: dict[str, int] = {}
    visiting: list[str] = []

    def level(r: Rule) -> int:
        if r.id in levels:
            return levels[r.id]
        if r.id in visiting:
            cycle = [*visiting[visiting.index(r.id) :], r.id]
            raise RuleBaseError(
                [RuleProblem(r.file, r.line, r.id, "circular findings: " + " -> ".join(cycle))]
            )
        visiting.append(r.id)
        lv = 1 + max((level(d) for d in deps[r.id]), default=0)
        visiting.pop()
        levels[r.id] = lv
        return lv

    for r in rules:
        level(r)
    return levels


def compile_rulebase(rulebase: RuleBase) -> CompiledRuleBase:
    """Stratify the active rules and build one durable-rules ruleset definition per stratum."""
    rules = [r for r in rulebase.rules if r.status == "active"]
    levels = _strata_levels(rules)
    compiled: list[tuple[int, CompiledRule]] = []
    for i, r in enumerate(rules):
        props = tuple(property_name(f) for f in r.findings)
        evidence = tuple(WeightedEvidence(r.id, e) for e in r.evidence)
        compiled.append((levels[r.id], CompiledRule(f"r{i}", i, r, r.when, False, props, evidence)))
        if r.mirror:
            mirror_props = tuple(property_name(f"O.{f}") for f in r.findings)
            compiled.append(
                (
                    levels[r.id],
                    CompiledRule(f"r{i}m", i, r, r.when.mirrored(), True, mirror_props, evidence),
                )
            )
    problems = [
        RuleProblem(
            c.rule.file,
            c.rule.line,
            c.rule.id,
            f"condition too complex for durable-rules ({n} expressions, at most "
            f"{MAX_EXPRESSIONS}): split the rule or use fewer nested any/all/not",
        )
        for _, c in compiled
        if (n := durable_expressions(durable_rule(c.condition))) > MAX_EXPRESSIONS
    ]
    if problems:
        raise RuleBaseError(problems)
    strata = []
    for index in sorted({lv for lv, _ in compiled}):
        members = tuple(c for lv, c in compiled if lv == index)
        definition: dict[str, Any] = {c.name: durable_rule(c.condition) for c in members}
        definition[SINK_NAME] = SINK
        read = frozenset(
            {UNIT_PROP}
            | {leaf.prop for c in members for leaf in c.condition.leaves()}
            | {leaf.other_prop for c in members for leaf in c.condition.leaves() if leaf.other_prop}
        )
        if len(read) > MAX_PROPERTIES:
            raise RuleBaseError(
                [
                    RuleProblem(
                        "",
                        0,
                        "",
                        f"stratum {index} reads {len(read)} properties; "
                        f"durable-rules allows at most {MAX_PROPERTIES}",
                    )
                ]
            )
        needs_causes = any(_tests_causes(c.condition) for c in members)
        strata.append(Stratum(index, members, definition, read, needs_causes))
    drugs = tuple(sorted({m for dc in rulebase.meta.drug_classes.values() for m in dc.members}))
    by_name = {c.name: c for _, c in compiled}
    return CompiledRuleBase(rulebase, tuple(strata), drugs, by_name)
