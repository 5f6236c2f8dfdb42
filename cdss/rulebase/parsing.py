"""What the parsers of rule files share: YAML with line numbers, where a problem is, the
vocabulary a rule may use, and the checks of keys, enum values and references.

Every problem is collected (not only the first) as ``file:line RULE: problem (did you mean
...?)``. One real problem gives one report: a vocabulary that could not be read (a broken
references.yaml or rulebase.yaml, a rule file that is not YAML) is not judged against, so the
rules that use it do not each report it again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

import yaml

from cdss.errors import RuleProblem
from cdss.rulebase.fact_types import FactType, base_fact_types
from cdss.rulebase.model import DrugClass, Thresholds
from cdss.rulebase.refs import RefKind, fact_ref

FINDING = re.compile(r"^(O\.)?F_[A-Z0-9_]+$")
INTERNAL_KEYS = ("__line__", "__lines__")  # added by LineLoader to every mapping
E = TypeVar("E", bound=StrEnum)


# libyaml's scanner and parser when PyYAML was built with it (the PyPI wheels are): the same
# safe constructors, marks and errors, and several times faster than the pure-Python ones,
# which took most of a worker's start-up
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A SafeLoader whose mappings remember the line they start on (key ``__line__``)."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def text(value: Any) -> str:
    """A YAML text with its whitespace (folded lines) normalised."""
    return " ".join(str(value).split())


def node_kind(ctx: Context, node: Any, kinds: Sequence[str], what: str) -> str | None:
    """The one key of `kinds` that a condition or conclusion node has; None (reported) when it
    is not a mapping or has none or several."""
    if not isinstance(node, dict):
        ctx.problem(f"a {what} must be a mapping, not {node!r}")
        return None
    found = [k for k in kinds if k in node]
    if len(found) != 1:
        given = [k for k in node if k not in INTERNAL_KEYS]
        ctx.problem(
            f"a {what} needs exactly one of {', '.join(kinds)}; got {given}",
            suggest(given[0], kinds) if given and not found else "",
        )
        return None
    return found[0]


class Context:
    """Where the parser is (file, rule, line), and the problem list it reports to."""

    def __init__(self, state: ParserState, file: str, rule_id: str, line: int) -> None:
        self.state = state
        self.file = file
        self.rule_id = rule_id
        self.line = line

    def problem(self, text: str, suggestion: str = "", line: int | None = None) -> None:
        self.state.problems.append(
            RuleProblem(self.file, line or self.line, self.rule_id, text, suggestion)
        )

    def at(self, node: Any) -> Context:
        line = node.get("__line__", self.line) if isinstance(node, dict) else self.line
        return Context(self.state, self.file, self.rule_id, line)


class ParserState:
    """The vocabulary rules are checked against, as far as it has been read, and the problems."""

    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []
        self.facts: dict[str, FactType] = base_fact_types()
        self.finding_refs: list[tuple[Context, str]] = []
        self.declared_findings: set[str] = set()
        self.drug_classes: dict[str, DrugClass] = {}
        self.references: dict[int, str] = {}
        self.thresholds = Thresholds()
        # vocabularies that could not be read: what refers to them is not judged (no cascade)
        self.references_unread = False
        self.drugs_unread = False
        self.findings_unread: set[str] = set()  # findings a rule file that is not YAML names
        self.no_finding_judged = False  # a rule file could not be read at all

    def check_keys(
        self, ctx: Context, node: dict[str, Any], allowed: Iterable[str], required: Iterable[str]
    ) -> bool:
        ok = True
        allowed = set(allowed)
        for key in node:
            if key not in INTERNAL_KEYS and key not in allowed:
                line = node.get("__lines__", {}).get(key)
                ctx.problem(f"unknown field {key!r}", suggest(key, allowed), line)
                ok = False
        for key in required:
            if key not in node:
                ctx.problem(f"missing required field {key!r}")
                ok = False
        return ok

    def unknown_fact(self, ctx: Context, name: Any, problem: str) -> None:
        """Report a fact name that is not in the vocabulary (unless it is a drug's and the drug
        classes could not be read: that is reported once, for rulebase.yaml)."""
        if not (self.drugs_unread and fact_ref(str(name)).kind is RefKind.DRUG):
            ctx.problem(problem, suggest(name, self.facts))

    def sources(self, ctx: Context, value: Any) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            ctx.problem("source must be a non-empty list of reference numbers")
            return ()
        out = []
        for n in value:
            if n in self.references:
                out.append(n)
            elif not self.references_unread:
                ctx.problem(f"unknown reference {n!r}", suggest(str(n), map(str, self.references)))
        return tuple(out)

    def enum(self, ctx: Context, enum: type[E], value: Any, what: str) -> E | None:
        try:
            return enum(value)
        except ValueError:
            ctx.problem(f"unknown {what} {value!r}", suggest(str(value), [m.value for m in enum]))
            return None

    def enums(self, ctx: Context, enum: type[E], values: Any, what: str) -> tuple[E, ...]:
        if values is None:
            return ()
        if not isinstance(values, list):
            values = [values]
        out = [self.enum(ctx, enum, v, what) for v in values]
        return tuple(v for v in out if v is not None)
