"""From the rules that fired to the answer.

The engine decides what fires; the Reasoner only assembles the Decision from the firings and
the evaluation's Scores (cdss.scoring): the ranked causes with the rules for and against each
(cdss.evidence traces the facts behind them), alerts, tests and treatments raised by several
rules merged into one each (cdss.merging), tests whose result is already in the case and
``withhold`` conclusions kept out, and the explanations (cdss.explanation).
"""

from __future__ import annotations

from typing import Any

from cdss import explanation, facts, safety_net
from cdss.decision import (
    Alert,
    Decision,
    Detail,
    InformationRequest,
    RankedCause,
    SuggestedTest,
    SuggestedTreatment,
    TraceEntry,
    WhyNot,
    Withheld,
)
from cdss.engine import Firing
from cdss.evidence import LEGS, EvidenceTrace, TraceTables, rule_ids, show
from cdss.flatten import Unit
from cdss.merging import ByKind, group, listed_conclusions
from cdss.names import case_path
from cdss.rulebase.compiler import CompiledRuleBase
from cdss.rulebase.fact_types import property_name
from cdss.rulebase.model import (
    AlertConclusion,
    Request,
    TestConclusion,
    TreatmentConclusion,
    Withhold,
)
from cdss.rulebase.refs import fact_ref
from cdss.scoring import Scores, Scoring
from cdss.vocabulary import (
    CAUSE_GROUP,
    URGENCY_ORDER,
    CauseCategory,
    Leg,
    Likelihood,
    TestKind,
    Urgency,
)

# the conclusion types an answer lists (the others - findings, evidence - it reads elsewhere)
LISTED = (AlertConclusion, TestConclusion, TreatmentConclusion, Request, Withhold)
TOP = 3  # causes "at the top" of the differential; the others get a why-not
Blocked = dict[Any, tuple[str, list[str]]]  # withheld item -> (reason, rule ids)


def _urgency(c: AlertConclusion) -> int:
    return URGENCY_ORDER[c.urgency]


# per alert conclusion (by id: it lives as long as the rule base) and leg, the case fields
# that would withdraw it
WithdrawnBy = dict[tuple[int, Leg | None], tuple[str, ...]]


def withdrawn_by_table(compiled: CompiledRuleBase) -> WithdrawnBy:
    """The case paths of each alert conclusion's withdrawing facts on each leg, built at load."""
    return {
        (id(c), leg): tuple(case_path(fact_ref(n), leg) for n in c.withdrawn_by)
        for r in compiled.by_name.values()
        for c in r.rule.then
        if isinstance(c, AlertConclusion)
        for leg in LEGS
    }


def _withdrawn_by(
    trace: EvidenceTrace, items: list[tuple[AlertConclusion, Firing]], table: WithdrawnBy
) -> tuple[str, ...]:
    """The case fields that would withdraw an alert, from every rule that raised it."""
    paths: dict[str, None] = {}
    for c, f in items:
        leg = trace.leg(f)
        paths.update(dict.fromkeys(table[(id(c), leg)]))
    return tuple(paths)


class Reasoner:
    """Turns the firings of one evaluation, and its Scores, into a Decision."""

    def __init__(self, compiled: CompiledRuleBase, scoring: Scoring) -> None:
        self.compiled = compiled
        self.scoring = scoring
        self.test_result_fields = compiled.rulebase.meta.test_result_fields
        # per test, its result's case field and that field's attribute of case.results
        self._result_attrs = {
            test: (field, field.removeprefix("results."))
            for test, field in self.test_result_fields.items()
        }
        # what depends only on the rule: built once, at start-up
        self._trace_text = {n: explanation.trace_text(r) for n, r in compiled.by_name.items()}
        self._trace_tables = TraceTables.build(compiled)
        self._listed = listed_conclusions(compiled.by_name.values(), LISTED)
        self._withdrawn_by = withdrawn_by_table(compiled)
        # per request conclusion (by id: it lives as long as the rule base), each field it
        # asks for with its property in the flat facts
        self._request_props = {
            id(c): tuple((n, property_name(n)) for n in c.fields)
            for r in compiled.by_name.values()
            for c in r.rule.then
            if isinstance(c, Request)
        }
        active = [r for r in compiled.rulebase.rules if r.status == "active"]
        self._missing_key_fact = explanation.needing_key_facts(active)
        # rules whose only support is a base rate: they rank a cause but document nothing
        self.base_rate_only = frozenset(
            r.id
            for r in active
            if any(e.direction > 0 for e in r.evidence)
            and all(e.basis == "prior" for e in r.evidence if e.direction > 0)
        )

    def decide(
        self,
        case: facts.Case,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
        scores: Scores,
        *,
        detail: Detail = Detail.FULL,
    ) -> Decision:
        """The answer at `detail`: a lower level skips the work whose result it leaves out
        (the facts behind each item below STANDARD; the trace and why-not below FULL)."""
        trace = EvidenceTrace.build(units, props, firings, self._trace_tables)
        kinds = ByKind(firings, self._listed)
        with_facts = detail >= Detail.STANDARD
        full = detail >= Detail.FULL
        causes = self._causes(trace, scores, with_facts)
        net = self.compiled.rulebase.meta.safety_net
        documented = any(
            ref.rule_id not in self.base_rate_only for c in causes for ref in c.supporting
        )
        # the presentation's must-not-miss causes stay listed until one cause is likely
        settled = any(c.likelihood == Likelihood.LIKELIHOOD_LIKELY for c in causes)
        alerts = kinds.of(AlertConclusion)
        causes += safety_net.not_excluded(
            net, case, trace, alerts, causes, settled=settled, with_facts=with_facts
        )
        causes = safety_net.base_rates_after_emergencies(causes, alerts, self.base_rate_only)
        listed = {c.category for c in causes[:TOP]}
        blocked: Blocked = {
            item: (g.best.reason, [f.rule.rule.id for f in g.firings])
            for item, g in group(kinds.of(Withhold), lambda c: c.item).items()
        }
        withheld = [Withheld(item, reason, tuple(ids)) for item, (reason, ids) in blocked.items()]
        tests = self._tests(trace, case, kinds, withheld, blocked, with_facts=with_facts)
        rb = self.compiled.rulebase
        return Decision(
            case_id=case.case_id,
            alerts=self._alerts(trace, kinds),
            causes=tuple(causes),
            tests=tests,
            treatments=self._treatments(trace, kinds, blocked, with_facts),
            requests=self._requests(trace, kinds),
            not_assessed=explanation.not_assessed(case, units, self._missing_key_fact),
            conflicts=self._conflicts(trace, scores),
            trace=tuple(self._trace(trace, f) for f in firings) if full else (),
            ruleset_version=rb.meta.version,
            ruleset_hash=rb.content_hash,
            intended_use=rb.meta.intended_use,
            why_not=self._why_not(trace, scores, listed) if full else (),
            withheld=tuple(withheld),
            under_documented=not documented,
        )

    def _causes(self, trace: EvidenceTrace, scores: Scores, with_facts: bool) -> list[RankedCause]:
        out: list[RankedCause] = []
        for s in scores.ranked:
            if not s.has_support:
                continue
            supporting = trace.refs(s.cause, +1, with_facts)
            against = trace.refs(s.cause, -1, with_facts)
            likelihood = self.scoring.likelihood(s, scores.alert_urgency.get(s.cause))
            out.append(
                RankedCause(
                    category=s.cause,
                    group=CAUSE_GROUP[s.cause],
                    certainty=round(s.certainty, 3),
                    likelihood=likelihood,
                    explanation=explanation.cause_explanation(s, likelihood, supporting, against),
                    rank=len(out) + 1,
                    supporting=supporting,
                    against=against,
                )
            )
        return out

    @staticmethod
    def _why_not(
        trace: EvidenceTrace, scores: Scores, listed: set[CauseCategory]
    ) -> tuple[WhyNot, ...]:
        out = []
        for s in scores.ranked:
            if s.cause in listed:
                continue
            against = trace.refs(s.cause, -1)
            text = explanation.why_not(s, against)
            out.append(WhyNot(s.cause, round(s.certainty, 3), text, against))
        return tuple(out)

    def _alerts(self, trace: EvidenceTrace, kinds: ByKind) -> tuple[Alert, ...]:
        merged = group(
            kinds.of(AlertConclusion), lambda c: c.kind, lambda c: URGENCY_ORDER[c.urgency]
        )
        alerts = [
            Alert(
                g.best.kind,
                g.best.urgency,
                g.best.summary,
                g.best.action,
                rule_ids(g.firings),
                trace.facts_of(g.firings),
                _withdrawn_by(trace, g.items, self._withdrawn_by),
            )
            for g in merged.values()
        ]
        alerts.sort(key=lambda a: URGENCY_ORDER[a.urgency])
        return tuple(alerts)

    def _result_present(self, case: facts.Case, test: TestKind) -> str:
        known = self._result_attrs.get(test)
        if known is None:
            return ""
        field, attr = known
        value = getattr(case.results, attr, None)
        return "" if value is None else f"{field} = {show(getattr(value, 'value', value))}"

    def _tests(
        self,
        trace: EvidenceTrace,
        case: facts.Case,
        kinds: ByKind,
        withheld: list[Withheld],
        blocked: Blocked,
        *,
        with_facts: bool,
    ) -> tuple[SuggestedTest, ...]:
        merged = group(
            kinds.of(TestConclusion),
            lambda c: c.test,
            lambda c: (URGENCY_ORDER[c.urgency], not c.repeat),  # the more urgent, then a repeat
        )
        days = case.presentation.days_since_onset
        out = []
        for test, g in merged.items():
            c = g.best
            present = self._result_present(case, test)
            if present and not any(x.repeat for x, _ in g.items):
                reason = f"result already in the case ({present})"
                withheld.append(Withheld(test, reason, rule_ids(g.firings)))
                continue
            if test in blocked and c.urgency != Urgency.URGENCY_EMERGENCY:
                continue  # listed in withheld already; an emergency test is never withheld
            out.append(
                SuggestedTest(
                    test=test,
                    urgency=c.urgency,
                    explanation=c.explanation,
                    rule_ids=rule_ids(g.firings),
                    timing=explanation.timing(c, days),
                    earliest_day_after_onset=c.earliest_day,
                    facts=trace.facts_of(g.firings) if with_facts else (),
                )
            )
        out.sort(key=lambda t: URGENCY_ORDER[t.urgency])
        return tuple(out)

    @staticmethod
    def _treatments(
        trace: EvidenceTrace, kinds: ByKind, blocked: Blocked, with_facts: bool
    ) -> tuple[SuggestedTreatment, ...]:
        out = []
        for kind, g in group(kinds.of(TreatmentConclusion), lambda c: c.treatment).items():
            if kind in blocked:
                continue  # listed in withheld already
            causes = dict.fromkeys([x for c, _ in g.items for x in c.for_causes])
            explanations = dict.fromkeys([c.explanation for c, _ in g.items])
            out.append(
                SuggestedTreatment(
                    kind,
                    " ".join(explanations),
                    rule_ids(g.firings),
                    tuple(causes),
                    trace.facts_of(g.firings) if with_facts else (),
                )
            )
        return tuple(out)

    def _requests(self, trace: EvidenceTrace, kinds: ByKind) -> tuple[InformationRequest, ...]:
        """The findings to collect next; a field already recorded is never asked again."""
        unrecorded: list[tuple[tuple[Request, tuple[str, ...]], Firing]] = []
        field_props = self._request_props
        for c, f in kinds.of(Request):
            props = trace.props[f.unit]
            missing = tuple([n for n, prop in field_props[id(c)] if prop not in props])
            if missing:
                unrecorded.append(((c, missing), f))
        out = []
        for g in group(unrecorded, lambda cm: cm[1]).values():
            (c, fields), reason = g.best, g.items[0][1].rule.rule.rationale
            ids = rule_ids(g.firings)
            out.append(InformationRequest(fields, c.question, reason, c.separates, c.urgency, ids))
        out.sort(key=lambda r: URGENCY_ORDER[r.urgency])
        return tuple(out)

    def _conflicts(self, trace: EvidenceTrace, scores: Scores) -> tuple[str, ...]:
        out = []
        for s in scores.by_cause.values():
            if s.support_result > 0 and s.against_bedside >= 0.4:
                refs = trace.refs(s.cause, -1)
                bedside = [r.rule_id for r in refs if r.rule_id in s.against_rules]
                out.append(explanation.result_against_bedside(s, bedside))
            if s.support_bedside >= self.scoring.thresholds.likely and s.against_result > 0:
                out.append(explanation.bedside_against_result(s))
        return tuple(out)

    def _trace(self, trace: EvidenceTrace, f: Firing) -> TraceEntry:
        r = f.rule.rule
        title, conclusions = self._trace_text[f.rule.name]
        return TraceEntry(
            r.id, r.version, title, f.stratum, trace.leg(f), trace.fact_values(f), conclusions
        )
