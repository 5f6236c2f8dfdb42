"""Causes that must not be missed although no rule supports them: those an emergency or urgent
alert names, and, when nothing supports any cause, the must-not-miss causes of the case's
presentation (rulebase.yaml ``must_not_miss``). Each is listed as "not excluded" with the
findings that would settle it."""

from __future__ import annotations

from cdss import facts
from cdss.decision import RankedCause
from cdss.engine import Firing
from cdss.evidence import EvidenceTrace
from cdss.names import cause_label, enum_words
from cdss.rulebase.model import AlertConclusion, SafetyNet
from cdss.vocabulary import (
    CAUSE_GROUP,
    URGENCY_ORDER,
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
            kind = enum_words(c.kind.value, "ALERT_KIND_")
            for cause in c.concerns:
                named.setdefault(cause, f"named by the {kind} alert, {f.rule.rule.id}")
    if net and not any(c.supporting for c in causes):
        for presentation in presentations(case):
            for cause in net.must_not_miss.get(presentation, ()):
                named.setdefault(cause, f"must not be missed in a {PRESENTED[presentation]}")
    out: list[RankedCause] = []
    for cause, why in named.items():
        if cause in listed:
            continue
        text = (
            f"{cause_label(cause).capitalize()}: not excluded ({why}); "
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
