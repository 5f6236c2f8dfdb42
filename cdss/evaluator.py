"""One object that answers cases: load rules once, then validate, chain, and decide per case."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cdss.decision import Decision, Detail
from cdss.engine import Engine
from cdss.facts import Case
from cdss.flatten import build_units
from cdss.next_questions import NextQuestions
from cdss.paths import DEFAULT_RULES_DIR
from cdss.reasoning import Reasoner
from cdss.rulebase.compiler import CompiledRuleBase, compile_rulebase
from cdss.rulebase.loader import load_rulebase
from cdss.scoring import ScoreOnce, Scoring
from cdss.validation import validate

__all__ = ["DEFAULT_RULES_DIR", "Evaluator"]  # the rules path is re-exported from its old home


class Evaluator:
    """Owns a compiled rule base and its engine. Thread-safe (the engine serialises)."""

    def __init__(self, compiled: CompiledRuleBase) -> None:
        self.compiled = compiled
        self.engine = Engine(compiled)
        self.scoring = Scoring(compiled)
        self.reasoner = Reasoner(compiled, self.scoring)
        self._drugs = frozenset(compiled.drug_names)
        self.next_questions = NextQuestions(self.engine, self.scoring, self._drugs)

    @classmethod
    def from_directory(cls, directory: Path = DEFAULT_RULES_DIR) -> Evaluator:
        return cls(compile_rulebase(load_rulebase(directory)))

    def evaluate(self, case: Case, detail: Detail = Detail.FULL) -> Decision:
        """The answer to one case at `detail` (the gRPC default is STANDARD; FULL here, for the
        tools and tests that read the trace)."""
        validate(case)
        units = build_units(case, self._drugs)
        hook = ScoreOnce(self.scoring)
        firings, props = self.engine.run(units, hook)
        scores = hook.result(firings)  # computed once, handed to the answer and the what-ifs
        decision = self.reasoner.decide(case, units, props, firings, scores, detail=detail)
        if detail >= Detail.STANDARD and decision.requests and self.scoring.uncertain(scores):
            base = self.next_questions.baseline(case, units, props, firings, scores)
            requests = self.next_questions.rank(base, decision.requests)
            decision = dataclasses.replace(decision, requests=requests)
        return decision

    def close(self) -> None:
        self.engine.close()
