"""The readable report the CLI prints for an EvaluateResponse (alerts first)."""

from __future__ import annotations

from collections.abc import Iterable

from cdss._proto import decision_pb2, foot_drop_service_pb2
from cdss.names import enum_words

pb = decision_pb2


def _name(enum: object, number: int, prefix: str) -> str:
    return enum_words(enum.Name(number), prefix)  # type: ignore[attr-defined]


def _facts(facts: Iterable[decision_pb2.Fact]) -> str:
    return "; ".join(f"{f.name} = {f.value}" for f in facts)


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    """Wrap text; the first line starts with indent, the others line up under its text."""
    words, lines, line = text.split(), [], indent
    follow = " " * len(indent)
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = follow
        line += w + " "
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _refs(lines: list[str], refs: Iterable[decision_pb2.RuleRef], sign: str) -> None:
    for r in refs:
        lines.append(f"       {sign} {r.rule_id} {r.title} ({sign}{r.weight:.2f})")
        if r.facts:
            lines += _wrap(_facts(r.facts), "           ")


def _headline(resp: foot_drop_service_pb2.EvaluateResponse) -> list[str]:
    """The first lines: an under-documented case, then the most urgent alert."""
    out = []
    if resp.under_documented:
        out.append(
            "UNDER-DOCUMENTED CASE: no cause has rule support on the recorded facts; the "
            "differential lists what must not be missed (not excluded) - examine and record more."
        )
    emergencies = [a for a in resp.alerts if a.urgency == pb.URGENCY_EMERGENCY]
    if emergencies:
        more = f" (+{len(emergencies) - 1} more emergency alerts)" if len(emergencies) > 1 else ""
        out.append(f"EMERGENCY: {emergencies[0].summary}{more}")
    return out


def render(
    resp: foot_drop_service_pb2.EvaluateResponse, why_not: bool = False, trace: bool = False
) -> str:
    v = resp.ruleset_version
    lines = [*_headline(resp)]
    lines += [
        f"Foot-drop decision support - case {resp.case_id or '(no id)'}",
        f"Rule base {v.version} ({v.content_hash[:19]}...)",
        *_wrap(resp.intended_use, ""),
        "",
        "ALERTS" + ("" if resp.alerts else ": none"),
    ]
    for a in resp.alerts:
        lines.append(f"  [{_name(pb.Urgency, a.urgency, 'URGENCY_').upper()}] {a.summary}")
        lines += _wrap(f"Action: {a.action}", "      ")
        lines.append(f"      Rules: {', '.join(a.rule_ids)}")
        if a.facts:
            lines += _wrap(f"Facts: {_facts(a.facts)}", "      ")
        if a.withdrawn_by:
            lines += _wrap(
                "Withdrawn only when recorded: " + ", ".join(a.withdrawn_by) + " (unrecorded "
                "facts never withdraw it)",
                "      ",
            )
    lines += [
        "",
        "DIFFERENTIAL (most likely first)" + ("" if resp.causes else ": no cause has support"),
    ]
    for c in resp.causes:
        if not c.supporting:  # listed because it must not be missed, not because of evidence
            lines.append(
                f"  {c.rank}. {_name(pb.CauseCategory, c.category, 'CAUSE_').capitalize()} - "
                f"not excluded ({_name(pb.CauseGroup, c.group, 'CAUSE_GROUP_')})"
            )
            lines += _wrap(c.explanation.split(": ", 1)[-1], "       ")
            _refs(lines, c.against, "-")
            continue
        lines.append(
            f"  {c.rank}. {_name(pb.CauseCategory, c.category, 'CAUSE_').capitalize()} - "
            f"{_name(pb.Likelihood, c.likelihood, 'LIKELIHOOD_')}, certainty {c.certainty:.2f} "
            f"({_name(pb.CauseGroup, c.group, 'CAUSE_GROUP_')})"
        )
        _refs(lines, c.supporting, "+")
        _refs(lines, c.against, "-")
    lines += ["", "TESTS TO CONSIDER" + ("" if resp.tests else ": none suggested")]
    for t in resp.tests:
        lines.append(
            f"  [{_name(pb.Urgency, t.urgency, 'URGENCY_').upper()}] "
            f"{_name(pb.TestKind, t.test, 'TEST_')}"
        )
        lines += _wrap(t.explanation, "      ")
        if t.timing:
            lines += _wrap(f"Timing: {t.timing}", "      ")
        lines.append(f"      Rules: {', '.join(t.rule_ids)}")
    lines += ["", "TREATMENT OPTIONS TO DISCUSS" + ("" if resp.treatments else ": none suggested")]
    for tr in resp.treatments:
        causes = ", ".join(_name(pb.CauseCategory, c, "CAUSE_") for c in tr.for_causes)
        lines.append(
            f"  - {_name(pb.TreatmentKind, tr.treatment, 'TREATMENT_')}"
            + (f" (for {causes})" if causes else "")
        )
        lines += _wrap(tr.explanation, "      ")
        lines.append(f"      Rules: {', '.join(tr.rule_ids)}")
    if resp.requests:
        lines += ["", "FINDINGS TO COLLECT NEXT"]
        for r in resp.requests:
            lines += _wrap(
                f"[{_name(pb.Urgency, r.urgency, 'URGENCY_').upper()}] {r.question}", "  - "
            )
            if r.expected_change:
                lines += _wrap(
                    f"What-if (mean swing {r.expected_change:.2f}): {r.reason}", "      "
                )
            lines.append(f"      Fields: {', '.join(r.fields)}  Rules: {', '.join(r.rule_ids)}")
    if resp.withheld:
        lines += ["", "NOT SUGGESTED"]
        for held in resp.withheld:
            lines += _wrap(f"{held.item}: {held.reason} [{', '.join(held.rule_ids)}]", "  - ")
    if resp.not_assessed or resp.conflicts:
        lines += ["", "COULD NOT BE JUDGED / CONFLICTS"]
        for text in [*resp.not_assessed, *resp.conflicts]:
            lines += _wrap(text, "  - ")
    if why_not:
        lines += ["", "WHY NOT THE OTHER CAUSES"]
        for w in resp.why_not:
            lines += _wrap(w.explanation, "  - ")
            for ref in w.against:
                if ref.facts:
                    lines += _wrap(f"{ref.rule_id}: {_facts(ref.facts)}", "      ")
    if trace:
        lines += ["", "TRACE (every rule that fired, in order)"]
        for e in resp.trace:
            leg = f" [{_name(pb.Leg, e.leg, 'LEG_')}]" if e.leg else ""
            lines.append(
                f"  s{e.stratum} {e.rule_id} v{e.rule_version}{leg} {e.title}"
                f" -> {'; '.join(e.conclusions)}"
            )
            if e.facts:
                lines += _wrap(_facts(e.facts), "      ")
    return "\n".join(lines) + "\n"
