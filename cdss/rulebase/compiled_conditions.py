"""Condition trees compiled once, at load, into plain Python functions: `predicate` (what
`Condition.holds` tests, run by the what-ifs many times per call) and `matcher` (what
`Condition.matched` collects, read by the explanations for every firing they show)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cdss.rulebase.conditions import (
    COMPARATORS,
    AllOf,
    AnyOf,
    Condition,
    Described,
    Leaf,
    Not,
    Props,
)


class _Source:
    """Python source for condition tests, literals bound by name in `env` (never written out),
    so that the compiled functions test exactly what `holds` tests."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"_k{len(self.env)}"
        self.env[name] = value
        return name

    def expr(self, c: Condition) -> str:
        """An expression true exactly when `c.holds(p)` (its walrus names are unique)."""
        bind, expr = self.bind, self.expr
        if isinstance(c, Leaf):
            x = bind(None)  # a name for the walrus below, unique per leaf
            get = f"({x} := p.get({bind(c.prop)}))"
            if c.op == "known":
                return f"(({get} is not None) == {bind(bool(c.value))})"
            if c.op in ("is", "eq"):
                return f"({get} is not None and {x} == {bind(c.value)})"
            if c.op == "in":
                return f"({get} is not None and {x} in {bind(c.value)})"
            if c.op in COMPARATORS:
                test = bind(COMPARATORS[c.op][2])
                return f"({get} is not None and {test}({x}, {bind(c.value)}))"
            if c.op.endswith("_fact"):
                test, y = bind(COMPARATORS[c.op[:-5]][2]), bind(None)
                other = f"({y} := p.get({bind(c.other_prop)}))"
                return f"({get} is not None and {other} is not None and {test}({x}, {y}))"
            if c.op == "has":
                return f"({get} is True)"
            raise ValueError(c.op)
        if isinstance(c, AllOf):
            return "(" + " and ".join(expr(i) for i in c.items) + ")" if c.items else "True"
        if isinstance(c, AnyOf):
            return "(" + " or ".join(expr(i) for i in c.items) + ")" if c.items else "False"
        if isinstance(c, Not):
            return f"(not {expr(c.item)})"
        if isinstance(c, Described):
            return expr(c.item)
        raise TypeError(type(c).__name__)

    def function(self, name: str, lines: list[str]) -> Any:
        source = "\n".join([f"def {name}(p):", *lines, ""])
        code = compile(source, "<condition>", "exec")
        exec(code, self.env)  # noqa: S102 - source built from the condition tree, no input text
        return self.env[name]


def predicate(condition: Condition) -> Callable[[Props], bool]:
    """`condition.holds` compiled once into one Python function (no per-node calls): what the
    what-ifs evaluate many times per call."""
    src = _Source()
    test: Callable[[Props], bool] = src.function(
        "_test", [f"    return bool({src.expr(condition)})"]
    )
    return test


Matched = list[tuple[Leaf, bool]]


def matcher(condition: Condition) -> Callable[[Props], Matched]:
    """`condition.matched` compiled once into one Python function, each leaf paired with
    whether it holds (False: it matched by an absence, under a "not"): the explanations ask
    it of every firing they show. It visits the leaves `_collect` visits, in the same order."""
    src = _Source()
    lines = ["    out = []", "    a = out.append"]

    def emit(c: Condition, want: bool, depth: int) -> None:
        pad = "    " * depth
        if isinstance(c, Leaf):  # Leaf._collect: the leaf when it holds == want
            lines.append(f"{pad}if {'' if want else 'not '}{src.expr(c)}:")
            lines.append(f"{pad}    a({src.bind((c, want))})")
        elif isinstance(c, AllOf):  # every item when wanted true, else those that fail
            for item in c.items:
                if want:
                    emit(item, True, depth)
                else:
                    guarded(f"{pad}if not {src.expr(item)}:", item, False, depth)
        elif isinstance(c, AnyOf):  # the items whose truth is the one wanted
            for item in c.items:
                guarded(f"{pad}if {'' if want else 'not '}{src.expr(item)}:", item, want, depth)
        elif isinstance(c, Not):
            emit(c.item, not want, depth)
        elif isinstance(c, Described):
            emit(c.item, want, depth)
        else:
            raise TypeError(type(c).__name__)

    def guarded(header: str, item: Condition, want: bool, depth: int) -> None:
        lines.append(header)
        size = len(lines)
        emit(item, want, depth + 1)
        if len(lines) == size:
            lines.append("    " * (depth + 1) + "pass")

    def walk(p: Props) -> Matched:  # the tree walk, for a condition too deep to compile
        return [(leaf, leaf.holds(p)) for leaf in condition.matched(p)]

    try:
        emit(condition, True, 1)
        lines.append("    return out")
        match: Callable[[Props], Matched] = src.function("_match", lines)
    except (SyntaxError, RecursionError, MemoryError):
        return walk
    return match
