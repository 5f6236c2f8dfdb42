"""The clinician's report of an EvaluateResponse, rendered with rich (alerts first).

Width and colour come from the terminal (rich's Console: ``COLUMNS``, ``NO_COLOR``, a pipe
gets plain text); `render_text` gives the same report as plain text of a chosen width (tests,
audit show). Every label comes from cdss.names, the one vocabulary of display names; no
internal code (enum names, ``A.`` fields, cause codes) reaches the plain report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cdss._proto import decision_pb2, foot_drop_service_pb2
from cdss.names import capital, display, fact_text, field_name

pb = decision_pb2
T = TypeVar("T")
Response = foot_drop_service_pb2.EvaluateResponse
URGENCY_STYLE = {
    pb.URGENCY_EMERGENCY: "bold white on red",
    pb.URGENCY_URGENT: "bold black on yellow",
    pb.URGENCY_ROUTINE: "bold white on blue",
}
BORDER = {pb.URGENCY_EMERGENCY: "red", pb.URGENCY_URGENT: "yellow", pb.URGENCY_ROUTINE: "blue"}
LIKELIHOOD_STYLE = {
    pb.LIKELIHOOD_LIKELY: "bold green",
    pb.LIKELIHOOD_MUST_NOT_MISS: "bold red",
    pb.LIKELIHOOD_POSSIBLE: "yellow",
    pb.LIKELIHOOD_UNLIKELY: "dim",
}
MAX_WITHDRAWN = 6  # fields listed under an alert; the rest are counted (all are in --json)
_RULES_IN_TEXT = re.compile(r"\bR\d+[a-z]*\b")
# a fact quoted inside an answer's text, "(results.mri_lumbar = LUMBAR_MRI_NORMAL)"
_FACT_IN_TEXT = re.compile(r"\(([a-z_]+(?:\.[a-z0-9_]+)+) = ([^()]+)\)")


def clinical(text: str) -> str:
    """An answer's text with the facts it quotes put in clinical words."""
    return _FACT_IN_TEXT.sub(lambda m: f"({fact_text(m.group(1), m.group(2))})", text)


def _enum(enum: object, number: int) -> str:
    return display(enum.Name(number))  # type: ignore[attr-defined]


def urgency_word(number: int) -> str:
    return _enum(pb.Urgency, number).upper()


def unique(items: Iterable[T]) -> list[T]:
    """The items in order, each once."""
    return list(dict.fromkeys(items))


def facts_text(facts: Iterable[decision_pb2.Fact]) -> str:
    return "; ".join(unique(fact_text(f.name, f.value) for f in facts))


def rules_text(rule_ids: Iterable[str]) -> str:
    ids = unique(rule_ids)
    return f"rule{'s' if len(ids) > 1 else ''} {', '.join(ids)}" if ids else ""


ACT = {pb.URGENCY_EMERGENCY: "act now", pb.URGENCY_URGENT: "act within days"}
REVIEWS = (pb.ALERT_KIND_URGENT_REVIEW, pb.ALERT_KIND_ROUTINE_REVIEW)


def _alert_names(kinds: Iterable[int]) -> str:
    """Alert kinds as the headline names them ("possible acute stroke, cauda equina")."""
    distinct = unique(kinds)
    names = ", ".join(_enum(pb.AlertKind, k) for k in distinct)
    return names if all(k in REVIEWS for k in distinct) else f"possible {names}"


def headline(resp: Response) -> str:
    """The one line that says the most urgent thing (the alerts follow in full)."""
    if resp.alerts and resp.alerts[0].urgency in (pb.URGENCY_EMERGENCY, pb.URGENCY_URGENT):
        top = resp.alerts[0]
        same = [a for a in resp.alerts if a.urgency == top.urgency]
        kinds = _alert_names(a.kind for a in same)
        return f"{urgency_word(top.urgency)}: {kinds} - {ACT[top.urgency]}"
    if resp.under_documented:
        return (
            "UNDER-DOCUMENTED CASE: no recorded finding supports a cause (base rates at most) "
            "- examine and record more."
        )
    routine = f" ({len(resp.alerts)} routine alert{'s' if len(resp.alerts) > 1 else ''})"
    flags = "No emergency or urgent red flags" + (routine if resp.alerts else "")
    if resp.causes:
        c = resp.causes[0]
        return (
            f"{flags}. Leading cause: {_enum(pb.CauseCategory, c.category)} "
            f"({_enum(pb.Likelihood, c.likelihood)}, certainty {c.certainty:.2f})."
        )
    return f"{flags}; no cause has support on the recorded facts."


def _item(text: Text, bullet: str = "-") -> Table:
    """A list item whose wrapped lines stay under its text."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(bullet, text)
    return grid


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _alerts(resp: Response) -> RenderableType:
    if not resp.alerts:
        return Text("\nAlerts: none raised on the recorded facts.")
    parts: list[RenderableType] = []
    for a in resp.alerts:
        head = Text()
        head.append(f" {urgency_word(a.urgency)} ", style=URGENCY_STYLE.get(a.urgency, "bold"))
        head.append(f" {capital(_enum(pb.AlertKind, a.kind))}", style="bold")
        parts += [head, Text(a.summary), Text.assemble(("Action: ", "bold"), a.action)]
        if a.facts:
            parts.append(Text.assemble(("Because: ", "bold"), facts_text(a.facts)))
        if a.withdrawn_by:
            fields = unique(field_name(f) for f in a.withdrawn_by)
            shown = ", ".join(fields[:MAX_WITHDRAWN])
            rest = len(fields) - MAX_WITHDRAWN
            shown += f" and {rest} more" if rest > 0 else ""
            parts.append(Text(f"Withdrawn only when recorded: {shown}.", style="dim"))
        parts.append(Text(rules_text(a.rule_ids), style="dim"))
        parts.append(Text(""))
    parts.pop()
    worst = resp.alerts[0].urgency
    return Panel(
        Group(*parts), title="Alerts", title_align="left", border_style=BORDER.get(worst, "white")
    )


def _evidence(refs: Sequence[decision_pb2.RuleRef], sign: str) -> list[str]:
    out = []
    for r in refs:
        what = facts_text(r.facts) if r.facts else r.title
        out.append(f"{sign} {what} ({r.rule_id} {sign}{r.weight:.2f})")
    return out


def _differential(resp: Response, wide: bool) -> list[RenderableType]:
    if not resp.causes:
        return [_heading("Differential"), Text("No cause has support on the recorded facts.")]
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Cause", ratio=2)
    table.add_column("Likelihood", width=12)
    table.add_column("Findings for (+) and against (-)", ratio=5 if wide else 3)
    for c in resp.causes:
        name = Text(capital(_enum(pb.CauseCategory, c.category)), style="bold")
        name.append(f"\n{_enum(pb.CauseGroup, c.group)}", style="dim")
        if not c.supporting:
            likelihood = Text("not excluded", style="bold red")
            evidence = [c.explanation.split(": ", 1)[-1], *_evidence(c.against, "-")]
        else:
            word = _enum(pb.Likelihood, c.likelihood)
            likelihood = Text(word, style=LIKELIHOOD_STYLE.get(c.likelihood, ""))
            likelihood.append(f"\n{c.certainty:.2f}")
            evidence = [*_evidence(c.supporting, "+"), *_evidence(c.against, "-")]
        table.add_row(str(c.rank), name, likelihood, "\n".join(evidence))
    return [_heading("Differential (most likely first)"), table]


def _tests(resp: Response) -> list[RenderableType]:
    if not resp.tests:
        return [_heading("Tests to consider"), Text("None suggested.")]
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("Urgency", no_wrap=True)
    table.add_column("Test", ratio=2)
    table.add_column("Why and when", ratio=5)
    for t in resp.tests:
        why = t.explanation + (f"\nTiming: {t.timing}" if t.timing else "")
        urgency = Text(urgency_word(t.urgency), style=URGENCY_STYLE.get(t.urgency, ""))
        name = Text(capital(_enum(pb.TestKind, t.test)), style="bold")
        name.append(f"\n{rules_text(t.rule_ids)}", style="dim")
        table.add_row(urgency, name, why)
    return [_heading("Tests to consider"), table]


def _treatments(resp: Response) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Treatment options to discuss")]
    if not resp.treatments:
        return [*out, Text("None suggested.")]
    for tr in resp.treatments:
        causes = ", ".join(_enum(pb.CauseCategory, c) for c in tr.for_causes)
        line = Text()
        line.append(capital(_enum(pb.TreatmentKind, tr.treatment)), style="bold")
        line.append(f" (for {causes})" if causes else "")
        line.append(f": {tr.explanation} ")
        line.append(f"[{rules_text(tr.rule_ids)}]", style="dim")
        out.append(_item(line))
    return out


def _requests(resp: Response) -> list[RenderableType]:
    if not resp.requests:
        return []
    out: list[RenderableType] = [_heading("Findings to collect next (most informative first)")]
    for r in resp.requests:
        line = Text()
        line.append(f"[{urgency_word(r.urgency)}] ", style="bold")
        line.append(r.question)
        fields = ", ".join(unique(field_name(f) for f in r.fields))
        if fields:
            line.append(f"\nRecord: {fields}.", style="italic")
        if r.expected_change:
            line.append(f"\nWhat if: {r.reason} (mean swing {r.expected_change:.2f})")
        out.append(_item(line))
    return out


def _withheld(resp: Response) -> list[RenderableType]:
    """Items deliberately not suggested, grouped by their reason."""
    if not resp.withheld:
        return []
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for held in resp.withheld:
        items, rules = groups.setdefault(clinical(held.reason), ([], []))
        items.append(display(held.item))
        rules += held.rule_ids
    out: list[RenderableType] = [_heading("Deliberately not suggested")]
    for reason, (items, rules) in groups.items():
        line = Text()
        line.append(capital(" and ".join(unique(items))), style="bold")
        line.append(f": {reason} ")
        line.append(f"[{rules_text(rules)}]", style="dim")
        out.append(_item(line))
    return out


def _not_judged(resp: Response) -> list[RenderableType]:
    """What could not be judged, one line per missing item with how many rules it stopped."""
    if not resp.not_assessed and not resp.conflicts:
        return []
    out: list[RenderableType] = [_heading("Could not be judged")]
    for text in unique(resp.not_assessed):
        what, _, rules = text.partition(": rules ")
        count = len(_RULES_IN_TEXT.findall(rules))
        out.append(_item(Text(f"{what} ({count} rules could not apply)" if count else text)))
    out += [_item(Text(f"Conflict: {text}", style="yellow")) for text in unique(resp.conflicts)]
    return out


def _why_not(resp: Response) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Why not the other causes")]
    silent = [w for w in resp.why_not if not w.against]
    for w in resp.why_not:
        if not w.against:
            continue
        line = Text()
        line.append(capital(_enum(pb.CauseCategory, w.category)), style="bold")
        line.append(f" (certainty {w.certainty:.2f}), lowered by:")
        for ref in w.against:
            what = facts_text(ref.facts) if ref.facts else ref.title
            line.append(f"\n- {what} ({ref.rule_id} -{ref.weight:.2f})")
        out.append(_item(line))
    if silent:
        names = ", ".join(_enum(pb.CauseCategory, w.category) for w in silent)
        out.append(_item(Text(f"No rule for or against: {names}.")))
    return out


def _trace(resp: Response) -> list[RenderableType]:
    table = Table(expand=True, header_style="bold", show_lines=False)
    table.add_column("Layer", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("What it matched and concluded", ratio=1)
    for e in resp.trace:
        leg = f" ({_enum(pb.Leg, e.leg)})" if e.leg else ""
        body = f"{e.title}{leg}"
        if e.facts:
            body += f"\n  {facts_text(e.facts)}"
        body += f"\n  -> {'; '.join(e.conclusions)}"
        table.add_row(str(e.stratum), f"{e.rule_id} v{e.rule_version}", body)
    return [_heading("Trace (every rule that fired, in order)"), table]


def report(
    resp: Response,
    *,
    why_not: bool = False,
    trace: bool = False,
    intended_use: bool = False,
    width: int = 80,
    software: str = "",
) -> list[RenderableType]:
    """The report as rich renderables, most urgent first."""
    worst = resp.alerts[0].urgency if resp.alerts else None
    style = URGENCY_STYLE.get(worst, "bold") if worst is not None else "bold"
    v = resp.ruleset_version
    about = f"Case {resp.case_id or '(no id)'} - rule base {v.version} ({v.content_hash[:15]})"
    about += f" - cdss {software}" if software else ""
    use = (
        resp.intended_use
        if intended_use
        else "Decision support for qualified clinicians, not a diagnosis; certainty is a "
        "rule-based weight, not a probability (full statement: --intended-use)."
    )
    parts: list[RenderableType] = [Text(headline(resp), style=style)]
    if resp.under_documented and resp.alerts:
        parts.append(
            Text(
                "UNDER-DOCUMENTED CASE: no recorded finding supports a cause (base rates at "
                "most); the differential lists what must not be missed - examine and record more.",
                style="bold",
            )
        )
    parts += [Text(about, style="dim"), Text(use, style="italic dim"), _alerts(resp)]
    parts += _differential(resp, wide=width >= 100)
    parts += _tests(resp) + _treatments(resp) + _requests(resp)
    parts += _withheld(resp) + _not_judged(resp)
    if why_not:
        parts += _why_not(resp)
    if trace:
        parts += _trace(resp)
    return parts


def print_report(resp: Response, console: Console | None = None, **options: bool | str) -> None:
    """Print the report on the terminal (rich picks the width, colour and NO_COLOR)."""
    console = console or Console(soft_wrap=False)
    for part in report(resp, width=console.width, **options):  # type: ignore[arg-type]
        console.print(part)


def render_text(
    resp: Response, width: int = 100, why_not: bool = False, trace: bool = False, **kw: str
) -> str:
    """The report as plain text of the given width (no colour, no control codes)."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, no_color=True, highlight=False)
    options = {"why_not": why_not, "trace": trace, "software": kw.get("software", "")}
    for part in report(resp, width=width, **options):  # type: ignore[arg-type]
        console.print(part)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())
