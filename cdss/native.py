"""The hot path compiled to C by mypyc, loaded only when it was built from these very sources.

`make native` (a step of `make install`, so of `make run`, `make test` and `make bench`)
compiles the modules of `HOT_MODULES` with mypyc (scripts/build_native.py) into a directory
of the virtual environment, never beside the sources, with a manifest that records a digest
of every ``.py`` and ``.pyi`` file of the package, the interpreter's extension suffix and a
digest of each compiled file. At `import cdss`, `install` compares the manifest with the
sources as they are: only when everything matches does it put a finder first on
`sys.meta_path` and load mypyc's shared library of the build at once (it holds the code of
every compiled module; each module's own file only hands its part out), so that the code the
process runs is the code it checked, even if the build is replaced later. Any edit to any
module of the package, a different interpreter, a damaged file or a library that fails to
load turns the whole compiled set off (it is one unit: its modules call each other directly)
and the pure-Python sources run, until `make native` rebuilds.

The compiled modules give the same answers as the sources (tests/test_native.py compares
every test case's answer at every detail level, and runs the golden, hostile-input and
engine tests against the compiled modules); they are only faster (README, "Speed").

CDSS_NATIVE chooses: ``auto`` (the default: compiled when built and current), ``0`` (never:
the test suite runs the sources, so that its patches reach the code they patch), ``1``
(required: importing cdss fails, saying why, when the compiled modules cannot be used); any
other value fails the import, naming the variable.

This module imports nothing from the package: it runs first, inside `cdss/__init__.py`.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

# The modules compiled: every step of an evaluation (conversion, validation, flattening, the
# engine's driver, scoring, reasoning, explanations, what-ifs, the response). Not compiled:
# the modules that define the data types other modules build or replace (facts, decision,
# the rule base's model: mypyc would make them native classes), merging (a generic class,
# which mypyc cannot make native), and everything outside an evaluation.
HOT_MODULES = (
    "cdss.answer",
    "cdss.certainty",
    "cdss.convert",
    "cdss.engine",
    "cdss.evaluator",
    "cdss.evidence",
    "cdss.explanation",
    "cdss.flatten",
    "cdss.names",
    "cdss.next_questions",
    "cdss.reasoning",
    "cdss.safety_net",
    "cdss.scoring",
    "cdss.validation",
    "cdss.whatif",
)

PACKAGE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
LIBRARY_SUFFIX = "__mypyc"  # mypyc's shared library: `<hash>__mypyc`, a top-level module
ENV = "CDSS_NATIVE"
_CHOICES = {
    "auto": "auto",
    "": "auto",
    "0": "off",
    "off": "off",
    "no": "off",
    "false": "off",
    "1": "required",
    "on": "required",
    "yes": "required",
    "true": "required",
    "required": "required",
}


def choice(raw: str | None = None) -> str:
    """CDSS_NATIVE (or `raw`, a value it was given elsewhere) as one of auto, off, required
    (ValueError, naming it, for anything else)."""
    if raw is None:
        raw = os.environ.get(ENV, "auto")
    value = _CHOICES.get(raw.strip().lower())
    if value is None:
        raise ValueError(f"{ENV}={raw!r}: expected auto, 0 (off) or 1 (required)")
    return value


def default_directory() -> Path:
    """Where `make native` puts the compiled modules: inside the environment whose
    interpreter they were built for (CDSS_NATIVE_DIR overrides)."""
    return Path(os.environ.get("CDSS_NATIVE_DIR") or Path(sys.prefix) / "cdss-native")


def sources(package: Path = PACKAGE) -> list[Path]:
    """The package's modules and type stubs (hidden files, such as an editor's lock files,
    and caches left out), in path order."""
    found = [*package.rglob("*.py"), *package.rglob("*.pyi")]
    return sorted(
        p
        for p in found
        if p.is_file()
        and not any(part.startswith((".", "__pycache__")) for part in p.relative_to(package).parts)
    )


def sources_digest(package: Path = PACKAGE) -> str:
    """SHA-256 over the path and content of every module and stub of the package, in path
    order: any edit, added or removed module changes it."""
    digest = hashlib.sha256()
    for path in sources(package):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extension_suffix() -> str:
    """The file suffix of this interpreter's own extension modules (its ABI)."""
    return importlib.machinery.EXTENSION_SUFFIXES[0]


@dataclass(frozen=True)
class Status:
    """Whether the compiled modules are in use, and if not, why not (one line, no paths)."""

    active: bool
    reason: str
    modules: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.active:
            return f"compiled hot path in use ({len(self.modules)} modules, mypyc)"
        return f"pure Python ({self.reason})"


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules (and mypyc's shared library) by their full names."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def check(directory: Path, package: Path = PACKAGE) -> tuple[str | None, dict[str, Path]]:
    """Why the build in `directory` cannot be used for the sources in `package` (None: it
    can), and the compiled file of each module it holds. Never raises: whatever is wrong
    with the build or the disk is a reason."""
    try:
        return _check(directory, package)
    except FileNotFoundError:
        return "not built (or replaced while being read): run make native", {}
    except Exception as exc:  # noqa: BLE001 - a bad build means the sources run, not a crash
        return f"unreadable build ({type(exc).__name__}): run make native", {}


def _check(directory: Path, package: Path) -> tuple[str | None, dict[str, Path]]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        return "not built: run make native", {}
    except ValueError as exc:
        return f"unreadable build manifest ({type(exc).__name__})", {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return "unreadable build manifest (not a manifest)", {}
    if manifest.get("extension_suffix") != extension_suffix():
        return "built for another interpreter: run make native", {}
    if manifest.get("sources_sha256") != sources_digest(package):
        return "the sources changed since the build: run make native", {}
    files: dict[str, Path] = {}
    for name, entry in manifest["files"].items():
        file = directory / entry["file"]
        if not file.is_file() or file_digest(file) != entry["sha256"]:
            return f"compiled file of {name} missing or changed: run make native", {}
        files[name] = file
    missing = [name for name in HOT_MODULES if name not in files]
    if missing or not any(name.endswith(LIBRARY_SUFFIX) for name in files):
        return "incomplete build (a module or the shared library missing): run make native", {}
    return None, files


_status = Status(False, "not checked")


def install(directory: Path | None = None) -> Status:
    """Use the compiled modules if CDSS_NATIVE allows and the build matches the sources
    (called once, by `import cdss`, before any other module of the package is imported)."""
    global _status  # noqa: PLW0603 - one decision per process, read by status()
    wanted = choice()
    if wanted == "off":
        _status = Status(False, f"{ENV}={os.environ.get(ENV, '').strip()}")
        return _status
    reason, files = check(directory or default_directory())
    loaded = [name for name in HOT_MODULES if name in sys.modules]
    if reason is None and loaded:  # imported as source: mypyc's direct calls would not mix
        reason = f"imported before the compiled modules: {', '.join(loaded)}"
    if reason is None:
        finder = _Finder(files)
        sys.meta_path.insert(0, finder)
        try:  # the checked library, loaded now: what later imports of the modules will use
            for name in files:
                if name.endswith(LIBRARY_SUFFIX):
                    importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - it fails to load: the sources run
            sys.meta_path.remove(finder)
            reason = f"the compiled library failed to load ({type(exc).__name__})"
    if reason is not None:
        _status = Status(False, reason)
        if wanted == "required":
            raise ImportError(f"{ENV}=1 but the compiled hot path is off: {reason}")
        return _status
    _status = Status(True, "", tuple(n for n in files if n in HOT_MODULES))
    return _status


def status() -> Status:
    return _status
