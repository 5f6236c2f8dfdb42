"""Forward chaining in durable-rules, driving its C extension directly.

Why not ``durable.lang``/``durable.engine``: the stock Host starts a timer thread that
corrupts state under concurrent calls, and its per-action Python layer costs more than the
matching (../shared notes, measured). Here each stratum of the rule base is one ruleset;
per evaluation and stratum one session asserts ONE flat fact per unit (affected leg: both
legs of a bilateral case go into the same session, told apart by their ``unit``
property), the fired rules are read off the action queue, and their findings are added to
the unit's fact asserted into the next stratum, so each layer's conclusions are facts the
next layer's rules match.

Rules of the invariants (verified by tests/test_engine.py):
- one session per stratum and call, its facts retracted before the call returns: no fact
  outlives a call. The emptied session is kept for the stratum's next call, because creating
  one costs more than the matching: durable-rules allocates and zeroes 8 KB for every beta
  node of the ruleset in each new session, ~1.6 MB for a large stratum, which also evicts
  the caches the rest of the evaluation runs in. A session that failed, or held anything
  after the retraction, is deleted and the next call creates a new one;
- a process-wide lock around the C extension (it is not thread-safe and holds the GIL anyway);
- a catch-all rule in every ruleset, so a fact no rule matches is not an error and every
  session starts an action before it is deleted (a durable-rules crash otherwise);
- no ``$not`` anywhere: negation is ``$nex``/complement on the one fact (stratified).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

import durable_rules_engine as dre

from cdss.errors import EngineFailure
from cdss.flatten import Unit
from cdss.rulebase.compiler import SINK_NAME, UNIT_PROP, CompiledRule, CompiledRuleBase, Stratum

_ruleset_ids = itertools.count(1)


class Firing(NamedTuple):
    """One rule that fired, on one unit, in one stratum (a named tuple: tens are made per call,
    and a frozen dataclass costs several times more to construct)."""

    stratum: int
    rule: CompiledRule
    unit: int


CauseProps = Callable[[list[Firing]], Mapping[str, Any]]


def _rejected_rules(stratum: Stratum, tag: int) -> list[str]:
    """Name the rules durable-rules cannot compile (e.g. more than 32 expressions)."""
    out = []
    for rule in stratum.rules:
        definition = {rule.name: stratum.definition[rule.name], "sink": stratum.definition["sink"]}
        try:
            handle = dre.create_ruleset(f"cdss_{tag}_probe_{rule.name}", json.dumps(definition))
        except Exception:  # noqa: BLE001 - any refusal names the rule
            out.append(f"{rule.rule.id} ({rule.rule.file}:{rule.rule.line})")
        else:
            dre.delete_ruleset(handle)
    return out


def _rule_name(message: str) -> str:
    """The rule an action is for: durable-rules writes the action as a JSON object whose first
    key is the rule name (``{"r12": {"m": {...}}}``); the fact it carries is not parsed."""
    return message[2 : message.index('"', 2)]


_UNIT_KEY = f'"{UNIT_PROP}":'


def _unit(message: str) -> int:
    """The unit of the fact an action carries (``..."unit": 1, ...``): property names are
    identifiers and string values are never followed by a colon, so the first ``"unit":``
    is the key."""
    start = message.index(_UNIT_KEY) + len(_UNIT_KEY)
    end = start
    while message[end] in " 0123456789":
        end += 1
    return int(message[start:end])


def encoded(prop: str, value: Any) -> str:
    """One property of a flat fact as JSON, comma included (``"name":value,``), the value as
    json.dumps writes it.

    A unit's properties are encoded once per evaluation and each stratum's fact is joined
    from the pieces it reads, instead of projecting and dumping the whole fact again for
    every stratum. Property names are identifiers; values are booleans, ints, finite floats
    (validated) or enum strings."""
    if value is True:
        text = "true"
    elif value is False:
        text = "false"
    elif isinstance(value, str):
        text = encode_basestring_ascii(value)
    elif isinstance(value, int | float):
        text = repr(value)
    else:
        text = json.dumps(value)
    return f'"{prop}":{text},'


MAX_UNITS = 2  # facts per session: one per affected leg (cdss.flatten.build_units)


def fact_ending(sid: str, unit: int) -> str:
    """What closes the fact of unit 0 or 1 in session sid: the id it is retracted by (u0,
    u1), and the session id."""
    return f'"id":"u{unit}","sid":"{sid}"}}'


def retraction(sid: str, units: int) -> str:
    """The message that retracts the facts of `units` units from session sid, by id alone."""
    ids = [f'{{"id":"u{n}","sid":"{sid}"}}' for n in range(units)]
    return ids[0] if units == 1 else "[" + ",".join(ids) + "]"


def _attempt(call: Callable[..., Any], *args: Any) -> list[Exception]:
    """Call, and return the failure (if any) instead of raising it."""
    try:
        call(*args)
    except Exception as exc:  # noqa: BLE001 - the caller reports it after the others
        return [exc]
    return []


class Engine:
    """Owns the durable-rules rulesets of one compiled rule base."""

    def __init__(self, compiled: CompiledRuleBase) -> None:
        self.compiled = compiled
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        tag = next(_ruleset_ids)
        self._handles: list[int] = []
        # per stratum: the session id in use, whether an empty session of it is kept, and the
        # fact endings and retraction messages naming it (per unit count), made when it changes
        count = len(compiled.strata)
        self._sids = [""] * count
        self._endings: list[tuple[str, ...]] = [()] * count
        self._retractions: list[tuple[str, ...]] = [()] * count
        self._kept = [False] * count
        for slot in range(count):
            self._new_session(slot)
        self.live_sessions = 0  # sessions holding a call's facts, or lost (0 between calls)
        self.sessions_run = 0  # stratum sessions run, all calls (what the counters read)
        for stratum in compiled.strata:  # the engine writes these two into every fact
            if stratum.props & {"id", "sid"}:
                raise EngineFailure(f"stratum {stratum.index} reads a property named id or sid")
        for stratum in compiled.strata:
            name = f"cdss_{tag}_s{stratum.index}"
            try:
                self._handles.append(dre.create_ruleset(name, json.dumps(stratum.definition)))
            except Exception as exc:  # the C extension raises its own plain error type
                self.close()
                culprits = ", ".join(_rejected_rules(stratum, tag)) or "unknown rule"
                raise EngineFailure(
                    f"durable-rules rejected stratum {stratum.index} ({exc}); rules: {culprits}"
                ) from exc
        # firings are ordered by rule, its mirror after it, then unit (0 or 1): one int per
        # durable rule name, built here, is the sort key of a (name, unit) pair plus the unit
        self._order = {name: (r.index * 2 + r.mirrored) * 2 for name, r in compiled.by_name.items()}

    def _new_session(self, slot: int) -> None:
        """A new session id for the stratum in `slot` (its session is created by the next
        assert), with the endings of its facts and its retraction messages."""
        sid = str(next(self._sessions))
        self._sids[slot] = sid
        self._endings[slot] = tuple(fact_ending(sid, n) for n in range(MAX_UNITS))
        self._retractions[slot] = tuple(retraction(sid, n) for n in range(1, MAX_UNITS + 1))

    @property
    def kept_sessions(self) -> int:
        """Empty sessions kept for reuse, at most one per stratum."""
        return sum(self._kept)

    def close(self) -> None:
        """Delete the kept sessions (deleting the ruleset does not free a session's contents)
        and the rulesets; every one is attempted, whatever fails before it."""
        with self._lock:
            handles, self._handles = self._handles, []
            failures: list[Exception] = []
            for i, h in enumerate(handles):
                if self._kept[i]:  # each started actions before: safe to delete
                    self._kept[i] = False
                    failures += _attempt(dre.delete_state, h, self._sids[i])
                failures += _attempt(dre.delete_ruleset, h)
            if failures:
                raise EngineFailure(f"durable-rules could not delete a session: {failures[0]}")

    def run(
        self, units: list[Unit], cause_props: CauseProps | None
    ) -> tuple[list[Firing], list[dict[str, Any]]]:
        """Forward-chain over the units; returns every firing in stratum and rule order, and
        each unit's final fact (case facts, findings and cause certainties).

        cause_props is called once, before the first stratum that tests cause certainties,
        with the firings so far; it returns the properties (certainty and rank per cause)
        added to every unit's fact from then on. With cause_props None the chaining stops
        there: every evidence for and against the causes has fired (what-if evaluations).
        """
        props = [dict(u.props) for u in units]
        pieces = [{k: encoded(k, v) for k, v in p.items()} for p in props]
        firings: list[Firing] = []
        causes_added = False
        with self._lock:
            if not self._handles and self.compiled.strata:
                raise EngineFailure("engine is closed")
            strata = zip(self.compiled.strata, self._handles, strict=True)
            for slot, (stratum, handle) in enumerate(strata):
                if stratum.needs_causes and not causes_added:
                    if cause_props is None:
                        break
                    extra = cause_props(firings)
                    extra_pieces = {k: encoded(k, v) for k, v in extra.items()}
                    for p, e in zip(props, pieces, strict=True):
                        p.update(extra)
                        e.update(extra_pieces)
                    causes_added = True
                by_name, order, index = self.compiled.by_name, self._order, stratum.index
                pairs = self._fire(slot, handle, stratum, pieces)
                pairs.sort(key=lambda p: order[p[0]] + p[1])
                fired = [Firing(index, by_name[name], unit) for name, unit in pairs]
                for f in fired:
                    for prop in f.rule.finding_props:
                        props[f.unit][prop] = True
                        pieces[f.unit][prop] = f'"{prop}":true,'
                firings.extend(fired)
        return firings, props

    def _fire(
        self, slot: int, handle: int, stratum: Stratum, units: list[dict[str, str]]
    ) -> list[tuple[str, int]]:
        """One session of one stratum: every unit's fact (its encoded properties that the
        stratum reads, see `encoded`) asserted, the (rule, unit) pairs that fired read off the
        action queue, and the facts retracted, leaving the session empty for the next call."""
        if len(units) > MAX_UNITS:
            raise EngineFailure(f"{len(units)} units in one session (at most {MAX_UNITS})")
        sid, endings, read = self._sids[slot], self._endings[slot], stratum.props
        single = len(units) == 1
        facts = [
            "{" + "".join([piece for k, piece in pieces.items() if k in read]) + endings[n]
            for n, pieces in enumerate(units)
        ]
        fired: list[tuple[str, int]] = []
        sinks = 0
        kept, started, emptied = self._kept[slot], False, False
        self._kept[slot] = False
        self.live_sessions += 1
        self.sessions_run += 1
        try:
            if single:
                code, state = dre.assert_fact(handle, facts[0])
            else:
                code, state = dre.assert_facts(handle, "[" + ",".join(facts) + "]")
            if code not in (0, 1):  # 1: handled by no rule (the sink prevents it)
                raise EngineFailure(f"durable-rules refused a fact (code {code})")
            result = dre.start_action_for_state(handle, state)
            started = result is not None
            message = result[1] if result else None
            while message:
                name = _rule_name(message)
                if name == SINK_NAME:
                    sinks += 1
                else:
                    fired.append((name, 0 if single else _unit(message)))
                message = dre.complete_and_start_action(handle, state)
            if sinks != len(facts):
                raise EngineFailure(f"the catch-all rule of stratum {stratum.index} did not fire")
            retract = dre.retract_fact if single else dre.retract_facts
            code, _ = retract(handle, self._retractions[slot][len(facts) - 1])
            # every rule tests properties of the one fact: a retraction fires nothing; a
            # session that holds a fact or has anything to do after it is not reused
            emptied = (
                code == 0
                and dre.start_action_for_state(handle, state) is None
                and dre.get_facts(handle, sid) == "[]"
            )
        except EngineFailure:
            raise
        except Exception as exc:  # the C extension raises plain Exception subclasses
            raise EngineFailure(f"durable-rules failed in stratum {stratum.index}: {exc}") from exc
        finally:
            if emptied:
                self._kept[slot] = True
                self.live_sessions -= 1
            else:
                # A session that is not reused is deleted, and the next call of the stratum
                # starts a new one under a new id. Deleting a session that never started an
                # action crashes durable-rules 2.0.28 (see SINK in the compiler); the catch-all
                # rule guarantees one, so a new session without it is left alive (a leak,
                # counted) rather than risking the process, as is one that cannot be deleted.
                self._new_session(slot)
                if started or kept:
                    with contextlib.suppress(Exception):  # the call's own error goes on
                        dre.delete_state(handle, sid)
                        self.live_sessions -= 1
        # a rule whose condition has an OR fires once per matching branch: count it once
        return list(dict.fromkeys(fired))
