"""Where the rule base ships (a leaf module: the supervisor reads it without the engine)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
