"""A clinician-readable catalogue of the rule base (docs/rules.md is generated from it).

Every rule with its conditions in words, its conclusions with their weights, its rationale
and its sources written out. `python -m cdss rules --format markdown` prints it; a test fails
when the committed docs/rules.md is stale.
"""

from __future__ import annotations

from cdss.names import display, fact_label
from cdss.rulebase.compiler import CompiledRuleBase
from cdss.rulebase.conditions import AllOf, AnyOf, Condition, Described, Leaf, Not
from cdss.rulebase.model import (
    AlertConclusion,
    Conclusion,
    Evidence,
    Finding,
    Request,
    Rule,
    TestConclusion,
    TreatmentConclusion,
    Withhold,
)
from cdss.rulebase.refs import RefKind

WORDS = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">"}


def _value(v: object) -> str:
    """A condition's value as a clinician reads it: a contract code by its clinical name, a
    number (an MRC grade, a day count) as it is."""
    return display(v) if isinstance(v, str) else str(v)


def leaf_words(leaf: Leaf) -> str:
    ref, v = leaf.ref, leaf.value
    label = fact_label(ref)
    if ref.is_finding:
        text = label
    elif ref.kind is RefKind.CLOSE_CALL:
        a, b = ref.causes
        text = f"{display(a)} and {display(b)} lead the differential, unresolved (close call)"
    elif leaf.op == "has":
        text = f"{label} {_value(v)}"
    elif leaf.op == "is":
        text = f"{label}: {'yes' if v else 'no'}"
    elif leaf.op == "eq":
        text = f"{label} = {_value(v)}"
    elif leaf.op == "in":
        text = f"{label} is {' or '.join(_value(x) for x in v)}"
    elif leaf.op in WORDS:
        if ref.kind is RefKind.CAUSE and ref.field == "rank":
            place = "first" if v == 1 else f"in the top {v}"
            text = f"{display(ref.causes[0])} is ranked {place}"
        elif ref.kind is RefKind.CAUSE:
            text = f"certainty of {display(ref.causes[0])} {WORDS[leaf.op]} {v}"
        else:
            text = f"{label} {WORDS[leaf.op]} {v}"
    elif leaf.op.endswith("_fact") and leaf.other is not None:
        text = f"{label} {WORDS[leaf.op[:-5]]} {fact_label(leaf.other)}"
    elif leaf.op == "known":
        text = f"{label} {'recorded' if v else 'not recorded'}"
    else:  # pragma: no cover - the loader admits no other operator
        text = f"{label} {leaf.op} {v}"
    return text


def condition_lines(cond: Condition, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(cond, Described):
        return [f"{pad}- {cond.text}"]
    if isinstance(cond, Leaf):
        return [f"{pad}- {leaf_words(cond)}"]
    if isinstance(cond, Not):
        inner = cond.item
        if isinstance(inner, Leaf):
            return [f"{pad}- not: {leaf_words(inner)}"]
        if isinstance(inner, Described):
            return [f"{pad}- not: {inner.text}"]
        return [
            f"{pad}- none of:" if isinstance(inner, AnyOf) else f"{pad}- not all of:",
            *_children(inner, depth + 1),
        ]
    head = "all of:" if isinstance(cond, AllOf) else "any of:"
    return [f"{pad}- {head}", *_children(cond, depth + 1)]


def _children(cond: Condition, depth: int) -> list[str]:
    items = cond.items if isinstance(cond, AllOf | AnyOf) else (cond,)
    return [line for c in items for line in condition_lines(c, depth)]


def conclusion_words(c: Conclusion) -> str:
    if isinstance(c, Finding):
        return f"finding **{c.name}**"
    if isinstance(c, Evidence):
        sign = "+" if c.direction > 0 else "−"
        basis = {"result": " (result)", "prior": " (base rate)"}.get(c.basis, "")
        verb = "supports" if c.direction > 0 else "lowers"
        return f"{verb} **{display(c.cause.value)}** {sign}{c.weight:.2f}{basis}"
    if isinstance(c, AlertConclusion):
        head = f"**{display(c.urgency.value).upper()} alert** ({display(c.kind.value)})"
        withdrawn = (
            f" Withdrawn only when recorded: {', '.join(c.withdrawn_by)}." if c.withdrawn_by else ""
        )
        return f"{head}: {c.summary} Action: {c.action}{withdrawn}"
    if isinstance(c, TestConclusion):
        when = f", from day {c.earliest_day}" if c.earliest_day is not None else ""
        again = ", even if already done" if c.repeat else ""
        head = f"test **{display(c.test.value)}** ({display(c.urgency.value)}{when}{again})"
        return f"{head}: {c.explanation}"
    if isinstance(c, TreatmentConclusion):
        return f"treatment **{display(c.treatment.value)}**: {c.explanation}"
    if isinstance(c, Withhold):
        return f"do not suggest **{display(c.item.value)}**: {c.reason}"
    if isinstance(c, Request):
        return f"ask/examine ({display(c.urgency.value)}): {c.question} [{', '.join(c.fields)}]"
    raise TypeError(c)  # pragma: no cover


def _rule_section(compiled: CompiledRuleBase, rule: Rule, stratum: int) -> list[str]:
    rb = compiled.rulebase
    mirror = " Also applied to the other leg." if rule.mirror else ""
    lines = [
        f"### {rule.id} — {rule.title}",
        "",
        f"Version {rule.version}, {rule.status}, layer {stratum}"
        + (f", brief {rule.brief}" if rule.brief else "")
        + f". `{rule.file}:{rule.line}`.{mirror}",
        "",
        "**When**",
        "",
        *condition_lines(rule.when),
        "",
        "**Then**",
        "",
        *(f"- {conclusion_words(c)}" for c in rule.then),
        "",
        f"**Why.** {rule.rationale}",
        "",
        "**Source.** " + "; ".join(f"[{n}] {rb.meta.references[n]}" for n in rule.source),
        "",
    ]
    if rule.changes:
        lines[-1:-1] = [f"**Changes.** {rule.changes}", ""]
    if rule.examples or rule.counter_examples:
        cases = [f"**Examples.** {_cases(rule.examples) or 'none listed'}."]
        if rule.counter_examples:
            cases.append(f"Stopped by an exclusion: {_cases(rule.counter_examples)}.")
        lines += [" ".join(cases), ""]
    return lines


def _cases(stems: tuple[str, ...]) -> str:
    return ", ".join(f"`{s}`" for s in stems)


def markdown(compiled: CompiledRuleBase) -> str:
    rb = compiled.rulebase
    strata = {c.rule.id: s.index for s in compiled.strata for c in s.rules}
    titles = rb.topics
    lines = [
        f"# Rule catalogue — {rb.meta.name} {rb.meta.version}",
        "",
        "Generated by `python -m cdss rules --format markdown` from `rules/`; do not edit by hand "
        "(`make docs` regenerates it, a test fails when it is stale).",
        "",
        f"Content hash `{rb.content_hash}`. {len(rb.rules)} rules in {len(compiled.strata)} layers "
        "(layer 1 reads only the case; each later layer reads the findings of earlier ones; "
        "the last layer reads the combined certainty of each cause).",
        "",
        f"> {rb.meta.intended_use}",
        "",
        "Reading the conditions: *affected leg* is the leg with the foot drop (each leg in turn "
        "when both are affected); a fact that was not recorded is unknown, so a test on it fails "
        "and its *not* holds. Weights combine per cause as certainty factors "
        "(README, section Certainty).",
        "",
    ]
    for file in dict.fromkeys(r.file for r in rb.rules):
        lines += [f"## {titles.get(file, file)} (`rules/{file}`)", ""]
        for rule in (r for r in rb.rules if r.file == file):
            lines += _rule_section(compiled, rule, strata.get(rule.id, 0))
    lines += ["## References", ""]
    lines += [f"{n}. {text}" for n, text in sorted(rb.meta.references.items())]
    return "\n".join(lines) + "\n"
