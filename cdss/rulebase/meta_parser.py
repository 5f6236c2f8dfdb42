"""The rule base's own files: references.yaml (the numbered references) and rulebase.yaml
(version, intended use, thresholds, drug classes, which result answers which test, the
must-not-miss safety net)."""

from __future__ import annotations

from typing import Any

from cdss.errors import RuleProblem
from cdss.rulebase.fact_types import drug_fact_types
from cdss.rulebase.model import PRESENTATIONS, DrugClass, Meta, SafetyNet, Thresholds
from cdss.rulebase.parsing import INTERNAL_KEYS, Context, ParserState, suggest, text
from cdss.rulebase.refs import fact_ref
from cdss.vocabulary import CauseCategory, TestKind


class MetaParser:
    def __init__(self, state: ParserState) -> None:
        self.state = state

    def references(self, file: str, data: Any) -> None:
        """references.yaml: the numbered references rules cite."""
        s = self.state
        if not isinstance(data, dict) or not isinstance(data.get("references"), list):
            s.problems.append(RuleProblem(file, 0, "", "expected a 'references' list"))
            s.references_unread = True
            return
        for item in data["references"]:
            line = item.get("__line__", 0) if isinstance(item, dict) else 0
            if not isinstance(item, dict) or set(item) - set(INTERNAL_KEYS) != {"n", "citation"}:
                s.problems.append(
                    RuleProblem(file, line, "", "each reference needs exactly n and citation")
                )
                continue
            if not isinstance(item["n"], int) or not str(item["citation"]).strip():
                s.problems.append(RuleProblem(file, line, "", "bad reference entry"))
                continue
            if item["n"] in s.references:
                s.problems.append(RuleProblem(file, line, "", f"duplicate reference {item['n']}"))
            s.references[item["n"]] = str(item["citation"]).strip()

    def meta(self, file: str, data: Any) -> Meta | None:
        """rulebase.yaml: version, intended use, thresholds, drug classes, result facts."""
        s = self.state
        if not isinstance(data, dict):
            s.problems.append(RuleProblem(file, 0, "", "expected a mapping"))
            s.drugs_unread = True
            return None
        ctx = Context(s, file, "", data["__line__"])
        allowed = {"name", "version", "intended_use", "thresholds", "drug_classes", "test_results"}
        s.check_keys(ctx, data, {*allowed, "must_not_miss"}, allowed)
        for name, spec in (data.get("drug_classes") or {}).items():
            if name in INTERNAL_KEYS:
                continue
            c = ctx.at(spec)
            if not isinstance(spec, dict):
                c.problem(f"drug class {name!r} must be a mapping with members and source")
                continue
            s.check_keys(c, spec, {"members", "source"}, {"members", "source"})
            members = tuple(str(m).strip().lower() for m in spec.get("members") or ())
            s.drug_classes[name] = DrugClass(name, members, s.sources(c, spec.get("source")))
            for m in members:
                for fact in drug_fact_types(m):
                    s.facts[fact.name] = fact
        results: dict[TestKind, str] = {}
        for test, fact in (data.get("test_results") or {}).items():
            if test in INTERNAL_KEYS:
                continue
            kind = s.enum(ctx, TestKind, test, "test")
            if fact not in s.facts or fact_ref(fact).section != "results":
                ctx.problem(f"unknown result fact {fact!r}", suggest(fact, s.facts))
            elif kind is not None:
                results[kind] = fact
        t = data.get("thresholds") or {}
        thresholds = Thresholds(
            likely=float(t.get("likely", 0.5)),
            possible=float(t.get("possible", 0.15)),
            close_call=float(t.get("close_call", 0.15)),
        )
        if not 0 < thresholds.possible < thresholds.likely <= 1:
            ctx.problem("thresholds must satisfy 0 < possible < likely <= 1")
        s.thresholds = thresholds
        net = self._safety_net(ctx, data.get("must_not_miss"))
        if s.problems:
            return None
        return Meta(
            name=str(data.get("name", "")),
            version=str(data.get("version", "")),
            intended_use=" ".join(str(data.get("intended_use", "")).split()),
            thresholds=thresholds,
            references=dict(s.references),
            drug_classes=dict(s.drug_classes),
            test_result_fields=results,
            safety_net=net,
        )

    def _safety_net(self, ctx: Context, node: Any) -> SafetyNet | None:
        """rulebase.yaml `must_not_miss`: by presentation, then the settling findings."""
        s = self.state
        if node is None:
            return None
        c = ctx.at(node)
        if not isinstance(node, dict):
            c.problem("must_not_miss must be a mapping (by_presentation, settle, source)")
            return None
        keys = {"by_presentation", "settle", "source"}
        s.check_keys(c, node, keys, keys)
        by = node.get("by_presentation") or {}
        lists: dict[str, tuple[CauseCategory, ...]] = {}
        for name, causes in by.items():
            if name in INTERNAL_KEYS:
                continue
            if name not in PRESENTATIONS:
                c.problem(f"unknown presentation {name!r}", suggest(name, PRESENTATIONS))
                continue
            lists[name] = s.enums(c, CauseCategory, causes, "cause")
        settle: dict[CauseCategory, str] = {}
        for name, value in (node.get("settle") or {}).items():
            if name in INTERNAL_KEYS:
                continue
            cause = s.enum(c, CauseCategory, name, "cause")
            if cause is not None:
                settle[cause] = text(value)
        unsettled = {x for xs in lists.values() for x in xs} - settle.keys()
        if unsettled:
            c.problem(f"must_not_miss: no settle text for {sorted(x.value for x in unsettled)}")
        return SafetyNet(lists, settle, s.sources(c, node.get("source")))
