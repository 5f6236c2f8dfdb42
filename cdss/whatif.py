"""What-if evaluation: the evidence for a case that differs from an evaluated one in a few facts.

Used only to rank the findings worth collecting next (cdss/next_questions.py); the answer
itself always comes from durable-rules. Starting from the evaluated case's facts and fired
rules, only the rules that read a changed property are evaluated again, in stratum order,
with the same compiled conditions evaluated in Python (`Condition.holds`, which
tests/test_engine.py checks against durable-rules); a finding they add or remove changes in
turn the rules that read it. Tests check that the result equals a full durable-rules
re-evaluation of the changed case. A probe costs tens of microseconds instead of a full run.

The certainties are combined again only for the causes a rule whose firing changed gives
evidence about; every other cause keeps the evaluated case's certainty (its evidence is the
same, so combining it again gives the same number).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from typing import Any

from cdss.certainty import certainties
from cdss.engine import Firing
from cdss.rulebase.compiler import CompiledRule, CompiledRuleBase
from cdss.rulebase.model import WeightedEvidence
from cdss.vocabulary import CauseCategory

Props = dict[str, Any]


class WhatIf:
    def __init__(self, compiled: CompiledRuleBase, barrier: int) -> None:
        self.rules: list[CompiledRule] = []
        self.position: dict[str, int] = {}
        self.readers: dict[str, list[int]] = {}
        self.concluders: dict[str, list[str]] = {}
        # per rule (by position): the causes its evidence is about
        self.causes: list[frozenset[CauseCategory]] = []
        for stratum in compiled.strata:
            if stratum.index >= barrier:
                break
            for rule in stratum.rules:
                pos = len(self.rules)
                self.rules.append(rule)
                self.position[rule.name] = pos
                self.causes.append(frozenset(w.evidence.cause for w in rule.evidence))
                for leaf in rule.condition.leaves():
                    for prop in (leaf.prop, leaf.other_prop):
                        if prop:
                            self.readers.setdefault(prop, []).append(pos)
                for prop in rule.finding_props:
                    self.concluders.setdefault(prop, []).append(rule.name)
        # what `fired` reads per rule, as plain tuples (its inner loop runs ~20 times a probe)
        self._steps = [
            (r.test, r.name, tuple((p, tuple(self.concluders[p])) for p in r.finding_props))
            for r in self.rules
        ]
        # The rules that can reach a cause's evidence: those with evidence, and those concluding
        # a finding such a rule reads (to a fixed point). A probe evaluates only these: the
        # others' findings are read only by rules that reach no evidence either.
        relevant = {pos for pos, r in enumerate(self.rules) if r.evidence}
        grown = True
        while grown:
            grown = False
            for pos, r in enumerate(self.rules):
                if pos not in relevant and any(
                    reader in relevant
                    for p in r.finding_props
                    for reader in self.readers.get(p, ())
                ):
                    relevant.add(pos)
                    grown = True
        self.reaching = frozenset(self.rules[pos].name for pos in relevant)
        self._readers = {
            prop: tuple(pos for pos in positions if pos in relevant)
            for prop, positions in self.readers.items()
        }
        # per rule name with evidence: the causes it is about, and its evidence
        self._evidence = {
            r.name: (self.causes[pos], r.evidence) for pos, r in enumerate(self.rules) if r.evidence
        }

    def fired(self, props: Props, fired: set[str], changes: Props) -> set[str]:
        """The rule names fired for one unit after `changes` (prop -> value, None = absent),
        given its final props and fired rules before the change. props is updated in place.
        Exact for the rules that can reach evidence (`reaching`); the others, which no
        certainty depends on, are not evaluated again and keep their state before the change."""
        fired = set(fired)
        queue: list[int] = []
        queued: set[int] = set()
        readers = self._readers
        steps = self._steps
        push, pop = heapq.heappush, heapq.heappop

        def put(prop: str, value: Any) -> None:
            """Set (None: remove) a property; queue the rules that read it if it changed."""
            if props.get(prop) == value:
                return
            if value is None:
                props.pop(prop, None)
            else:
                props[prop] = value
            for pos in readers.get(prop, ()):
                if pos not in queued:
                    queued.add(pos)
                    push(queue, pos)

        for prop, value in changes.items():
            put(prop, value)
        while queue:
            test, name, findings = steps[pop(queue)]
            now = test(props)
            if now == (name in fired):
                continue
            if now:
                fired.add(name)
            else:
                fired.discard(name)
            for prop, concluders in findings:
                put(prop, True if any(n in fired for n in concluders) else None)
        return fired

    def certainties(
        self,
        baseline: Mapping[CauseCategory, float],
        units: Iterable[tuple[Props, set[str], Props]],
    ) -> dict[CauseCategory, float]:
        """Certainty per cause when each unit (final props, fired names, changes) is changed,
        given the certainties of the unchanged case (baseline)."""
        now = [
            (self.fired(dict(props), fired, changes) if changes else fired, fired)
            for props, fired, changes in units
        ]  # a unit the change does not reach (the other leg's unit, often) keeps its firings
        info = self._evidence
        touched: set[CauseCategory] = set()
        for after, before in now:
            if after is before:
                continue  # the same set: nothing changed in this unit
            for name in after ^ before:
                entry = info.get(name)
                if entry is not None:
                    touched |= entry[0]
        out = dict(baseline)
        if not touched:
            return out
        evidence: list[WeightedEvidence] = []
        for after, _ in now:
            for name in after:  # in the same order as before: combine's floats depend on it
                entry = info.get(name)
                if entry is not None and not touched.isdisjoint(entry[0]):
                    evidence.extend(w for w in entry[1] if w.evidence.cause in touched)
        combined = certainties(evidence)
        for cause in touched:
            out[cause] = combined.get(cause, 0.0)  # no evidence left: 0, as combine gives
        return out


def fired_by_unit(firings: Iterable[Firing], units: int) -> list[set[str]]:
    out: list[set[str]] = [set() for _ in range(units)]
    for f in firings:
        out[f.unit].add(f.rule.name)
    return out


def changed_props(before: Props, after: Props) -> Props:
    """The properties that differ (None: no longer present)."""
    keys = before.keys() | after.keys()
    return {k: after.get(k) for k in keys if before.get(k) != after.get(k)}
