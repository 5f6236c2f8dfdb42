"""Clinical decision support for foot drop: a durable-rules rule base behind a gRPC service.

Decision support for a clinician, who reviews the basis of every item; not a diagnosis.
"""

import typing

from cdss import native

native.install()  # first: the compiled hot path, if built from these sources (cdss/native.py)

from cdss.decision import Decision
from cdss.errors import CaseError, CdssError, EngineFailure, RuleBaseError
from cdss.facts import Case

if typing.TYPE_CHECKING:
    from cdss.evaluator import Evaluator

__all__ = [
    "Case",
    "CaseError",
    "CdssError",
    "Decision",
    "EngineFailure",
    "Evaluator",
    "RuleBaseError",
]


def __getattr__(name: str) -> object:
    """Evaluator is imported on first use: `python -m cdss serve` starts a supervisor that
    never evaluates, and must not load durable-rules or the YAML reader for nothing."""
    if name == "Evaluator":
        from cdss.evaluator import Evaluator  # noqa: PLC0415 - deliberately lazy

        globals()[name] = Evaluator
        return Evaluator
    raise AttributeError(f"module 'cdss' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
