"""Load the rule base from its YAML files and validate every rule before anything runs.

Every problem is collected (not only the first) and reported as ``file:line RULE: problem
(did you mean ...?)``: unknown keys, facts, findings, enum values, references and drug
classes, missing metadata, weights out of range, and circular findings; one real problem is
reported once (cdss.rulebase.parsing). Conditions and conclusions are parsed by
cdss.rulebase.condition_parser and cdss.rulebase.conclusion_parser.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from cdss.errors import RuleBaseError, RuleProblem
from cdss.rulebase.conclusion_parser import ConclusionParser
from cdss.rulebase.condition_parser import ConditionParser
from cdss.rulebase.meta_parser import MetaParser
from cdss.rulebase.model import (
    Evidence,
    Finding,
    Meta,
    Rule,
    RuleBase,
)
from cdss.rulebase.parsing import (
    FINDING,
    Context,
    LineLoader,
    ParserState,
    suggest,
)
from cdss.rulebase.refs import LegRef, Ref, RefKind, is_other_leg

META_FILE = "rulebase.yaml"
REFERENCES_FILE = "references.yaml"
RULE_ID = re.compile(r"^R\d+[a-z]?(\.\d+)?$")
FINDING_NAMES = re.compile(r"\b(?:O\.)?F_[A-Z0-9_]+")
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
    "examples": False,
    "counter_examples": False,
}
CASE_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")  # a case file's stem in tests/cases*
UNREAD: Any = object()  # what _read returns for a file it could not read or parse


class RuleBaseLoader(ParserState):
    """Reads a rules/ directory into a validated RuleBase (or raises RuleBaseError)."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        self.topics: dict[str, str] = {}
        self.conditions = ConditionParser(self)
        self.conclusions = ConclusionParser(self)
        self.meta = MetaParser(self)

    # ---- files -------------------------------------------------------------------------
    def _read(self, path: Path) -> Any:
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.problems.append(RuleProblem(path.name, 0, "", f"cannot read: {exc}"))
            self.no_finding_judged = True
            return UNREAD
        try:
            return yaml.load(raw, Loader=LineLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.problems.append(RuleProblem(path.name, line, "", f"not valid YAML: {exc}"))
            # the findings it names may be concluded there: not judged while it is broken
            self.findings_unread.update(FINDING_NAMES.findall(raw))
            return UNREAD

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
        if data is UNREAD:
            self.references_unread = True
            return
        self.meta.references(path.name, data)

    def _load_meta(self, path: Path) -> Meta | None:
        data = self._read(path)
        if data is UNREAD:
            self.drugs_unread = True
            return None
        return self.meta.meta(path.name, data)

    def _load_rule_file(self, path: Path) -> list[Rule]:
        data = self._read(path)
        if data is UNREAD:
            return []
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            self.problems.append(
                RuleProblem(path.name, 0, "", "expected 'topic' and a 'rules' list")
            )
            return []
        ctx = Context(self, path.name, "", data["__line__"])
        self.check_keys(ctx, data, {"topic", "rules"}, {"topic", "rules"})
        self.topics[path.name] = " ".join(str(data.get("topic", path.stem)).split())
        rules = []
        for node in data["rules"]:
            self._declare_findings(node)
            rule = self._parse_rule(path.name, node)
            if rule is not None:
                rules.append(rule)
        return rules

    # ---- one rule ----------------------------------------------------------------------
    def _declare_findings(self, node: Any) -> None:
        """The findings an active rule concludes are known even if the rule has problems (it
        is reported once; the rules that test its findings do not report them unknown)."""
        if not isinstance(node, dict) or node.get("status") != "active":
            return
        then = node.get("then")
        for c in then if isinstance(then, list) else ():
            name = c.get("finding") if isinstance(c, dict) else None
            if isinstance(name, str) and FINDING.match(name):
                self.declared_findings.add(name)
                if node.get("mirror"):
                    self.declared_findings.add(f"O.{name}")

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
        ctx = Context(self, file, rule_id, node["__line__"])
        if not self.check_keys(ctx, node, RULE_KEYS, [k for k, req in RULE_KEYS.items() if req]):
            return None
        if not RULE_ID.match(rule_id):
            ctx.problem(f"rule id {rule_id!r} must look like R27, R27a or R27.1")
        for key, words in (("title", 2), ("rationale", 6)):
            value = node[key]
            if not isinstance(value, str) or len(value.split()) < words:
                ctx.problem(f"{key} must have at least {words} words, not {value!r}")
            elif re.search(r"\b(TODO|TBD|FIXME|XXX)\b", value):
                ctx.problem(f"{key} contains a placeholder")
        version = node["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            ctx.problem(f"version must be a whole number >= 1, not {version!r}")
        if node["status"] not in STATUSES:
            ctx.problem(f"unknown status {node['status']!r}", suggest(node["status"], STATUSES))
        source = self.sources(ctx, node["source"])
        when = self.conditions.parse(ctx.at(node["when"]), node["when"])
        then_nodes = node["then"]
        if not isinstance(then_nodes, list) or not then_nodes:
            ctx.problem("then must be a non-empty list of conclusions")
            return None
        then = [self.conclusions.parse(ctx.at(c), c) for c in then_nodes]
        mirror = bool(node.get("mirror", False))
        examples = self._case_ids(ctx, node, "examples")
        counter = self._case_ids(ctx, node, "counter_examples")
        for stem in sorted(set(examples) & set(counter)):
            ctx.problem(f"case {stem!r} is both an example and a counter-example")
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
            examples=examples,
            counter_examples=counter,
        )
        self._check_rule(ctx, rule)
        return rule

    def _case_ids(self, ctx: Context, node: dict[str, Any], key: str) -> tuple[str, ...]:
        """`examples:` / `counter_examples:`: a non-empty list of distinct case ids (stems)."""
        if key not in node:
            return ()
        line = node.get("__lines__", {}).get(key)
        value = node[key]
        if not isinstance(value, list) or not value:
            ctx.problem(f"{key} must be a non-empty list of case ids, not {value!r}", line=line)
            return ()
        out: list[str] = []
        for stem in value:
            if not isinstance(stem, str) or not CASE_ID.match(stem):
                ctx.problem(
                    f"{key}: {stem!r} is not a case id (the stem of a case file, e.g. "
                    "peroneal_01_leg_crossing)",
                    line=line,
                )
            elif stem in out:
                ctx.problem(f"{key}: {stem!r} is listed twice", line=line)
            else:
                out.append(stem)
        return tuple(out)

    def _check_rule(self, ctx: Context, rule: Rule) -> None:
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
        if self.no_finding_judged:
            return
        known = self.declared_findings
        concluded = {f for f in known if not is_other_leg(f)}
        for ctx, name in self.finding_refs:
            if name not in known and name not in self.findings_unread:
                hint = suggest(name, known)
                if is_other_leg(name) and name[2:] in concluded:
                    ctx.problem(f"{name}: no 'mirror: true' rule concludes {name[2:]}")
                else:
                    ctx.problem(f"unknown finding {name!r}: no active rule concludes it", hint)


def _not_mirrorable(ref: Ref) -> bool:
    """A mirror rule swaps the legs of what it tests: it may not test the other leg, a finding
    or a cause (their mirror is not a fact of the case)."""
    return ref.leg is LegRef.OTHER or ref.kind not in (RefKind.FACT, RefKind.DRUG)


def content_hash(texts: dict[str, str]) -> str:
    """sha256 over the rule files' names and contents, in load order."""
    digest = hashlib.sha256()
    for name, content in texts.items():
        digest.update(name.encode() + b"\0")
        digest.update(content.encode("utf-8") + b"\0")
    return "sha256:" + digest.hexdigest()


def load_rulebase(directory: Path) -> RuleBase:
    """Load and validate the rule base in directory; raises RuleBaseError listing all problems."""
    return RuleBaseLoader(directory).load()


def load_rulebase_texts(texts: dict[str, str]) -> RuleBase:
    """The same, from file contents {name: text} (a pinned or an audited rule base)."""
    with tempfile.TemporaryDirectory(prefix="cdss-rules-") as tmp:
        for name, text in texts.items():
            (Path(tmp) / Path(name).name).write_text(text, encoding="utf-8")
        return load_rulebase(Path(tmp))
