"""Clinical decision support for foot drop: a durable-rules rule base behind a gRPC service.

Decision support for a clinician, who reviews the basis of every item; not a diagnosis.
"""

from cdss.decision import Decision
from cdss.errors import CaseError, CdssError, EngineFailure, RuleBaseError
from cdss.evaluator import Evaluator
from cdss.facts import Case

__all__ = [
    "Case",
    "CaseError",
    "CdssError",
    "Decision",
    "EngineFailure",
    "Evaluator",
    "RuleBaseError",
]
