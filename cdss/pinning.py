"""The rule base a supervisor serves, pinned by content: read once, validated, handed to workers.

The supervisor reads the rule files once (`pin`), validates and compiles exactly those bytes,
and hands the same {file: content} to every worker it starts (on the worker's stdin, with the
content hash in its configuration). A worker builds its rule base from that content, never from
the directory, and refuses to serve if the hash differs: a replacement started after the files
were edited serves what the others serve. Only a reload (SIGHUP, `ReloadRules`) pins anew.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cdss.errors import ConfigError
from cdss.rulebase.compiler import CompiledRuleBase, compile_rulebase
from cdss.rulebase.loader import META_FILE, REFERENCES_FILE, load_rulebase_texts


@dataclass(frozen=True, slots=True)
class PinnedRules:
    texts: dict[str, str]
    content_hash: str
    version: str

    def payload(self) -> bytes:
        return json.dumps(self.texts).encode("utf-8")


def read_rule_texts(directory: Path) -> dict[str, str]:
    """The rule files' contents in the loader's order (unreadable files are left to the loader
    to report: it names every problem)."""
    names = [META_FILE, REFERENCES_FILE]
    if directory.is_dir():
        names += sorted(p.name for p in directory.glob("*.yaml") if p.name not in names)
    texts = {}
    for name in names:
        try:
            texts[name] = (directory / name).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def pin(directory: Path) -> PinnedRules:
    """Read, validate and compile the rule base in directory (RuleBaseError when invalid)."""
    texts = read_rule_texts(directory)
    rulebase = load_rulebase_texts(texts)
    compile_rulebase(rulebase)
    return PinnedRules(texts, rulebase.content_hash, rulebase.meta.version)


def compiled_from(stream: IO[bytes], expected_hash: str) -> CompiledRuleBase:
    """A worker's rule base: the pinned content its supervisor wrote on stream."""
    texts = json.loads(stream.read().decode("utf-8"))
    compiled = compile_rulebase(load_rulebase_texts(texts))
    if compiled.rulebase.content_hash != expected_hash:
        raise ConfigError(
            f"pinned rule base hashes to {compiled.rulebase.content_hash}, not {expected_hash}"
        )
    return compiled
