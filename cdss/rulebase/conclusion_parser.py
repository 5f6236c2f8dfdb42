"""Rule conclusions from their YAML: one parser per kind of conclusion, chosen by a table (as
conditions are, cdss.rulebase.condition_parser)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cdss.rulebase.model import (
    AlertConclusion,
    Conclusion,
    Evidence,
    Finding,
    Request,
    TestConclusion,
    TreatmentConclusion,
    Withhold,
)
from cdss.rulebase.parsing import FINDING, Context, ParserState, node_kind, text
from cdss.vocabulary import AlertKind, CauseCategory, TestKind, TreatmentKind, Urgency

REQUESTABLE_SECTIONS = ("medications",)  # whole lists a request may name
Parser = Callable[[Context, str, dict[str, Any]], Conclusion | None]


PRIOR_MAX_WEIGHT = 0.2  # a base rate never outweighs a recorded finding


class ConclusionParser:
    def __init__(self, state: ParserState) -> None:
        self.state = state
        # the key that names the kind of conclusion -> its parser (in the order messages list)
        self._parsers: dict[str, Parser] = {
            "finding": self._finding,
            "support": self._evidence,
            "against": self._evidence,
            "alert": self._alert,
            "test": self._test,
            "treatment": self._treatment,
            "request": self._request,
            "withhold": self._withhold,
        }

    def parse(self, ctx: Context, node: Any) -> Conclusion | None:
        kind = node_kind(ctx, node, tuple(self._parsers), "conclusion")
        return None if kind is None else self._parsers[kind](ctx, kind, node)

    def _finding(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        self.state.check_keys(ctx, node, {kind}, {kind})
        name = str(node[kind])
        if not FINDING.match(name):
            ctx.problem(f"finding names look like F_UMN, not {name!r}")
            return None
        return Finding(name)

    def _evidence(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        self.state.check_keys(ctx, node, {kind, "weight", "basis"}, {kind, "weight"})
        cause = self.state.enum(ctx, CauseCategory, node[kind], "cause")
        weight = node.get("weight")
        if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 < weight <= 1:
            ctx.problem(f"weight must be a number in (0, 1], not {weight!r}")
            return None
        basis = node.get("basis", "bedside")
        if basis not in ("bedside", "result", "prior"):
            ctx.problem(f"basis must be bedside, result or prior, not {basis!r}")
            return None
        if basis == "prior" and (kind != "support" or weight > PRIOR_MAX_WEIGHT):
            ctx.problem(
                f"a base rate (basis prior) supports, with weight {PRIOR_MAX_WEIGHT} or less"
            )
            return None
        if cause is None:
            return None
        return Evidence(cause, float(weight), 1 if kind == "support" else -1, basis)

    def _alert(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        keys = {kind, "urgency", "summary", "action", "concerns", "withdrawn_by"}
        self.state.check_keys(ctx, node, keys, {kind, "urgency", "summary", "action"})
        alert = self.state.enum(ctx, AlertKind, node[kind], "alert kind")
        urgency = self.state.enum(ctx, Urgency, node.get("urgency"), "urgency")
        concerns = self.state.enums(ctx, CauseCategory, node.get("concerns"), "cause")
        withdrawn = node.get("withdrawn_by") or []
        if not isinstance(withdrawn, list):
            ctx.problem("withdrawn_by must be a list of the case facts that withdraw the alert")
            withdrawn = []
        for name in withdrawn:
            if name not in self.state.facts and name not in REQUESTABLE_SECTIONS:
                self.state.unknown_fact(ctx, name, f"withdrawn_by names unknown fact {name!r}")
        if alert is None or urgency is None:
            return None
        summary, action = text(node["summary"]), text(node["action"])
        names = tuple(str(n) for n in withdrawn)
        return AlertConclusion(alert, urgency, summary, action, concerns, names)

    def _test(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        keys = {kind, "urgency", "explanation", "earliest_day", "timing", "repeat"}
        self.state.check_keys(ctx, node, keys, {kind, "urgency", "explanation"})
        test = self.state.enum(ctx, TestKind, node[kind], "test")
        urgency = self.state.enum(ctx, Urgency, node.get("urgency"), "urgency")
        day = node.get("earliest_day")
        if day is not None and (not isinstance(day, int) or day < 0):
            ctx.problem(f"earliest_day must be a whole number of days, not {day!r}")
        if test is None or urgency is None:
            return None
        return TestConclusion(
            test,
            urgency,
            text(node["explanation"]),
            day,
            text(node.get("timing", "")),
            bool(node.get("repeat", False)),
        )

    def _treatment(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        self.state.check_keys(ctx, node, {kind, "explanation", "for"}, {kind, "explanation"})
        treatment = self.state.enum(ctx, TreatmentKind, node[kind], "treatment")
        causes = self.state.enums(ctx, CauseCategory, node.get("for"), "cause")
        if treatment is None:
            return None
        return TreatmentConclusion(treatment, text(node["explanation"]), causes)

    def _withhold(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        self.state.check_keys(ctx, node, {kind, "reason"}, {kind, "reason"})
        item = node[kind]
        enum: type[TestKind] | type[TreatmentKind] = (
            TestKind if str(item).startswith("TEST_") else TreatmentKind
        )
        parsed = self.state.enum(ctx, enum, item, "test or treatment")
        return Withhold(parsed, text(node["reason"])) if parsed is not None else None

    def _request(self, ctx: Context, kind: str, node: dict[str, Any]) -> Conclusion | None:
        keys = {kind, "question", "urgency", "separates"}
        self.state.check_keys(ctx, node, keys, {kind, "question"})
        fields = node[kind] if isinstance(node[kind], list) else [node[kind]]
        for f in fields:
            if f not in self.state.facts and f not in REQUESTABLE_SECTIONS:
                self.state.unknown_fact(ctx, f, f"request names unknown fact {f!r}")
        urgency = self.state.enum(ctx, Urgency, node.get("urgency", "URGENCY_ROUTINE"), "urgency")
        separates = self.state.enums(ctx, CauseCategory, node.get("separates"), "cause")
        return Request(
            tuple(fields), text(node["question"]), urgency or Urgency.URGENCY_ROUTINE, separates
        )
