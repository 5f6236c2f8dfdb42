"""Rank the findings to collect next by how much each would change the differential.

Method (what-if re-evaluation): for every field a request names, the case is evaluated again
with that field set to each of a few representative values (an MRC grade of 3 and of 5,
yes and no, a reduced, normal and brisk reflex, ...), as far as the evidence for the causes
(cdss/whatif.py re-evaluates only the rules the change reaches; tests check it equals a full
durable-rules run). The swing of an outcome is the largest change
of any cause's certainty; a field's value is the mean swing over its values, a request's
value the best of its fields. The answer says what each outcome would do ("weak: L5
radiculopathy leads (0.72); normal: peroneal neuropathy leads (0.84)").

It runs only when the answer is uncertain (the leading cause below "likely", or the two
leading causes within the close-call margin); otherwise requests keep rule order. Requests
are ordered emergency first, then by expected change, so a time-critical question is never
buried under a more informative routine one.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from dataclasses import dataclass
from typing import Any

from cdss import case_fields, facts, vocabulary
from cdss.decision import InformationRequest
from cdss.engine import Engine, Firing
from cdss.flatten import DERIVED_FROM, LEG_DECIDING_FIELD, Unit, build_units, field_change
from cdss.names import cause_label, legs_label, words
from cdss.rulebase.refs import LegRef, fact_ref
from cdss.scoring import Scores, Scoring
from cdss.vocabulary import Leg, Urgency
from cdss.whatif import WhatIf, changed_props, fired_by_unit

MAX_WHAT_IFS = 40  # what-if evaluations per case, at most

# The sections whose fields are bedside questions, and the case message each one reads.
_PROBED_SECTIONS = {
    "A": "LimbExam",
    "O": "LimbExam",
    "history": "History",
    "general": "GeneralExam",
}


@functools.cache
def probe_values(section: str, name: str) -> tuple[Any, ...]:
    """Representative values of one case field (empty when it is not a bedside question):
    weak and normal for an MRC grade, yes and no, and for an enum the values its declaration
    marks as probes (each alone, for a set such as the regions of sensory loss). Read from the
    contract's declarations once per field (cached: they do not change while running)."""
    message = _PROBED_SECTIONS.get(section)
    if message is None:
        return ()
    declared = {f.name: f for f in case_fields.fields_of(case_fields.message_named(message))}
    field = declared.get(name)
    if field is None:
        return ()
    if field.mrc_grade:
        return (3, 5)
    if field.kind == "bool":
        return (True, False)
    if field.enum is None:
        return ()
    enum = getattr(vocabulary, field.enum.name)
    members = tuple(enum(n) for n in case_fields.probe_names(field.enum))
    return tuple(frozenset({m}) for m in members) if field.kind == "set" else members


def value_words(name: str, value: Any) -> str:
    if name in facts.MRC_FIELDS:
        return "weak (MRC 3)" if value < 5 else "normal (MRC 5)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(words(v.value) for v in value)
    return words(getattr(value, "value", value))


def with_field(
    case: facts.Case, legs: list[Leg], section: str, name: str, value: Any
) -> facts.Case:
    """The case with one field set (for A.* on every affected leg, O.* on the other leg)."""
    if section in ("A", "O"):
        exam = case.exam
        targets = (
            legs if section == "A" else [Leg.LEG_RIGHT if legs[0] == Leg.LEG_LEFT else Leg.LEG_LEFT]
        )
        for leg in targets:
            if leg == Leg.LEG_LEFT:
                left = dataclasses.replace(exam.left or facts.LimbExam(), **{name: value})
                exam = dataclasses.replace(exam, left=left)
            else:
                right = dataclasses.replace(exam.right or facts.LimbExam(), **{name: value})
                exam = dataclasses.replace(exam, right=right)
        return dataclasses.replace(case, exam=exam)
    if section == "general":
        general = dataclasses.replace(case.exam.general, **{name: value})
        return dataclasses.replace(case, exam=dataclasses.replace(case.exam, general=general))
    part = getattr(case, section)
    return dataclasses.replace(case, **{section: dataclasses.replace(part, **{name: value})})


@dataclass(frozen=True, slots=True)
class Baseline:
    """The evaluated case: its units, each unit's final facts, and the rules fired per unit."""

    case: facts.Case
    units: list[Unit]
    props: list[dict[str, Any]]
    fired: list[set[str]]
    certainties: dict[Any, float]

    @property
    def legs(self) -> list[Leg]:
        return [u.leg for u in self.units if u.leg is not None]


class NextQuestions:
    def __init__(self, engine: Engine, scoring: Scoring, drug_names: frozenset[str]) -> None:
        self.engine = engine
        self.scoring = scoring
        self.drug_names = drug_names
        self.whatif = WhatIf(engine.compiled, scoring.barrier)

    @staticmethod
    def baseline(
        case: facts.Case,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
        scores: Scores,
    ) -> Baseline:
        """The evaluated case as what-ifs start from it (scores: its Scores)."""
        fired = fired_by_unit(firings, len(units))
        return Baseline(case, units, props, fired, scores.certainties)

    def _certainties(self, base: Baseline, fields: tuple[str, ...], value: Any) -> dict[Any, float]:
        """Certainty per cause with every one of `fields` set to `value`: the flat facts of
        each unit are edited and only the rules the edit reaches are evaluated again
        (cdss.whatif); a change that moves a derived fact or the affected legs is evaluated
        from the rebuilt case instead."""
        edits = _flat_edits(base, fields, value)
        if edits is None:
            changed = base.case
            for field in fields:
                section, _, name = field.partition(".")
                changed = with_field(changed, base.legs, section, name, value)
            return self._certainties_of_case(base, changed)
        return self.whatif.certainties(
            base.certainties, ((base.props[i], base.fired[i], edit) for i, edit in enumerate(edits))
        )

    def _certainties_of_case(self, base: Baseline, case: facts.Case) -> dict[Any, float]:
        units = build_units(case, self.drug_names)
        if [u.leg for u in units] != [u.leg for u in base.units]:
            # the change moved the affected legs (side not recorded): evaluate it afresh
            firings, _ = self.engine.run(units, None)
            return self.scoring.score(firings).certainties
        return self.whatif.certainties(
            base.certainties,
            (
                (base.props[i], base.fired[i], changed_props(base.units[i].props, u.props))
                for i, u in enumerate(units)
            ),
        )

    def rank(
        self, base: Baseline, requests: tuple[InformationRequest, ...]
    ) -> tuple[InformationRequest, ...]:
        legs, baseline = base.legs, base.certainties
        budget = [MAX_WHAT_IFS]
        cache: dict[tuple[tuple[str, ...], Any], tuple[float, str]] = {}

        def outcome(fields: tuple[str, ...], value: Any) -> tuple[float, str]:
            key = (fields, value)
            if key not in cache:
                certainties = self._certainties(base, fields, value)
                # the largest change over the baseline's causes (map: no Python call per cause)
                now = map(certainties.__getitem__, baseline)
                swing = max(map(abs, map(operator.sub, now, baseline.values())))
                top = max(certainties, key=certainties.__getitem__)
                lead = (
                    f"{cause_label(top)} leads ({certainties[top]:.2f})"
                    if certainties[top] > 0
                    else "no cause has support"
                )
                cache[key] = (swing, lead)
                budget[0] -= 1
            return cache[key]

        ranked: list[InformationRequest] = []
        for request in requests:
            best: tuple[float, str] = (0.0, "")
            for fields, values in probes(request.fields, bool(legs)):
                if budget[0] < len(values):
                    break
                results = [(v, *outcome(fields, v)) for v in values]
                mean = sum(r[1] for r in results) / len(results)
                if mean > best[0]:
                    label = " and ".join(f.partition(".")[2].replace("_", " ") for f in fields)
                    if fact_ref(fields[0]).leg is LegRef.AFFECTED and legs:
                        label += f" ({legs_label(legs)} leg)"
                    name = fields[0].partition(".")[2]
                    text = f"{label}: " + "; ".join(
                        f"{value_words(name, v)} → {lead}" for v, _, lead in results
                    )
                    best = (mean, text)
            reason = f"{best[1]}. {request.reason}" if best[1] else request.reason
            ranked.append(
                dataclasses.replace(request, expected_change=round(best[0], 3), reason=reason)
            )
        return tuple(sorted(ranked, key=_order))


@functools.cache
def probes(
    fields: tuple[str, ...], has_leg: bool
) -> tuple[tuple[tuple[str, ...], tuple[Any, ...]], ...]:
    """A request's probeable fields, those taking the same values together (e.g. inversion
    and hip abduction both weak): findings often count only together. Cached: a rule base
    has a fixed set of requests, and they are probed in every uncertain evaluation."""
    singles = []
    for field in fields:
        section, _, name = field.partition(".")
        values = probe_values(section, name) if (section not in ("A", "O") or has_leg) else ()
        if values:
            singles.append(((field,), values))
    groups: dict[tuple[Any, ...], list[str]] = {}
    for (field,), values in singles:
        groups.setdefault(values, []).append(field)
    # fields that take the same values are probed together (the request asks them together)
    return tuple((tuple(fs), vs) for vs, fs in groups.items())


def _other(leg: Leg) -> Leg:
    return Leg.LEG_RIGHT if leg == Leg.LEG_LEFT else Leg.LEG_LEFT


def _flat_edits(base: Baseline, fields: tuple[str, ...], value: Any) -> list[dict[str, Any]] | None:
    """Per unit, the flat properties that change when every one of `fields` is set to `value`
    as with_field sets it (A.* on every affected leg, O.* on the other leg, the rest on the
    case): a leg's field is A_* in the unit where that leg is affected and O_* in the unit of
    the other leg. None when the change reaches a derived fact or may move the affected legs
    (those are evaluated from the rebuilt case)."""
    case, legs = base.case, base.legs
    edits: list[dict[str, Any]] = [{} for _ in base.units]
    for field in fields:
        section, _, name = field.partition(".")
        if section in ("A", "O"):
            if case.presentation.side is None and name == LEG_DECIDING_FIELD:
                return None
            targets = legs if section == "A" else [_other(legs[0])]
            for leg in targets:
                exam = case.exam.left if leg == Leg.LEG_LEFT else case.exam.right
                old = getattr(exam, name) if exam is not None else None
                for edit, unit in zip(edits, base.units, strict=True):
                    if unit.leg == leg:
                        edit.update(field_change("A", name, old, value))
                    elif unit.leg is not None:  # the other leg of this unit
                        edit.update(field_change("O", name, old, value))
            continue
        if field in DERIVED_FROM:
            return None
        part = case.exam.general if section == "general" else getattr(case, section)
        change = field_change(section, name, getattr(part, name), value)
        for edit in edits:
            edit.update(change)
    return edits


def _order(r: InformationRequest) -> tuple[int, float]:
    return (0 if r.urgency == Urgency.URGENCY_EMERGENCY else 1, -r.expected_change)
