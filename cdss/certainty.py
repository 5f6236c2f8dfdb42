"""Certainty combination and ranking of causes (MYCIN-style certainty factors).

For each cause, the weights of the rules that fired are combined by noisy-OR, separately for
support and for evidence against, and separately for bedside findings and results:

    S = 1 - prod(1 - w_i)  over supporting rules      D = 1 - prod(1 - v_j)  over lowering rules
    B = S_bedside * (1 - D_bedside)
    certainty = [1 - (1 - B) * (1 - S_result)] * (1 - D_result)

so results outrank the bedside: bedside evidence against never reduces what a result
supports, and a result against (a normal MRI, an EMG that localises elsewhere) lowers
everything. A base rate (basis "prior") counts with the bedside support. A rule that fires for
both legs counts once (its larger weight). Certainties are
rule-based weights, not probabilities. Ties (to two decimals) are broken by having any
support at all, then by result support,
then by the urgency of an alert naming the cause, then by the number of supporting rules,
then by the enum order, so that the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cdss.rulebase.model import WeightedEvidence
from cdss.vocabulary import URGENCY_ORDER, CauseCategory, Urgency

CAUSES = tuple(CauseCategory)  # iterating an Enum class is slow; every combine lists them all
CAUSE_ORDER = {c: i for i, c in enumerate(CAUSES)}


@dataclass(slots=True)
class CauseScore:
    cause: CauseCategory
    support_bedside: float = 0.0
    against_bedside: float = 0.0
    support_result: float = 0.0
    against_result: float = 0.0
    certainty: float = 0.0
    supporting_rules: list[str] = field(default_factory=list)
    against_rules: list[str] = field(default_factory=list)

    @property
    def has_support(self) -> bool:
        return self.support_bedside > 0 or self.support_result > 0


def noisy_or(weights: Iterable[float]) -> float:
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - w
    return 1.0 - remaining


Strongest = dict[tuple[str, CauseCategory, int, str], float]


def _strongest(items: Iterable[WeightedEvidence]) -> Strongest:
    """Each rule's largest weight per cause, direction and basis (a rule firing for both legs
    counts once)."""
    strongest: Strongest = {}
    get = strongest.get
    for item in items:
        key = item.key
        strongest[key] = max(get(key, 0.0), item.evidence.weight)
    return strongest


def _parts(strongest: Strongest) -> dict[CauseCategory, list[float]]:
    """Per cause with evidence: [support bedside (base rates included), against bedside,
    support result, against result], each a noisy-OR of its rules' weights."""
    buckets: dict[tuple[CauseCategory, int, str], list[float]] = {}
    for (_, cause, direction, basis), weight in strongest.items():
        buckets.setdefault((cause, direction, basis), []).append(weight)
    parts: dict[CauseCategory, list[float]] = {}
    for (cause, direction, basis), weights in buckets.items():
        s = parts.get(cause)
        if s is None:
            s = parts[cause] = [0.0, 0.0, 0.0, 0.0]
        value = noisy_or(weights)
        if direction > 0 and basis != "result":
            s[0] = 1.0 - (1.0 - s[0]) * (1.0 - value)
        elif direction > 0:
            s[2] = value
        elif basis == "bedside":
            s[1] = value
        else:
            s[3] = value
    return parts


def _certainty(
    support_bedside: float, against_bedside: float, support_result: float, against_result: float
) -> float:
    bedside = support_bedside * (1.0 - against_bedside)
    return (1.0 - (1.0 - bedside) * (1.0 - support_result)) * (1.0 - against_result)


def combine(items: Iterable[WeightedEvidence]) -> dict[CauseCategory, CauseScore]:
    """Combine every fired evidence conclusion into one score per cause (all 16 causes)."""
    strongest = _strongest(items)
    scores = {c: CauseScore(c) for c in CAUSES}
    for rule_id, cause, direction, _ in strongest:
        rules = scores[cause].supporting_rules if direction > 0 else scores[cause].against_rules
        if rule_id not in rules:
            rules.append(rule_id)
    for cause, (sb, db, sr, dr) in _parts(strongest).items():
        s = scores[cause]
        s.support_bedside, s.against_bedside, s.support_result, s.against_result = sb, db, sr, dr
    for s in scores.values():
        s.certainty = _certainty(
            s.support_bedside, s.against_bedside, s.support_result, s.against_result
        )
    return scores


def certainties(items: Iterable[WeightedEvidence]) -> dict[CauseCategory, float]:
    """The certainty of every cause the items give evidence about, exactly as `combine` computes
    it (the same functions, so the same floats), without building a CauseScore and its rule
    lists for all causes: what the what-ifs need, many times per call."""
    return {cause: _certainty(*part) for cause, part in _parts(_strongest(items)).items()}


def rank(
    scores: dict[CauseCategory, CauseScore], alert_urgency: dict[CauseCategory, Urgency]
) -> list[CauseScore]:
    """All causes, most likely first, with the documented deterministic tie-breaks."""

    def key(s: CauseScore) -> tuple[float, int, int, int, int, int]:
        urgency = alert_urgency.get(s.cause)
        return (
            -round(s.certainty, 2),
            0 if s.has_support else 1,
            0 if s.support_result > 0 else 1,
            URGENCY_ORDER[urgency] if urgency is not None else len(URGENCY_ORDER),
            -len(s.supporting_rules),
            CAUSE_ORDER[s.cause],
        )

    return sorted(scores.values(), key=key)
