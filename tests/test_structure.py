"""The shape of the code: no import cycle, dependencies point down, modules stay small.

Imports are read from the source (module level only: an import inside a function is a
deliberate lazy load, one under ``if TYPE_CHECKING`` never runs)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cdss"
MAX_LINES = 400  # handwritten modules; the generated cdss/_proto is not read

# The rule base sits below everything that runs it: it may use only these outside itself.
RULEBASE_MAY_USE = {
    "cdss.vocabulary",
    "cdss.errors",
    "cdss.facts",
    "cdss.names",
    "cdss.case_fields",
}
# The engine and the reasoning know nothing of serving, auditing or documentation.
SERVING = {
    "cdss.servicer",
    "cdss.server",
    "cdss.supervisor",
    "cdss.worker",
    "cdss.cli",
    "cdss.config",
    "cdss.grpc_errors",
    "cdss.audit",
    "cdss.auth",
    "cdss.replay",
    "cdss.answer",
    "cdss.report",
    "cdss.rulebase.catalogue",
    "cdss.settings",
    "cdss.logs",
    "cdss.metrics",
    "cdss.metrics_endpoint",
    "cdss.answer_json",
    "cdss.audit_report",
    "cdss.new_case",
}
CORE = {
    "cdss.engine",
    "cdss.evaluator",
    "cdss.next_questions",
    "cdss.whatif",
    "cdss.flatten",
    "cdss.certainty",
    "cdss.decision",
    "cdss.names",
    "cdss.reasoning",
    "cdss.evidence",
    "cdss.scoring",
    "cdss.merging",
    "cdss.explanation",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "_proto" in rel.parts:
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If):
            if not _is_type_checking(node):
                out += _top_level(node.body) + _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            out += _top_level(node.body)
        else:
            out.append(node)
    return out


def imports_of(module: str) -> set[str]:
    """The cdss modules `module` imports when it is imported."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in _top_level(tree.body):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in MODULES and name != module:
                out.add(name)
    return {m for m in out if m != "cdss" or module == "cdss"}


GRAPH = {m: imports_of(m) for m in MODULES}


def _cycle() -> list[str]:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for d in sorted(GRAPH[m]):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_no_import_cycle() -> None:
    assert _cycle() == []


def test_the_walk_sees_imports() -> None:
    assert "cdss.rulebase.compiler" in GRAPH["cdss.engine"]
    assert "cdss.facts" in GRAPH["cdss.flatten"]  # `from cdss import facts`


def test_rule_base_sits_below_what_runs_it() -> None:
    wrong = {
        (m, d)
        for m, deps in GRAPH.items()
        if m.startswith("cdss.rulebase.")
        for d in deps
        if not d.startswith("cdss.rulebase.") and d not in RULEBASE_MAY_USE
    }
    assert wrong == set()


def test_engine_and_reasoning_know_nothing_of_serving() -> None:
    serving = SERVING | {m for m in MODULES if m.startswith("cdss.http")}  # the HTTP front door
    wrong = {(m, d) for m in CORE for d in GRAPH[m] if d in serving}
    assert wrong == set()


def test_replay_does_not_import_the_servicer() -> None:
    assert "cdss.servicer" not in GRAPH["cdss.replay"]


def test_config_imports_no_evaluator() -> None:
    assert GRAPH["cdss.config"] <= {"cdss.paths"}


def test_supervisor_loads_no_engine() -> None:
    """The CLI, the settings and the supervisor import no rule engine. (The supervisor does
    read YAML: it validates and pins the rule files before it starts a worker, issue 14.)"""
    code = (
        "import sys, cdss.cli, cdss.config, cdss.supervisor\n"
        "print(sorted(m for m in ('durable_rules_engine', 'cdss.evaluator', 'cdss.engine') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_handwritten_modules_are_small(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"
