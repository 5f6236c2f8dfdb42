"""The scores of one evaluation, computed once: each cause's combined certainty (cdss.certainty),
the ranking, and the urgency of the alerts naming each cause.

They are computed when the evidence strata have fired (the engine asks for the cause
properties the later strata test), and the same object is handed on to the answer and to the
ranking of what to ask next: certainties are combined once per evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cdss.certainty import CauseScore, combine, rank
from cdss.engine import Firing
from cdss.rulebase.compiler import CompiledRule, CompiledRuleBase
from cdss.rulebase.model import AlertConclusion, Thresholds
from cdss.rulebase.refs import cause_property, close_call_property
from cdss.vocabulary import URGENCY_ORDER, CauseCategory, Likelihood, Urgency


@dataclass(frozen=True, slots=True)
class Scores:
    by_cause: dict[CauseCategory, CauseScore]  # every cause
    ranked: list[CauseScore]  # every cause, most likely first
    alert_urgency: dict[CauseCategory, Urgency]  # the most urgent alert naming each cause

    @property
    def certainties(self) -> dict[CauseCategory, float]:
        return {c: s.certainty for c, s in self.by_cause.items()}


AlertsOfRule = tuple[tuple[CauseCategory, Urgency], ...]


def rule_alerts(rule: CompiledRule) -> AlertsOfRule:
    """The (cause, urgency) pairs of a rule's non-routine alerts, in its conclusions' order."""
    return tuple(
        (cause, c.urgency)
        for c in rule.rule.then
        if isinstance(c, AlertConclusion) and c.urgency != Urgency.URGENCY_ROUTINE
        for cause in c.concerns
    )


def alert_urgency(
    firings: Iterable[Firing], alerts: Mapping[str, AlertsOfRule]
) -> dict[CauseCategory, Urgency]:
    """Per cause, the most urgent non-routine alert that names it (alerts: each rule's
    `rule_alerts` by durable rule name, built at load)."""
    out: dict[CauseCategory, Urgency] = {}
    for f in firings:
        for cause, urgency in alerts[f.rule.name]:
            if cause not in out or URGENCY_ORDER[urgency] < URGENCY_ORDER[out[cause]]:
                out[cause] = urgency
    return out


class Scoring:
    """Scores firings with the thresholds of one rule base."""

    def __init__(self, compiled: CompiledRuleBase) -> None:
        self.thresholds: Thresholds = compiled.rulebase.meta.thresholds
        # the first stratum that tests cause certainties: the evidence is complete before it
        self.barrier = min((s.index for s in compiled.strata if s.needs_causes), default=10**6)
        # what scoring reads of each rule, at load: its non-routine alerts; and every cause's
        # certainty and rank property names
        self._alerts = {name: rule_alerts(r) for name, r in compiled.by_name.items()}
        self._props = {
            c: (cause_property(c, "certainty"), cause_property(c, "rank")) for c in CauseCategory
        }

    def before_causes(self, firings: list[Firing]) -> list[Firing]:
        """The firings of the strata before the first one that tests cause certainties."""
        return [f for f in firings if f.stratum < self.barrier]

    def score(self, firings: list[Firing]) -> Scores:
        """Combine the evidence of the firings (those before the barrier: the ranking is the
        one the later rules saw; alerts raised later do not re-rank)."""
        scores = combine(w for f in firings for w in f.rule.evidence)
        urgency = alert_urgency(firings, self._alerts)
        return Scores(scores, rank(scores, urgency), urgency)

    def cause_props(self, scores: Scores) -> dict[str, Any]:
        """Certainty and rank of every cause, and which pair leads unresolved (close call),
        for the rules of the strata after the evidence."""
        ranked = scores.ranked
        out: dict[str, Any] = {}
        names = self._props
        for i, s in enumerate(ranked, start=1):
            certainty, rank_ = names[s.cause]
            out[certainty] = round(s.certainty, 4)
            out[rank_] = i if s.has_support else 99
        first, second = ranked[0], ranked[1]
        gap = round(first.certainty, 2) - round(second.certainty, 2)
        if second.has_support and gap < self.thresholds.close_call:
            out[close_call_property(first.cause, second.cause)] = True
        return out

    def likelihood(self, s: CauseScore, alert: Urgency | None) -> Likelihood:
        t = self.thresholds
        if s.certainty >= t.likely:
            return Likelihood.LIKELIHOOD_LIKELY
        if alert in (Urgency.URGENCY_EMERGENCY, Urgency.URGENCY_URGENT):
            return Likelihood.LIKELIHOOD_MUST_NOT_MISS
        if s.certainty < t.possible and (s.against_bedside or s.against_result):
            return Likelihood.LIKELIHOOD_UNLIKELY
        return Likelihood.LIKELIHOOD_POSSIBLE

    def uncertain(self, scores: Scores) -> bool:
        """The leading cause below likely, or the two leading causes within the close call."""
        ranked, t = scores.ranked, self.thresholds
        if not ranked or not ranked[0].has_support:
            return True
        gap = ranked[0].certainty - (ranked[1].certainty if ranked[1].has_support else 0.0)
        return ranked[0].certainty < t.likely or gap < t.close_call


class ScoreOnce:
    """The engine's hook between the evidence and the later strata: scores the firings so far,
    keeps the Scores for the answer, and returns the properties the later rules test."""

    def __init__(self, scoring: Scoring) -> None:
        self.scoring = scoring
        self.scores: Scores | None = None

    def __call__(self, firings: list[Firing]) -> dict[str, Any]:
        self.scores = self.scoring.score(firings)
        return self.scoring.cause_props(self.scores)

    def result(self, firings: list[Firing]) -> Scores:
        """The Scores of the evaluation (scored now when no stratum tests causes)."""
        if self.scores is None:
            self.scores = self.scoring.score(self.scoring.before_causes(firings))
        return self.scores
