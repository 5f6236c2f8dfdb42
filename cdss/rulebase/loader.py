"""Load the rule base from its YAML files and validate every rule before anything runs.

Every problem is collected (not only the first) and reported as ``file:line RULE: problem
(did you mean ...?)``: unknown keys, facts, findings, enum values, references and drug
classes, missing metadata, weights out of range, and circular findings.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from cdss.errors import RuleBaseError, RuleProblem
from cdss.rulebase.conditions import COMPARATORS, AllOf, AnyOf, Condition, Described, Leaf, Not
from cdss.rulebase.fact_types import (
    FactType,
    base_fact_types,
    drug_fact_types,
    member_property,
    property_name,
)
from cdss.rulebase.model import (
    AlertConclusion,
    Conclusion,
    DrugClass,
    Evidence,
    Finding,
    Meta,
    Request,
    Rule,
    RuleBase,
    TestConclusion,
    Thresholds,
    TreatmentConclusion,
    Withhold,
)
from cdss.rulebase.refs import (
    LegRef,
    Ref,
    RefKind,
    cause_property,
    cause_ref,
    close_call_property,
    close_call_ref,
    fact_ref,
    finding_ref,
    is_other_leg,
)
from cdss.vocabulary import (
    AlertKind,
    CauseCategory,
    TestKind,
    TreatmentKind,
    Urgency,
)

META_FILE = "rulebase.yaml"
REFERENCES_FILE = "references.yaml"
RULE_ID = re.compile(r"^R\d+[a-z]?(\.\d+)?$")
FINDING = re.compile(r"^(O\.)?F_[A-Z0-9_]+$")
STATUSES = ("active", "draft", "retired")
RULE_KEYS = {
    "id": True,
    "title": True,
    "version": True,
    "status": True,
    "when": True,
    "then": True,
    "rationale": True,
    "source": True,
    "brief": False,
    "changes": False,
    "mirror": False,
}
CONDITION_KINDS = ("all", "any", "of", "not", "fact", "finding", "cause", "close_call", "drug")
FACT_OPS = ("is", "eq", "in", "le", "lt", "ge", "gt", "known", "has", "has_any")
FACT_FACT_OPS = tuple(f"{op}_fact" for op in COMPARATORS)
OPS_BY_KIND = {
    "bool": ("is", "known"),
    "int": ("eq", "in", "le", "lt", "ge", "gt", "known", *FACT_FACT_OPS),
    "float": ("le", "lt", "ge", "gt", "known", *FACT_FACT_OPS),
    "enum": ("eq", "in", "known"),
    "set": ("has", "has_any", "known"),
}
DRUG_TIMING = ("before_onset", "all_after_onset", "unknown")
REQUESTABLE_SECTIONS = ("medications",)  # whole lists a request may name
INTERNAL_KEYS = ("__line__", "__lines__")  # added by _LineLoader to every mapping
E = TypeVar("E", bound=StrEnum)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings remember the line they start on (key ``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


class _Context:
    """What the parser of one rule needs: where it is, the vocabulary, and the problem list."""

    def __init__(self, loader: RuleBaseLoader, file: str, rule_id: str, line: int) -> None:
        self.loader = loader
        self.file = file
        self.rule_id = rule_id
        self.line = line

    def problem(self, text: str, suggestion: str = "", line: int | None = None) -> None:
        self.loader.problems.append(
            RuleProblem(self.file, line or self.line, self.rule_id, text, suggestion)
        )

    def at(self, node: Any) -> _Context:
        line = node.get("__line__", self.line) if isinstance(node, dict) else self.line
        return _Context(self.loader, self.file, self.rule_id, line)


class RuleBaseLoader:
    """Reads a rules/ directory into a validated RuleBase (or raises RuleBaseError)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[RuleProblem] = []
        self.facts: dict[str, FactType] = base_fact_types()
        self.finding_refs: list[tuple[_Context, str]] = []
        self.drug_classes: dict[str, DrugClass] = {}
        self.references: dict[int, str] = {}
        self.thresholds = Thresholds()
        self.declared_findings: set[str] = set()
        self.topics: dict[str, str] = {}

    # ---- files -------------------------------------------------------------------------
    def _read(self, path: Path) -> Any:
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.problems.append(RuleProblem(path.name, line, "", f"not valid YAML: {exc}"))
        except OSError as exc:
            self.problems.append(RuleProblem(path.name, 0, "", f"cannot read: {exc}"))
        return None

    def load(self) -> RuleBase:
        if not self.directory.is_dir():
            raise RuleBaseError([RuleProblem(str(self.directory), 0, "", "no such directory")])
        meta_path = self.directory / META_FILE
        refs_path = self.directory / REFERENCES_FILE
        rule_paths = sorted(
            p for p in self.directory.glob("*.yaml") if p.name not in (META_FILE, REFERENCES_FILE)
        )
        self._load_references(refs_path)
        meta = self._load_meta(meta_path)
        rules: list[Rule] = []
        for path in rule_paths:
            rules.extend(self._load_rule_file(path))
        if not rule_paths:
            self.problems.append(RuleProblem(self.directory.name, 0, "", "no rule files"))
        self._check_cross_references(rules)
        if self.problems or meta is None:
            raise RuleBaseError(self.problems)
        files = [meta_path, refs_path, *rule_paths]
        texts = {p.name: p.read_bytes().decode("utf-8") for p in files}
        return RuleBase(
            meta,
            tuple(rules),
            content_hash(texts),
            tuple(texts),
            dict(self.topics),
            texts,
        )

    def _load_references(self, path: Path) -> None:
        data = self._read(path)
        if not isinstance(data, dict) or not isinstance(data.get("references"), list):
            self.problems.append(RuleProblem(path.name, 0, "", "expected a 'references' list"))
            return
        for item in data["references"]:
            line = item.get("__line__", 0) if isinstance(item, dict) else 0
            if not isinstance(item, dict) or set(item) - set(INTERNAL_KEYS) != {"n", "citation"}:
                self.problems.append(
                    RuleProblem(path.name, line, "", "each reference needs exactly n and citation")
                )
                continue
            if not isinstance(item["n"], int) or not str(item["citation"]).strip():
                self.problems.append(RuleProblem(path.name, line, "", "bad reference entry"))
                continue
            if item["n"] in self.references:
                self.problems.append(
                    RuleProblem(path.name, line, "", f"duplicate reference {item['n']}")
                )
            self.references[item["n"]] = str(item["citation"]).strip()

    def _load_meta(self, path: Path) -> Meta | None:
        data = self._read(path)
        if not isinstance(data, dict):
            self.problems.append(RuleProblem(path.name, 0, "", "expected a mapping"))
            return None
        ctx = _Context(self, path.name, "", data["__line__"])
        allowed = {"name", "version", "intended_use", "thresholds", "drug_classes", "test_results"}
        self._check_keys(ctx, data, allowed, allowed)
        for name, spec in (data.get("drug_classes") or {}).items():
            if name in INTERNAL_KEYS:
                continue
            c = ctx.at(spec)
            if not isinstance(spec, dict):
                c.problem(f"drug class {name!r} must be a mapping with members and source")
                continue
            self._check_keys(c, spec, {"members", "source"}, {"members", "source"})
            members = tuple(str(m).strip().lower() for m in spec.get("members") or ())
            self.drug_classes[name] = DrugClass(name, members, self._sources(c, spec.get("source")))
            for m in members:
                for fact in drug_fact_types(m):
                    self.facts[fact.name] = fact
        results: dict[TestKind, str] = {}
        for test, fact in (data.get("test_results") or {}).items():
            if test in INTERNAL_KEYS:
                continue
            kind = self._enum(ctx, TestKind, test, "test")
            if fact not in self.facts or not fact.startswith("results."):
                ctx.problem(f"unknown result fact {fact!r}", _suggest(fact, self.facts))
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
        self.thresholds = thresholds
        if self.problems:
            return None
        return Meta(
            name=str(data.get("name", "")),
            version=str(data.get("version", "")),
            intended_use=" ".join(str(data.get("intended_use", "")).split()),
            thresholds=thresholds,
            references=dict(self.references),
            drug_classes=dict(self.drug_classes),
            test_result_fields=results,
        )

    def _load_rule_file(self, path: Path) -> list[Rule]:
        data = self._read(path)
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            self.problems.append(
                RuleProblem(path.name, 0, "", "expected 'topic' and a 'rules' list")
            )
            return []
        ctx = _Context(self, path.name, "", data["__line__"])
        self._check_keys(ctx, data, {"topic", "rules"}, {"topic", "rules"})
        self.topics[path.name] = " ".join(str(data.get("topic", path.stem)).split())
        rules = []
        for node in data["rules"]:
            rule = self._parse_rule(path.name, node)
            if rule is not None:
                rules.append(rule)
        return rules

    # ---- one rule ----------------------------------------------------------------------
    def _check_keys(
        self, ctx: _Context, node: dict[str, Any], allowed: Iterable[str], required: Iterable[str]
    ) -> bool:
        ok = True
        allowed = set(allowed)
        for key in node:
            if key not in INTERNAL_KEYS and key not in allowed:
                line = node.get("__lines__", {}).get(key)
                ctx.problem(f"unknown field {key!r}", _suggest(key, allowed), line)
                ok = False
        for key in required:
            if key not in node:
                ctx.problem(f"missing required field {key!r}")
                ok = False
        return ok

    def _parse_rule(self, file: str, node: Any) -> Rule | None:
        try:
            return self._parse_rule_checked(file, node)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            # a shape the checks above did not foresee: still a problem report, never a crash
            line = node.get("__line__", 0) if isinstance(node, dict) else 0
            rule_id = str(node.get("id", "")) if isinstance(node, dict) else ""
            self.problems.append(
                RuleProblem(file, line, rule_id, f"malformed rule ({type(exc).__name__}: {exc})")
            )
            return None

    def _parse_rule_checked(self, file: str, node: Any) -> Rule | None:
        if not isinstance(node, dict):
            self.problems.append(RuleProblem(file, 0, "", "each rule must be a mapping"))
            return None
        rule_id = str(node.get("id", ""))
        ctx = _Context(self, file, rule_id, node["__line__"])
        if not self._check_keys(ctx, node, RULE_KEYS, [k for k, req in RULE_KEYS.items() if req]):
            return None
        if not RULE_ID.match(rule_id):
            ctx.problem(f"rule id {rule_id!r} must look like R27, R27a or R27.1")
        for key, words in (("title", 2), ("rationale", 6)):
            text = node[key]
            if not isinstance(text, str) or len(text.split()) < words:
                ctx.problem(f"{key} must have at least {words} words, not {text!r}")
            elif re.search(r"\b(TODO|TBD|FIXME|XXX)\b", text):
                ctx.problem(f"{key} contains a placeholder")
        version = node["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            ctx.problem(f"version must be a whole number >= 1, not {version!r}")
        if node["status"] not in STATUSES:
            ctx.problem(f"unknown status {node['status']!r}", _suggest(node["status"], STATUSES))
        source = self._sources(ctx, node["source"])
        when = self._condition(ctx.at(node["when"]), node["when"])
        then_nodes = node["then"]
        if not isinstance(then_nodes, list) or not then_nodes:
            ctx.problem("then must be a non-empty list of conclusions")
            return None
        then = [self._conclusion(ctx.at(c), c) for c in then_nodes]
        mirror = bool(node.get("mirror", False))
        if node["status"] == "active":  # known even if this rule has problems: no cascade
            for c in then:
                if isinstance(c, Finding):
                    self.declared_findings.add(c.name)
                    if mirror:
                        self.declared_findings.add(f"O.{c.name}")
        if when is None or any(c is None for c in then):
            return None
        conclusions = tuple(c for c in then if c is not None)
        rule = Rule(
            id=rule_id,
            title=" ".join(str(node["title"]).split()),
            version=version if isinstance(version, int) else 0,
            status=str(node["status"]),
            when=when,
            then=conclusions,
            rationale=" ".join(str(node["rationale"]).split()),
            source=source,
            file=file,
            line=ctx.line,
            brief=str(node.get("brief", "")),
            changes=str(node.get("changes", "")),
            mirror=mirror,
        )
        self._check_rule(ctx, rule)
        return rule

    def _check_rule(self, ctx: _Context, rule: Rule) -> None:
        leaves = list(rule.when.leaves())
        if rule.mirror:
            if any(not isinstance(c, Finding) or is_other_leg(c.name) for c in rule.then):
                ctx.problem("a mirror rule may conclude only affected-leg findings")
            if any(_not_mirrorable(leaf.ref) for leaf in leaves):
                ctx.problem("a mirror rule may test only case facts and the affected leg (A.)")
        for c in rule.then:
            if isinstance(c, Finding) and is_other_leg(c.name):
                ctx.problem(f"{c.name}: other-leg findings come from 'mirror: true' rules")
        tests_result = any(leaf.ref.section == "results" for leaf in leaves)
        if any(c.basis == "result" for c in rule.evidence) and not tests_result:
            ctx.problem("basis 'result' needs a condition on a results.* fact")
        uses_cause = any(leaf.ref.tests_causes for leaf in leaves)
        if uses_cause and any(isinstance(c, Evidence | Finding) for c in rule.then):
            ctx.problem(
                "a rule that tests a cause's certainty may not conclude findings or evidence"
            )

    def _sources(self, ctx: _Context, value: Any) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            ctx.problem("source must be a non-empty list of reference numbers")
            return ()
        out = []
        for n in value:
            if n not in self.references:
                ctx.problem(f"unknown reference {n!r}", _suggest(str(n), map(str, self.references)))
            else:
                out.append(n)
        return tuple(out)

    def _enum(self, ctx: _Context, enum: type[E], value: Any, what: str) -> E | None:
        try:
            return enum(value)
        except ValueError:
            ctx.problem(f"unknown {what} {value!r}", _suggest(str(value), [m.value for m in enum]))
            return None

    def _enums(self, ctx: _Context, enum: type[E], values: Any, what: str) -> tuple[E, ...]:
        if values is None:
            return ()
        if not isinstance(values, list):
            values = [values]
        out = [self._enum(ctx, enum, v, what) for v in values]
        return tuple(v for v in out if v is not None)

    # ---- conditions ----------------------------------------------------------------------
    def _condition(self, ctx: _Context, node: Any) -> Condition | None:
        if not isinstance(node, dict):
            ctx.problem(f"a condition must be a mapping, not {node!r}")
            return None
        kinds = [k for k in CONDITION_KINDS if k in node]
        if len(kinds) != 1:
            keys = [k for k in node if k not in INTERNAL_KEYS]
            hint = _suggest(keys[0], CONDITION_KINDS) if keys and not kinds else ""
            ctx.problem(
                f"a condition needs exactly one of {', '.join(CONDITION_KINDS)}; got {keys}", hint
            )
            return None
        kind = kinds[0]
        parse: dict[str, Callable[[_Context, dict[str, Any]], Condition | None]] = {
            "all": self._group,
            "any": self._group,
            "of": self._n_of,
            "not": self._not,
            "fact": self._fact,
            "finding": self._finding,
            "close_call": self._close_call,
            "cause": self._cause,
            "drug": self._drug,
        }
        return parse[kind](ctx, node)

    def _group(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        kind = "all" if "all" in node else "any"
        self._check_keys(ctx, node, {kind}, {kind})
        items = node[kind]
        if not isinstance(items, list) or not items:
            ctx.problem(f"{kind} needs a non-empty list of conditions")
            return None
        parsed = [self._condition(ctx.at(i), i) for i in items]
        if any(p is None for p in parsed):
            return None
        conds = tuple(p for p in parsed if p is not None)
        return AllOf(conds) if kind == "all" else AnyOf(conds)

    def _n_of(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        """At least n of the listed conditions (compiled to an OR of every n-combination)."""
        self._check_keys(ctx, node, {"at_least", "of"}, {"at_least", "of"})
        n, items = node.get("at_least"), node["of"]
        if not isinstance(items, list) or not isinstance(n, int) or not 1 <= n <= len(items):
            ctx.problem("'at_least: n' with 'of' needs 1 <= n <= the number of conditions")
            return None
        if len(items) > 8:
            ctx.problem("'of' takes at most 8 conditions (it expands to every combination)")
            return None
        parsed = [self._condition(ctx.at(i), i) for i in items]
        if any(p is None for p in parsed):
            return None
        conds = [p for p in parsed if p is not None]
        return AnyOf(
            tuple(AllOf(combo) if n > 1 else combo[0] for combo in itertools.combinations(conds, n))
        )

    def _not(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        self._check_keys(ctx, node, {"not"}, {"not"})
        inner = self._condition(ctx.at(node["not"]), node["not"])
        return Not(inner) if inner is not None else None

    def _fact(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        name = node["fact"]
        ops = [k for k in node if k != "fact" and k not in INTERNAL_KEYS]
        fact = self.facts.get(name)
        if fact is None:
            ctx.problem(f"unknown fact {name!r}", _suggest(name, self.facts))
            return None
        allowed = OPS_BY_KIND[fact.kind]
        if len(ops) != 1 or ops[0] not in allowed:
            bad = [o for o in ops if o not in allowed]
            hint = _suggest(bad[0], allowed) if bad else ""
            ctx.problem(
                f"{name} ({fact.kind}) needs exactly one of {', '.join(allowed)}; got {ops}", hint
            )
            return None
        op = ops[0]
        value = node[op]
        if op == "known":
            if not isinstance(value, bool):
                ctx.problem(f"known must be true or false, not {value!r}")
            return Leaf(fact_ref(name), fact.prop, "known", bool(value))
        if op.endswith("_fact"):
            other = self.facts.get(value)
            if other is None or other.kind not in ("int", "float"):
                ctx.problem(
                    f"{op} needs a numeric fact, not {value!r}", _suggest(value, self.facts)
                )
                return None
            return Leaf(fact_ref(name), fact.prop, op, None, fact_ref(other.name), other.prop)
        if fact.kind == "set":
            members = value if op == "has_any" else [value]
            if not isinstance(members, list) or not members:
                ctx.problem(f"{op} needs a list of values")
                return None
            assert fact.enum is not None
            checked = self._enums(ctx, fact.enum, members, f"value of {name}")
            ref = fact_ref(name)
            leaves = [
                Leaf(ref, member_property(fact.prop, m.value), "has", m.value) for m in checked
            ]
            if len(leaves) != len(members):
                return None
            return leaves[0] if len(leaves) == 1 else AnyOf(tuple(leaves))
        if fact.kind == "enum":
            assert fact.enum is not None
            values = value if op == "in" else [value]
            if not isinstance(values, list) or not values:
                ctx.problem(f"{name} {op} needs {'a list of values' if op == 'in' else 'a value'}")
                return None
            checked = self._enums(ctx, fact.enum, values, f"value of {name}")
            if len(checked) != len(values):
                return None
            if op == "in":
                return Leaf(fact_ref(name), fact.prop, "in", tuple(v.value for v in checked))
            return Leaf(fact_ref(name), fact.prop, "eq", checked[0].value)
        if fact.kind == "bool":
            if not isinstance(value, bool):
                ctx.problem(f"{name} is yes/no: 'is' takes true or false, not {value!r}")
                return None
            return Leaf(fact_ref(name), fact.prop, "is", value)
        numbers = value if op == "in" else [value]
        if not isinstance(numbers, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in numbers
        ):
            ctx.problem(f"{name} {op} needs a number, not {value!r}")
            return None
        if fact.unit.startswith("MRC") and not all(0 <= v <= 5 for v in numbers):
            ctx.problem(f"{name} is an MRC grade 0-5; {value!r} is out of range")
        if op == "in":
            return Leaf(fact_ref(name), fact.prop, "in", tuple(numbers))
        return Leaf(fact_ref(name), fact.prop, op, value)

    def _finding(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        self._check_keys(ctx, node, {"finding"}, {"finding"})
        name = str(node["finding"])
        if not FINDING.match(name):
            ctx.problem(f"finding names look like F_UMN or O.F_UMN, not {name!r}")
            return None
        self.finding_refs.append((ctx, name))
        return Leaf(finding_ref(name), property_name(name), "has", True)

    def _cause(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        self._check_keys(ctx, node, {"cause", "at_least", "top"}, {"cause"})
        cause = self._enum(ctx, CauseCategory, node["cause"], "cause")
        if cause is None:
            return None
        tests: list[Condition] = []
        if "at_least" in node:
            level = node["at_least"]
            if level in ("likely", "possible"):
                level = getattr(self.thresholds, level)
            if not isinstance(level, int | float) or not 0 < level <= 1:
                ctx.problem(
                    f"at_least must be likely, possible or a number in (0, 1], not {level!r}"
                )
                return None
            prop = cause_property(cause, "certainty")
            tests.append(Leaf(cause_ref(cause, "certainty"), prop, "ge", float(level)))
        if "top" in node:
            top = node["top"]
            if not isinstance(top, int) or top < 1:
                ctx.problem(f"top must be a rank >= 1, not {top!r}")
                return None
            tests.append(Leaf(cause_ref(cause, "rank"), cause_property(cause, "rank"), "le", top))
        if not tests:
            ctx.problem("a cause condition needs at_least, top or both")
            return None
        return tests[0] if len(tests) == 1 else AllOf(tuple(tests))

    def _close_call(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        """The two leading causes are these two (either order), closer than the close-call
        threshold of rulebase.yaml: the differential is unresolved between them."""
        self._check_keys(ctx, node, {"close_call"}, {"close_call"})
        pair = self._enums(ctx, CauseCategory, node["close_call"], "cause")
        if len(pair) != 2 or pair[0] == pair[1]:
            ctx.problem("close_call needs two different causes")
            return None
        prop = close_call_property(pair[0], pair[1])
        return Leaf(close_call_ref(pair[0], pair[1]), prop, "has", True)

    def _drug(self, ctx: _Context, node: dict[str, Any]) -> Condition | None:
        """A drug class taken; optionally started before the onset, all after it, or unknown."""
        self._check_keys(ctx, node, {"drug", "started"}, {"drug"})
        name = node["drug"]
        cls = self.drug_classes.get(name)
        if cls is None:
            ctx.problem(f"unknown drug class {name!r}", _suggest(name, self.drug_classes))
            return None
        started = node.get("started")
        if started is not None and started not in DRUG_TIMING:
            ctx.problem(f"started must be one of {DRUG_TIMING}", _suggest(started, DRUG_TIMING))
            return None

        def flag(m: str, name: str, value: bool) -> Leaf:
            fact = self.facts[f"medications.{m}.{name}"]
            return Leaf(fact_ref(fact.name), fact.prop, "is", value)

        listed = f"{name.replace('_', ' ')} ({', '.join(cls.members)})"
        any_taken = AnyOf(tuple(flag(m, "taken", True) for m in cls.members))
        if started is None:
            return Described(f"taking a {listed}", any_taken)
        if started == "before_onset":
            return Described(
                f"a {listed} started before the foot drop began",
                AnyOf(tuple(flag(m, "started_before_onset", True) for m in cls.members)),
            )
        if started == "unknown":  # some member taken, its start against the onset unknown
            return Described(
                f"a {listed} taken, start against the onset not recorded",
                AnyOf(
                    tuple(
                        AllOf(
                            (
                                flag(m, "taken", True),
                                _unknown(self.facts[f"medications.{m}.started_before_onset"]),
                            )
                        )
                        for m in cls.members
                    )
                ),
            )
        # every member that was taken started after the onset (and at least one was taken)
        each = tuple(
            AnyOf((Not(flag(m, "taken", True)), flag(m, "started_before_onset", False)))
            for m in cls.members
        )
        return Described(
            f"taking a {listed}, every one started after the foot drop began",
            AllOf((any_taken, *each)),
        )

    # ---- conclusions ---------------------------------------------------------------------
    def _conclusion(self, ctx: _Context, node: Any) -> Conclusion | None:
        if not isinstance(node, dict):
            ctx.problem(f"a conclusion must be a mapping, not {node!r}")
            return None
        kinds = (
            "finding",
            "support",
            "against",
            "alert",
            "test",
            "treatment",
            "request",
            "withhold",
        )
        found = [k for k in kinds if k in node]
        if len(found) != 1:
            given = [k for k in node if k not in INTERNAL_KEYS]
            ctx.problem(
                f"a conclusion needs exactly one of {', '.join(kinds)}; got {given}",
                _suggest(given[0], kinds) if given and not found else "",
            )
            return None
        kind = found[0]
        if kind == "finding":
            self._check_keys(ctx, node, {"finding"}, {"finding"})
            name = str(node["finding"])
            if not FINDING.match(name):
                ctx.problem(f"finding names look like F_UMN, not {name!r}")
                return None
            return Finding(name)
        if kind in ("support", "against"):
            self._check_keys(ctx, node, {kind, "weight", "basis"}, {kind, "weight"})
            cause = self._enum(ctx, CauseCategory, node[kind], "cause")
            weight = node.get("weight")
            if (
                not isinstance(weight, int | float)
                or isinstance(weight, bool)
                or not 0 < weight <= 1
            ):
                ctx.problem(f"weight must be a number in (0, 1], not {weight!r}")
                return None
            basis = node.get("basis", "bedside")
            if basis not in ("bedside", "result"):
                ctx.problem(f"basis must be bedside or result, not {basis!r}")
                return None
            if cause is None:
                return None
            return Evidence(cause, float(weight), 1 if kind == "support" else -1, basis)
        if kind == "alert":
            keys = {"alert", "urgency", "summary", "action", "concerns"}
            self._check_keys(ctx, node, keys, {"alert", "urgency", "summary", "action"})
            alert = self._enum(ctx, AlertKind, node["alert"], "alert kind")
            urgency = self._enum(ctx, Urgency, node.get("urgency"), "urgency")
            concerns = self._enums(ctx, CauseCategory, node.get("concerns"), "cause")
            if alert is None or urgency is None:
                return None
            return AlertConclusion(
                alert, urgency, _text(node["summary"]), _text(node["action"]), concerns
            )
        if kind == "test":
            keys = {"test", "urgency", "explanation", "earliest_day", "timing", "repeat"}
            self._check_keys(ctx, node, keys, {"test", "urgency", "explanation"})
            test = self._enum(ctx, TestKind, node["test"], "test")
            urgency = self._enum(ctx, Urgency, node.get("urgency"), "urgency")
            day = node.get("earliest_day")
            if day is not None and (not isinstance(day, int) or day < 0):
                ctx.problem(f"earliest_day must be a whole number of days, not {day!r}")
            if test is None or urgency is None:
                return None
            return TestConclusion(
                test,
                urgency,
                _text(node["explanation"]),
                day,
                _text(node.get("timing", "")),
                bool(node.get("repeat", False)),
            )
        if kind == "treatment":
            keys = {"treatment", "explanation", "for"}
            self._check_keys(ctx, node, keys, {"treatment", "explanation"})
            treatment = self._enum(ctx, TreatmentKind, node["treatment"], "treatment")
            causes = self._enums(ctx, CauseCategory, node.get("for"), "cause")
            if treatment is None:
                return None
            return TreatmentConclusion(treatment, _text(node["explanation"]), causes)
        if kind == "withhold":
            self._check_keys(ctx, node, {"withhold", "reason"}, {"withhold", "reason"})
            item = node["withhold"]
            enum: type[TestKind] | type[TreatmentKind] = (
                TestKind if str(item).startswith("TEST_") else TreatmentKind
            )
            parsed = self._enum(ctx, enum, item, "test or treatment")
            return Withhold(parsed, _text(node["reason"])) if parsed is not None else None
        keys = {"request", "question", "urgency", "separates"}
        self._check_keys(ctx, node, keys, {"request", "question"})
        fields = node["request"] if isinstance(node["request"], list) else [node["request"]]
        for f in fields:
            if f not in self.facts and f not in REQUESTABLE_SECTIONS:
                ctx.problem(f"request names unknown fact {f!r}", _suggest(f, self.facts))
        urgency = self._enum(ctx, Urgency, node.get("urgency", "URGENCY_ROUTINE"), "urgency")
        separates = self._enums(ctx, CauseCategory, node.get("separates"), "cause")
        return Request(
            tuple(fields), _text(node["question"]), urgency or Urgency.URGENCY_ROUTINE, separates
        )

    # ---- across rules --------------------------------------------------------------------
    def _check_cross_references(self, rules: list[Rule]) -> None:
        seen: dict[str, Rule] = {}
        for r in rules:
            if r.id in seen:
                other = seen[r.id]
                self.problems.append(
                    RuleProblem(
                        r.file, r.line, r.id, f"duplicate rule id (also {other.file}:{other.line})"
                    )
                )
            seen[r.id] = r
        known = self.declared_findings
        concluded = {f for f in known if not is_other_leg(f)}
        for ctx, name in self.finding_refs:
            if name not in known:
                hint = _suggest(name, known)
                if is_other_leg(name) and name[2:] in concluded:
                    ctx.problem(f"{name}: no 'mirror: true' rule concludes {name[2:]}")
                else:
                    ctx.problem(f"unknown finding {name!r}: no active rule concludes it", hint)


def _not_mirrorable(ref: Ref) -> bool:
    """A mirror rule swaps the legs of what it tests: it may not test the other leg, a finding
    or a cause (their mirror is not a fact of the case)."""
    return ref.leg is LegRef.OTHER or ref.kind not in (RefKind.FACT, RefKind.DRUG)


def _unknown(fact: FactType) -> Leaf:
    return Leaf(fact_ref(fact.name), fact.prop, "known", False)


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def content_hash(texts: dict[str, str]) -> str:
    """sha256 over the rule files' names and contents, in load order."""
    digest = hashlib.sha256()
    for name, text in texts.items():
        digest.update(name.encode() + b"\0")
        digest.update(text.encode("utf-8") + b"\0")
    return "sha256:" + digest.hexdigest()


def load_rulebase(directory: Path) -> RuleBase:
    """Load and validate the rule base in directory; raises RuleBaseError listing all problems."""
    return RuleBaseLoader(directory).load()
