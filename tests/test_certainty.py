"""Certainty combination and ranking (cdss/certainty.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdss.certainty import certainties, combine, noisy_or, rank
from cdss.rulebase.model import Evidence, WeightedEvidence
from cdss.vocabulary import CauseCategory, Urgency

PER = CauseCategory.CAUSE_PERONEAL_NEUROPATHY
L5 = CauseCategory.CAUSE_L5_RADICULOPATHY
STROKE = CauseCategory.CAUSE_STROKE


def ev(
    rule: str, cause: CauseCategory, weight: float, direction: int = 1, basis: str = "bedside"
) -> WeightedEvidence:
    return WeightedEvidence(rule, Evidence(cause, weight, direction, basis))  # type: ignore[arg-type]


def test_noisy_or() -> None:
    assert noisy_or([]) == 0
    assert noisy_or([0.6, 0.3]) == pytest.approx(1 - 0.4 * 0.7)


def test_support_and_evidence_against_combine() -> None:
    scores = combine([ev("R27", PER, 0.6), ev("R28", PER, 0.3), ev("R29", PER, 0.6, -1)])
    assert scores[PER].certainty == pytest.approx((1 - 0.4 * 0.7) * (1 - 0.6))


def test_one_rule_counts_once_across_legs() -> None:
    scores = combine([ev("R27", PER, 0.6), ev("R27", PER, 0.4)])
    assert scores[PER].certainty == pytest.approx(0.6)


def test_results_outrank_bedside_evidence_against() -> None:
    scores = combine([ev("R58", PER, 0.85, basis="result"), ev("R29", PER, 0.6, -1)])
    assert scores[PER].certainty == pytest.approx(0.85)


def test_a_result_against_lowers_everything() -> None:
    scores = combine([ev("R27", PER, 0.6), ev("R58b", PER, 0.5, -1, "result")])
    assert scores[PER].certainty == pytest.approx(0.3)


def test_a_base_rate_counts_with_the_bedside_support() -> None:
    scores = combine([ev("R27b", PER, 0.15, basis="prior"), ev("R28", PER, 0.3)])
    assert scores[PER].certainty == pytest.approx(1 - 0.85 * 0.7)
    lowered = combine([ev("R27b", PER, 0.15, basis="prior"), ev("R29", PER, 0.6, -1)])
    assert lowered[PER].certainty == pytest.approx(0.15 * 0.4)


def test_ranking_ties_go_to_result_support_then_alerts() -> None:
    scores = combine([ev("R1", PER, 0.5), ev("R2", L5, 0.5, basis="result"), ev("R3", STROKE, 0.5)])
    assert [s.cause for s in rank(scores, {})][:3] == [L5, PER, STROKE]
    ranked = rank(scores, {STROKE: Urgency.URGENCY_EMERGENCY})
    assert [s.cause for s in ranked][:3] == [L5, STROKE, PER]


def test_causes_without_support_rank_below_causes_with_support() -> None:
    scores = combine([ev("R1", PER, 0.004), ev("R2", L5, 0.3, -1)])
    assert rank(scores, {L5: Urgency.URGENCY_EMERGENCY})[0].cause == PER


_EVIDENCE = st.lists(
    st.builds(
        ev,
        st.sampled_from(["R1", "R2", "R3", "R4"]),
        st.sampled_from([PER, L5, STROKE]),
        st.floats(0.01, 0.99),
        st.sampled_from([1, -1]),
        st.sampled_from(["bedside", "prior", "result"]),
    ),
    max_size=12,
)


@given(_EVIDENCE)
def test_certainties_are_combines_to_the_bit(items: list[WeightedEvidence]) -> None:
    """The what-ifs' lean combination gives exactly (==, not approx) combine's certainties."""
    combined = combine(items)
    lean = certainties(items)
    assert set(lean) == {w.evidence.cause for w in items}
    for cause, score in combined.items():
        assert lean.get(cause, 0.0) == score.certainty
