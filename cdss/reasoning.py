"""From the rules that fired to the answer: certainties, ranking, explanations, merging.

The engine decides what fires; this module only turns the firings into the Decision:
it combines evidence (cdss.certainty), merges alerts/tests/treatments raised by several
rules, drops tests whose result is already in the case, applies ``withhold`` conclusions,
and writes the explanations from the rules' titles and the facts they matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdss import facts
from cdss.certainty import CauseScore, combine, rank
from cdss.decision import (
    Alert,
    Decision,
    FactValue,
    InformationRequest,
    RankedCause,
    RuleRef,
    SuggestedTest,
    SuggestedTreatment,
    TraceEntry,
    WhyNot,
    Withheld,
)
from cdss.engine import Firing
from cdss.flatten import Unit
from cdss.names import LEG_NAME, cause_label, trace_name
from cdss.rulebase.compiler import CompiledRule, CompiledRuleBase
from cdss.rulebase.conditions import Leaf
from cdss.rulebase.model import (
    AlertConclusion,
    Finding,
    Request,
    TestConclusion,
    TreatmentConclusion,
    Withhold,
)
from cdss.rulebase.refs import close_call_property
from cdss.vocabulary import (
    CAUSE_GROUP,
    URGENCY_ORDER,
    CauseCategory,
    Leg,
    Likelihood,
    TestKind,
    Urgency,
)

TOP = 3  # causes "at the top" of the differential; the others get a why-not
KEY_FACTS = (
    ("presentation.onset", "Onset (sudden, acute, subacute, gradual)"),
    ("presentation.days_since_onset", "Days since onset"),
    ("patient.age_years", "Age"),
    ("presentation.course", "Course"),
)


@dataclass(frozen=True, slots=True)
class _Context:
    compiled: CompiledRuleBase
    case: facts.Case
    units: list[Unit]
    props: list[dict[str, Any]]
    concluded_by: dict[tuple[int, str], Firing]  # (unit, finding property) -> the rule that set it
    evidence_index: dict[tuple[CauseCategory, int], list[tuple[float, Firing]]]
    leg_specific: dict[str, bool]  # compiled rule name -> its condition reads a leg
    _matched: dict[int, list[Leaf]] = field(default_factory=dict)  # caches, per firing
    _facts: dict[int, tuple[FactValue, ...]] = field(default_factory=dict)
    _evidence: dict[int, tuple[FactValue, ...]] = field(default_factory=dict)

    @classmethod
    def build(  # noqa: PLR0917 - one call site, named where it is called
        cls,
        compiled: CompiledRuleBase,
        case: facts.Case,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
        leg_specific: dict[str, bool],
    ) -> _Context:
        concluded: dict[tuple[int, str], Firing] = {}
        index: dict[tuple[CauseCategory, int], list[tuple[float, Firing]]] = {}
        for f in firings:
            for prop in f.rule.finding_props:
                concluded.setdefault((f.unit, prop), f)
            for w in f.rule.evidence:
                e = w.evidence
                index.setdefault((e.cause, e.direction), []).append((e.weight, f))
        return cls(compiled, case, units, props, concluded, index, leg_specific)

    def matched(self, firing: Firing) -> list[Leaf]:
        key = id(firing)
        if key not in self._matched:
            self._matched[key] = firing.rule.condition.matched(self.props[firing.unit])
        return self._matched[key]

    def leg(self, firing: Firing) -> Leg | None:
        return self.units[firing.unit].leg

    def fact_values(self, firing: Firing) -> tuple[FactValue, ...]:
        """Every leaf of the rule's condition that held, as the trace shows it."""
        key = id(firing)
        if key not in self._facts:
            props = self.props[firing.unit]
            leg = self.leg(firing)
            out = [_fact_value(leaf, props, leg) for leaf in self.matched(firing)]
            self._facts[key] = tuple(dict.fromkeys(out))
        return self._facts[key]

    def evidence(self, firing: Firing) -> tuple[FactValue, ...]:
        """The case facts behind a firing: findings it matched are replaced by the facts of the
        rules that concluded them (recursively); what it matched by an absence ("not ...") is
        left out (it is in the trace)."""
        key = id(firing)
        if key in self._evidence:
            return self._evidence[key]
        props = self.props[firing.unit]
        leg = self.leg(firing)
        out: list[FactValue] = []
        for leaf in self.matched(firing):
            if not leaf.holds(props):
                continue  # matched by an absence ("not ..."): shown in the trace only
            if not leaf.ref.is_finding:
                out.append(_fact_value(leaf, props, leg))
                continue
            source = self.concluded_by.get((firing.unit, leaf.prop))
            if source is None or not props.get(leaf.prop):
                continue
            # the concluding rule is in an earlier stratum, so this recursion always ends
            out.extend(self.evidence(source))
        self._evidence[key] = tuple(dict.fromkeys(out))
        return self._evidence[key]

    def ref(self, firing: Firing, weight: float = 0.0) -> RuleRef:
        r = firing.rule.rule
        return RuleRef(r.id, r.title, self._ref_leg(firing), self.evidence(firing), weight)

    def _ref_leg(self, firing: Firing) -> Leg | None:
        return self.leg(firing) if self.leg_specific[firing.rule.name] else None


def _fact_value(leaf: Leaf, props: Mapping[str, Any], leg: Leg | None) -> FactValue:
    name = trace_name(leaf.ref, leg)
    value = props.get(leaf.prop)
    if leaf.ref.tests_causes:
        return FactValue(name, _show(value) if leaf.op != "has" else ("yes" if value else "no"))
    if leaf.ref.is_finding:
        return FactValue(name, "present" if value else "absent")
    if leaf.op == "has":
        text = f"includes {leaf.value}" if value else f"does not include {leaf.value}"
        return FactValue(name, text)
    if leaf.other is not None:
        other = trace_name(leaf.other, leg)
        return FactValue(name, f"{_show(value)} (vs {other} = {_show(props.get(leaf.other_prop))})")
    return FactValue(name, _show(value))


def _show(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _merge_facts(groups: Iterable[Iterable[FactValue]]) -> tuple[FactValue, ...]:
    return tuple(dict.fromkeys(f for g in groups for f in g))


def _ids(firings: Iterable[Firing]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.rule.rule.id for f in firings))


class Reasoner:
    """Turns the firings of one evaluation into a Decision."""

    def __init__(self, compiled: CompiledRuleBase) -> None:
        self.compiled = compiled
        meta = compiled.rulebase.meta
        self.thresholds = meta.thresholds
        self.test_result_fields = meta.test_result_fields
        self.barrier = min((s.index for s in compiled.strata if s.needs_causes), default=10**6)
        # text that depends only on the rule: built once, at start-up
        self._trace_text = {name: _trace_text(rule) for name, rule in compiled.by_name.items()}
        self.leg_specific = {
            name: any(leaf.ref.leg is not None for leaf in rule.condition.leaves())
            for name, rule in compiled.by_name.items()
        }

    # ---- called by the engine between strata ---------------------------------------------
    def scores(
        self, firings: list[Firing]
    ) -> tuple[dict[CauseCategory, CauseScore], list[CauseScore]]:
        scores, ranked, _ = self._score(firings)
        return scores, ranked

    def _score(
        self, firings: list[Firing]
    ) -> tuple[dict[CauseCategory, CauseScore], list[CauseScore], dict[CauseCategory, Urgency]]:
        evidence = [w for f in firings for w in f.rule.evidence]
        scores = combine(evidence)
        alert_urgency = self._alert_urgency(firings)
        return scores, rank(scores, alert_urgency), alert_urgency

    def before_causes(self, firings: list[Firing]) -> list[Firing]:
        """The firings of the strata before the first one that tests cause certainties."""
        return [f for f in firings if f.stratum < self.barrier]

    def cause_props(self, firings: list[Firing]) -> dict[str, Any]:
        """Certainty and rank of every cause, and which pair leads unresolved (close call),
        for the rules of the strata after the evidence."""
        _, ranked = self.scores(firings)
        out: dict[str, Any] = {}
        for i, s in enumerate(ranked, start=1):
            out[f"c_{s.cause.value}"] = round(s.certainty, 4)
            out[f"rank_{s.cause.value}"] = i if s.has_support else 99
        first, second = ranked[0], ranked[1]
        gap = round(first.certainty, 2) - round(second.certainty, 2)
        if second.has_support and gap < self.thresholds.close_call:
            out[close_call_property(first.cause, second.cause)] = True
        return out

    @staticmethod
    def _alert_urgency(firings: list[Firing]) -> dict[CauseCategory, Urgency]:
        out: dict[CauseCategory, Urgency] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, AlertConclusion) and c.urgency != Urgency.URGENCY_ROUTINE:
                    for cause in c.concerns:
                        if cause not in out or URGENCY_ORDER[c.urgency] < URGENCY_ORDER[out[cause]]:
                            out[cause] = c.urgency
        return out

    # ---- the answer ------------------------------------------------------------------------
    def decide(
        self,
        case: facts.Case,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
    ) -> Decision:
        ctx = _Context.build(self.compiled, case, units, props, firings, self.leg_specific)
        # rank as the rules after the evidence saw it (alerts raised later do not re-rank)
        scores, ranked, alert_urgency = self._score(self.before_causes(firings))
        causes = self._causes(ctx, firings, ranked, alert_urgency)
        listed = {c.category for c in causes[:TOP]}
        blocked = self._withheld_by_rules(firings)
        withheld = [Withheld(item, reason, tuple(ids)) for item, (reason, ids) in blocked.items()]
        tests = self._tests(ctx, firings, withheld, blocked)
        treatments = self._treatments(ctx, firings, blocked)
        rb = self.compiled.rulebase
        return Decision(
            case_id=case.case_id,
            alerts=self._alerts(ctx, firings),
            causes=tuple(causes),
            tests=tests,
            treatments=treatments,
            requests=self._requests(firings),
            not_assessed=self._not_assessed(case, units),
            conflicts=self._conflicts(ctx, firings, scores),
            trace=tuple(self._trace(ctx, f) for f in firings),
            ruleset_version=rb.meta.version,
            ruleset_hash=rb.content_hash,
            intended_use=rb.meta.intended_use,
            why_not=self._why_not(ctx, firings, scores, ranked, listed),
            withheld=tuple(withheld),
        )

    def _refs(
        self, ctx: _Context, firings: list[Firing], cause: CauseCategory, direction: int
    ) -> tuple[RuleRef, ...]:
        best: dict[str, tuple[float, Firing]] = {}
        for weight, f in ctx.evidence_index.get((cause, direction), ()):
            rid = f.rule.rule.id
            if rid not in best or weight > best[rid][0]:
                best[rid] = (weight, f)
        ordered = sorted(best.values(), key=lambda wf: -wf[0])
        return tuple(ctx.ref(f, w) for w, f in ordered)

    def _likelihood(self, s: CauseScore, alert: Urgency | None) -> Likelihood:
        if s.certainty >= self.thresholds.likely:
            return Likelihood.LIKELIHOOD_LIKELY
        if alert in (Urgency.URGENCY_EMERGENCY, Urgency.URGENCY_URGENT):
            return Likelihood.LIKELIHOOD_MUST_NOT_MISS
        if s.certainty < self.thresholds.possible and (s.against_bedside or s.against_result):
            return Likelihood.LIKELIHOOD_UNLIKELY
        return Likelihood.LIKELIHOOD_POSSIBLE

    def _causes(
        self,
        ctx: _Context,
        firings: list[Firing],
        ranked: list[CauseScore],
        alert_urgency: dict[CauseCategory, Urgency],
    ) -> list[RankedCause]:
        out: list[RankedCause] = []
        for s in ranked:
            if not s.has_support:
                continue
            supporting = self._refs(ctx, firings, s.cause, +1)
            against = self._refs(ctx, firings, s.cause, -1)
            likelihood = self._likelihood(s, alert_urgency.get(s.cause))
            out.append(
                RankedCause(
                    category=s.cause,
                    group=CAUSE_GROUP[s.cause],
                    certainty=round(s.certainty, 3),
                    likelihood=likelihood,
                    explanation=self._explain(s, likelihood, supporting, against),
                    rank=len(out) + 1,
                    supporting=supporting,
                    against=against,
                )
            )
        return out

    @staticmethod
    def _explain(
        s: CauseScore,
        likelihood: Likelihood,
        supporting: tuple[RuleRef, ...],
        against: tuple[RuleRef, ...],
    ) -> str:
        word = likelihood.value.removeprefix("LIKELIHOOD_").replace("_", " ").lower()
        text = f"{cause_label(s.cause).capitalize()}: {word} (certainty {s.certainty:.2f})."
        if supporting:
            text += (
                " For: "
                + "; ".join(f"{r.title} [{r.rule_id} +{r.weight:.2f}]" for r in supporting)
                + "."
            )
        if against:
            text += (
                " Against: "
                + "; ".join(f"{r.title} [{r.rule_id} -{r.weight:.2f}]" for r in against)
                + "."
            )
        return text

    def _why_not(
        self,
        ctx: _Context,
        firings: list[Firing],
        scores: dict[CauseCategory, CauseScore],
        ranked: list[CauseScore],
        listed: set[CauseCategory],
    ) -> tuple[WhyNot, ...]:
        out = []
        for s in ranked:
            if s.cause in listed:
                continue
            against = self._refs(ctx, firings, s.cause, -1)
            label = cause_label(s.cause).capitalize()
            if against:
                text = f"{label} was lowered by: " + "; ".join(
                    f"{r.title} [{r.rule_id} -{r.weight:.2f}]" for r in against
                )
                if not s.has_support:
                    text += "; nothing in the case supports it"
                text += "."
            elif s.has_support:
                text = (
                    f"{label} has some support (certainty {s.certainty:.2f}) "
                    "but less than the causes above."
                )
            else:
                text = f"{label}: nothing in the case supports or lowers it (no rule for it fired)."
            out.append(WhyNot(s.cause, round(scores[s.cause].certainty, 3), text, against))
        return tuple(out)

    def _alerts(self, ctx: _Context, firings: list[Firing]) -> tuple[Alert, ...]:
        merged: dict[Any, tuple[AlertConclusion, list[Firing]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, AlertConclusion):
                    if c.kind not in merged:
                        merged[c.kind] = (c, [f])
                        continue
                    best, fs = merged[c.kind]
                    fs.append(f)
                    if URGENCY_ORDER[c.urgency] < URGENCY_ORDER[best.urgency]:
                        merged[c.kind] = (c, fs)
        alerts = [
            Alert(
                c.kind,
                c.urgency,
                c.summary,
                c.action,
                _ids(fs),
                _merge_facts(ctx.evidence(f) for f in fs),
            )
            for c, fs in merged.values()
        ]
        alerts.sort(key=lambda a: URGENCY_ORDER[a.urgency])
        return tuple(alerts)

    def _result_present(self, ctx: _Context, test: TestKind) -> str:
        field = self.test_result_fields.get(test)
        if field is None:
            return ""
        value = getattr(ctx.case.results, field.removeprefix("results."), None)
        return "" if value is None else f"{field} = {_show(getattr(value, 'value', value))}"

    def _withheld_by_rules(self, firings: list[Firing]) -> dict[Any, tuple[str, list[str]]]:
        out: dict[Any, tuple[str, list[str]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, Withhold):
                    out.setdefault(c.item, (c.reason, []))[1].append(f.rule.rule.id)
        return out

    def _tests(
        self,
        ctx: _Context,
        firings: list[Firing],
        withheld: list[Withheld],
        blocked: dict[Any, tuple[str, list[str]]],
    ) -> tuple[SuggestedTest, ...]:
        merged: dict[TestKind, tuple[TestConclusion, list[Firing]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, TestConclusion):
                    if c.test not in merged:
                        merged[c.test] = (c, [f])
                        continue
                    best, fs = merged[c.test]
                    fs.append(f)
                    more_urgent = URGENCY_ORDER[c.urgency] < URGENCY_ORDER[best.urgency]
                    if more_urgent or (c.repeat and not best.repeat and c.urgency == best.urgency):
                        merged[c.test] = (c, fs)
        days = ctx.case.presentation.days_since_onset
        out = []
        for test, (c, fs) in merged.items():
            present = self._result_present(ctx, test)
            repeat = any(
                isinstance(x, TestConclusion) and x.test == test and x.repeat
                for f in fs
                for x in f.rule.rule.then
            )
            if present and not repeat:
                withheld.append(Withheld(test, f"result already in the case ({present})", _ids(fs)))
                continue
            if test in blocked and c.urgency != Urgency.URGENCY_EMERGENCY:
                continue  # listed in withheld already; an emergency test is never withheld
            out.append(
                SuggestedTest(
                    test=test,
                    urgency=c.urgency,
                    explanation=c.explanation,
                    rule_ids=_ids(fs),
                    timing=_timing(c, days),
                    earliest_day_after_onset=c.earliest_day,
                    facts=_merge_facts(ctx.evidence(f) for f in fs),
                )
            )
        out.sort(key=lambda t: URGENCY_ORDER[t.urgency])
        return tuple(out)

    def _treatments(
        self, ctx: _Context, firings: list[Firing], blocked: dict[Any, tuple[str, list[str]]]
    ) -> tuple[SuggestedTreatment, ...]:
        merged: dict[Any, tuple[TreatmentConclusion, list[Firing], list[CauseCategory]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, TreatmentConclusion):
                    entry = merged.setdefault(c.treatment, (c, [], []))
                    entry[1].append(f)
                    entry[2].extend(x for x in c.for_causes if x not in entry[2])
        out = []
        for kind, (_, fs, causes) in merged.items():
            if kind in blocked:
                continue  # listed in withheld already
            explanations = dict.fromkeys(
                x.explanation
                for f in fs
                for x in f.rule.rule.then
                if isinstance(x, TreatmentConclusion) and x.treatment == kind
            )
            out.append(
                SuggestedTreatment(
                    kind,
                    " ".join(explanations),
                    _ids(fs),
                    tuple(causes),
                    _merge_facts(ctx.evidence(f) for f in fs),
                )
            )
        return tuple(out)

    @staticmethod
    def _requests(firings: list[Firing]) -> tuple[InformationRequest, ...]:
        merged: dict[tuple[str, ...], tuple[Request, str, list[str]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                if isinstance(c, Request):
                    entry = merged.setdefault(c.fields, (c, f.rule.rule.rationale, []))
                    if f.rule.rule.id not in entry[2]:
                        entry[2].append(f.rule.rule.id)
        out = [
            InformationRequest(c.fields, c.question, reason, c.separates, c.urgency, tuple(ids))
            for c, reason, ids in merged.values()
        ]
        out.sort(key=lambda r: URGENCY_ORDER[r.urgency])
        return tuple(out)

    def _not_assessed(self, case: facts.Case, units: list[Unit]) -> tuple[str, ...]:
        out = []
        side = case.presentation.side
        if len(units) == 1 and units[0].leg is None:
            out.append(
                "The side of the foot drop is not recorded and no examined leg has weak ankle "
                "dorsiflexion: no examination-based rule could be applied."
            )
        elif side is None:
            legs = ", ".join(LEG_NAME[u.leg] for u in units if u.leg is not None)
            out.append(
                f"The side of the foot drop is not recorded; taken from the examination ({legs})."
            )
        for u in units:
            if u.leg is None:
                continue
            exam = case.exam.left if u.leg == Leg.LEG_LEFT else case.exam.right
            if exam is None:
                out.append(
                    f"The affected ({LEG_NAME[u.leg]}) leg was not examined: no examination-based "
                    "rule could be applied to it."
                )
        active = [r for r in self.compiled.rulebase.rules if r.status == "active"]
        for fact, label in KEY_FACTS:
            section, name = fact.split(".")
            if getattr(getattr(case, section), name) is not None:
                continue
            needing = [r.id for r in active if any(leaf.name == fact for leaf in r.when.leaves())]
            if needing:
                out.append(f"{label} not recorded: rules {', '.join(needing)} could not apply.")
        return tuple(out)

    def _conflicts(
        self, ctx: _Context, firings: list[Firing], scores: dict[CauseCategory, CauseScore]
    ) -> tuple[str, ...]:
        out = []
        for s in scores.values():
            if s.support_result > 0 and s.against_bedside >= 0.4:
                refs = self._refs(ctx, firings, s.cause, -1)
                bedside = [r.rule_id for r in refs if r.rule_id in s.against_rules]
                out.append(
                    f"Results support {cause_label(s.cause)} but bedside findings speak against it "
                    f"({', '.join(bedside)}); the result is kept, the findings are worth "
                    "re-examining."
                )
            if s.support_bedside >= self.thresholds.likely and s.against_result > 0:
                out.append(
                    f"Bedside findings support {cause_label(s.cause)} but a result speaks "
                    "against it; "
                    "the result is given more weight."
                )
        return tuple(out)

    def _trace(self, ctx: _Context, f: Firing) -> TraceEntry:
        r = f.rule.rule
        title, conclusions = self._trace_text[f.rule.name]
        return TraceEntry(
            r.id,
            r.version,
            title,
            f.stratum,
            ctx.leg(f),
            ctx.fact_values(f),
            conclusions,
        )


def _trace_text(rule: CompiledRule) -> tuple[str, tuple[str, ...]]:
    conclusions = tuple(
        f"finding O.{c.name} (other leg)"
        if isinstance(c, Finding) and rule.mirrored
        else c.describe()
        for c in rule.rule.then
    )
    return rule.rule.title + (" (other leg)" if rule.mirrored else ""), conclusions


def _timing(c: TestConclusion, days: int | None) -> str:
    text = c.timing
    if c.earliest_day is None:
        return text
    if days is None:
        note = f"from day {c.earliest_day} after onset (days since onset not recorded)"
    elif days >= c.earliest_day:
        note = f"now (day {days} after onset; informative from day {c.earliest_day})"
    else:
        wait = c.earliest_day - days
        note = f"from day {c.earliest_day} after onset, in {wait} days (today is day {days})"
    return f"{text} Schedule: {note}." if text else f"Schedule: {note}."
