"""Write a rule's `examples:` and `counter_examples:` into its rule file, as text.

The rule files are written by hand: comments, key order, folded text and flow lists must stay
as they are, so the lists are edited line by line, never through a YAML dumper. For each rule
(a line `- id: R27` and the lines indented under it) any existing `examples:` and
`counter_examples:` entries are removed (a one-line flow list, or a block list under the key)
and the new ones are inserted right after the rule's `status:` line, one flow list each. An
empty list writes no key. Applying the same lists twice gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

KEYS = ("examples", "counter_examples")
RULE_START = re.compile(r"^(?P<indent>\s*)- id:\s*(?P<id>[^\s#]+)\s*(#.*)?$")


def _flow(values: Sequence[str]) -> str:
    """A YAML flow list whose items read back as these strings (quoted where YAML would read
    a bare word as something else: yes, no, null, numbers)."""
    items = [v if yaml.safe_load(v) == v and "," not in v else f"'{v}'" for v in values]
    return "[" + ", ".join(items) + "]"


def _rule_spans(lines: list[str]) -> list[tuple[str, int, int, int]]:
    """(rule id, first line, end line, key indent) of every rule in the file."""
    starts = []
    for i, line in enumerate(lines):
        m = RULE_START.match(line)
        if m:
            starts.append((m.group("id"), i, len(m.group("indent"))))
    spans = []
    for n, (rule_id, first, dash) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(lines)
        for j in range(first + 1, end):  # a dedent to the dash's column or less ends the rule
            text = lines[j]
            code = text.strip() and not text.lstrip().startswith("#")
            if code and len(text) - len(text.lstrip()) <= dash:
                end = j
                break
        spans.append((rule_id, first, end, dash + 2))
    return spans


def _without_keys(block: list[str], indent: int) -> list[str]:
    """The rule's lines without its `examples:` / `counter_examples:` entries."""
    out: list[str] = []
    skipping = False
    key = re.compile(rf"^ {{{indent}}}(?:{'|'.join(KEYS)}):")
    for line in block:
        depth = len(line) - len(line.lstrip())
        if skipping and line.strip() and (depth > indent or line.lstrip().startswith("- ")):
            continue  # a block list (or a wrapped flow list) under the removed key
        skipping = False
        if key.match(line):
            skipping = True
            continue
        out.append(line)
    return out


def apply(text: str, lists: Mapping[str, Mapping[str, Sequence[str]]]) -> str:
    """The file text with each rule in `lists` ({rule id: {key: case ids}}) given exactly
    these `examples:` / `counter_examples:` (a key absent or empty: none). Rules not in
    `lists` are left as they are. Raises ValueError when a rule has no `status:` line."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    out: list[str] = []
    done = 0
    for rule_id, first, end, indent in _rule_spans(lines):
        if rule_id not in lists:
            continue
        out.extend(lines[done:first])
        block = _without_keys(lines[first:end], indent)
        status = re.compile(rf"^(?: {{{indent}}}|\s*- )status:")
        where = next((i for i, line in enumerate(block) if status.match(line)), None)
        if where is None:
            raise ValueError(f"{rule_id}: no 'status:' line to put the examples after")
        new = [
            f"{' ' * indent}{key}: {_flow(values)}{newline}"
            for key in KEYS
            if (values := lists[rule_id].get(key))
        ]
        out.extend([*block[: where + 1], *new, *block[where + 1 :]])
        done = end
    out.extend(lines[done:])
    return "".join(out)
