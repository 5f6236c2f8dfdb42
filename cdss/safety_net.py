"""Causes that must not be missed although no rule supports them: those an emergency or urgent
alert names, and, while no cause is likely (nothing supports one, only a base rate does, or the
support is circumstantial - a drug, a diagnosis on the list, the tempo), the must-not-miss
causes of the case's presentation (rulebase.yaml ``must_not_miss``). Each is listed as "not
excluded" with the findings that would settle it."""

from __future__ import annotations

import dataclasses

from cdss import facts
from cdss.decision import RankedCause
from cdss.engine import Firing
from cdss.evidence import EvidenceTrace
from cdss.names import CAUSE_TITLES, enum_words
from cdss.rulebase.model import AlertConclusion, SafetyNet
from cdss.vocabulary import (
    CAUSE_GROUP,
    URGENCY_ORDER,
    AlertKind,
    CauseCategory,
    Likelihood,
    Onset,
    Side,
    Urgency,
)

PRESENTED = {
    "abrupt": "foot drop of abrupt onset",
    "subacute": "foot drop evolving over days to weeks",
    "gradual": "slowly progressive foot drop",
    "onset_unknown": "foot drop whose onset is not recorded",
    "bilateral": "foot drop of both legs",
}


# the words of each alert kind, built once: an urgent alert's causes are listed as named by it
ALERT_WORDS = {k: enum_words(k.value, "ALERT_KIND_") for k in AlertKind}


def presentations(case: facts.Case) -> list[str]:
    """The presentations of rulebase.yaml's safety net that this case has."""
    onset = case.presentation.onset
    out = []
    if onset in (Onset.ONSET_SUDDEN, Onset.ONSET_ACUTE) or case.presentation.onset_unwitnessed:
        out.append("abrupt")
    elif onset == Onset.ONSET_SUBACUTE:
        out.append("subacute")
    elif onset == Onset.ONSET_GRADUAL:
        out.append("gradual")
    else:
        out.append("onset_unknown")
    if case.presentation.side == Side.SIDE_BILATERAL:
        out.append("bilateral")
    return out


def not_excluded(
    net: SafetyNet | None,
    case: facts.Case,
    trace: EvidenceTrace,
    alerts: list[tuple[AlertConclusion, Firing]],
    causes: list[RankedCause],
    *,
    settled: bool,
    with_facts: bool = True,
) -> list[RankedCause]:
    """The causes to add after the ranked ones (see the module's docstring)."""
    settle = net.settle if net else {}
    listed = {c.category for c in causes}
    named: dict[CauseCategory, str] = {}
    alerts = list(alerts)  # the answer's alerts, in firing order (not reordered in place)
    # the most urgent alert's causes first; among equally urgent alerts, the order they fired
    alerts.sort(key=lambda cf: URGENCY_ORDER[cf[0].urgency])
    for c, f in alerts:
        if c.urgency != Urgency.URGENCY_ROUTINE:
            kind = ALERT_WORDS[c.kind]
            for cause in c.concerns:
                named.setdefault(cause, f"named by the {kind} alert, {f.rule.rule.id}")
    if net and not settled:
        for presentation in presentations(case):
            for cause in net.must_not_miss.get(presentation, ()):
                named.setdefault(cause, f"must not be missed in a {PRESENTED[presentation]}")
    out: list[RankedCause] = []
    for cause, why in named.items():
        if cause in listed:
            continue
        text = (
            f"{CAUSE_TITLES[cause]}: not excluded ({why}); "
            "no rule supports it on the recorded facts."
        )
        if cause in settle:
            text += f" Would settle it: {settle[cause]}"
        out.append(
            RankedCause(
                category=cause,
                group=CAUSE_GROUP[cause],
                certainty=0.0,
                likelihood=Likelihood.LIKELIHOOD_MUST_NOT_MISS,
                explanation=text,
                rank=len(causes) + len(out) + 1,
                supporting=(),
                against=trace.refs(cause, -1, with_facts),
            )
        )
    return out


def base_rates_after_emergencies(
    causes: list[RankedCause],
    alerts: list[tuple[AlertConclusion, Firing]],
    base_rate_only: frozenset[str],
) -> list[RankedCause]:
    """A cause that only a base rate supports never ranks above a cause an EMERGENCY alert
    names: it moves to just after the last of them (the other order, and every rank number
    after the move, follow)."""
    emergency = {
        cause for c, _ in alerts if c.urgency == Urgency.URGENCY_EMERGENCY for cause in c.concerns
    }
    if not emergency:
        return causes  # no cause an emergency names: nothing moves

    def base_rate(c: RankedCause) -> bool:
        return bool(c.supporting) and all(r.rule_id in base_rate_only for r in c.supporting)

    moved: list[RankedCause] = []
    rest: list[RankedCause] = []
    for c in causes:
        (moved if base_rate(c) else rest).append(c)
    named = [i for i, c in enumerate(rest) if c.category in emergency]
    if not moved or not named or causes.index(moved[-1]) > causes.index(rest[named[-1]]):
        return causes
    ordered = rest[: named[-1] + 1] + moved + rest[named[-1] + 1 :]
    return [dataclasses.replace(c, rank=i) for i, c in enumerate(ordered, start=1)]
