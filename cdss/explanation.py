"""The prose of the answer: each cause's explanation, why a cause is not higher, conflicts
between results and the bedside, what could not be judged, test timing, trace wording."""

from __future__ import annotations

from collections.abc import Iterable

from cdss import facts
from cdss.certainty import CauseScore
from cdss.decision import RuleRef
from cdss.flatten import Unit
from cdss.names import CAUSE_TITLES, LEG_NAME, cause_label, enum_words
from cdss.rulebase.compiler import CompiledRule
from cdss.rulebase.model import Finding, Rule, TestConclusion
from cdss.vocabulary import Leg, Likelihood

KEY_FACTS = (
    ("presentation.onset", "Onset (sudden, acute, subacute, gradual)"),
    ("presentation.days_since_onset", "Days since onset"),
    ("patient.age_years", "Age"),
    ("presentation.course", "Course"),
)


# the words of each likelihood, built once: every cause's explanation names one
LIKELIHOOD_WORDS = {k: enum_words(k.value, "LIKELIHOOD_") for k in Likelihood}


def _weighted(refs: Iterable[RuleRef], sign: str) -> str:
    return "; ".join([f"{r.title} [{r.rule_id} {sign}{r.weight:.2f}]" for r in refs])


def cause_explanation(
    s: CauseScore,
    likelihood: Likelihood,
    supporting: tuple[RuleRef, ...],
    against: tuple[RuleRef, ...],
) -> str:
    word = LIKELIHOOD_WORDS[likelihood]
    text = f"{CAUSE_TITLES[s.cause]}: {word} (certainty {s.certainty:.2f})."
    if supporting:
        text += " For: " + _weighted(supporting, "+") + "."
    if against:
        text += " Against: " + _weighted(against, "-") + "."
    return text


def why_not(s: CauseScore, against: tuple[RuleRef, ...]) -> str:
    label = CAUSE_TITLES[s.cause]
    if against:
        text = f"{label} was lowered by: " + _weighted(against, "-")
        if not s.has_support:
            text += "; nothing in the case supports it"
        return text + "."
    if s.has_support:
        return (
            f"{label} has some support (certainty {s.certainty:.2f}) "
            "but less than the causes above."
        )
    return f"{label}: nothing in the case supports or lowers it (no rule for it fired)."


def result_against_bedside(s: CauseScore, bedside_rules: list[str]) -> str:
    return (
        f"Results support {cause_label(s.cause)} but bedside findings speak against it "
        f"({', '.join(bedside_rules)}); the result is kept, the findings are worth "
        "re-examining."
    )


def bedside_against_result(s: CauseScore) -> str:
    return (
        f"Bedside findings support {cause_label(s.cause)} but a result speaks against it; "
        "the result is given more weight."
    )


def needing_key_facts(active: Iterable[Rule]) -> dict[str, str]:
    """Per key fact, the sentence saying which rules could not apply when it is missing (or no
    entry when no rule reads it): built once, when the rule base is loaded."""
    readers: dict[str, list[str]] = {fact: [] for fact, _ in KEY_FACTS}
    for r in active:
        read = {leaf.name for leaf in r.when.leaves()}
        for fact, ids in readers.items():
            if fact in read:
                ids.append(r.id)
    labels = dict(KEY_FACTS)
    return {
        fact: f"{labels[fact]} not recorded: rules {', '.join(ids)} could not apply."
        for fact, ids in readers.items()
        if ids
    }


def not_assessed(
    case: facts.Case, units: list[Unit], missing_key_fact: dict[str, str]
) -> tuple[str, ...]:
    """What could not be judged: the side, an unexamined affected leg, key facts missing
    (missing_key_fact: from needing_key_facts)."""
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
    for fact, sentence in missing_key_fact.items():
        section, name = fact.split(".")
        if getattr(getattr(case, section), name) is None:
            out.append(sentence)
    return tuple(out)


def trace_text(rule: CompiledRule) -> tuple[str, tuple[str, ...]]:
    """A compiled rule's title and conclusions as the trace shows them."""
    conclusions = tuple(
        f"finding O.{c.name} (other leg)"
        if isinstance(c, Finding) and rule.mirrored
        else c.describe()
        for c in rule.rule.then
    )
    return rule.rule.title + (" (other leg)" if rule.mirrored else ""), conclusions


def timing(c: TestConclusion, days: int | None) -> str:
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
