"""Where the rule base ships (a leaf module: the supervisor reads it without the engine).

In a source checkout the rule files are the repository's ``rules/`` (beside ``cdss/``); an
installed wheel carries the same files as ``cdss/_rules/`` (pyproject.toml maps the one to
the other, so the files never move in the repository).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT_RULES = PACKAGE.parent / "rules"
PACKAGED_RULES = PACKAGE / "_rules"


def _default() -> Path:
    if (CHECKOUT_RULES / "rulebase.yaml").is_file():
        return CHECKOUT_RULES
    return PACKAGED_RULES


DEFAULT_RULES_DIR = _default()
