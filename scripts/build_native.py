"""Compile the hot path with mypyc into the environment (see cdss/native.py): `make native`.

Usage: python scripts/build_native.py [--into DIR] [--check]

The modules of cdss.native.HOT_MODULES are compiled in a temporary directory (the generated C
and the objects never touch the checkout), then moved as a whole into DIR (default: the
environment's ``cdss-native``), with a manifest recording the digest of the package's sources
they were built from and of each compiled file (mypy's version is recorded, not checked: a
newer mypyc compiles the same sources to the same behaviour). Nothing is rebuilt when the
build there is already current. --check only says whether it is (exit 1 when not).

The build needs mypy (a dev dependency, which brings mypyc), setuptools and a C compiler (the
one durable-rules builds with). CDSS_NATIVE=0 skips it: the service then runs the sources.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLER_CHOICE = os.environ.get("CDSS_NATIVE", "auto")
os.environ["CDSS_NATIVE"] = "0"  # this process reads the sources, never an older build
sys.path.insert(0, str(ROOT))

from cdss import native  # noqa: E402


def build(into: Path) -> None:
    from mypyc.build import mypycify  # a dev tool, needed only here
    from setuptools import Distribution  # type: ignore[import-untyped]

    sources = [str(ROOT / (name.replace(".", "/") + ".py")) for name in native.HOT_MODULES]
    digest = native.sources_digest()
    with tempfile.TemporaryDirectory(prefix="cdss-native-") as tmp:
        work = Path(tmp)
        log = io.StringIO()
        cwd = Path.cwd()
        os.chdir(ROOT)  # mypy reads pyproject.toml's [tool.mypy] from here
        try:
            with contextlib.redirect_stdout(log):
                extensions = mypycify(
                    sources, opt_level="3", debug_level="0", target_dir=str(work / "c")
                )
                dist = Distribution({"name": "cdss-native", "ext_modules": extensions})
                cmd = dist.get_command_obj("build_ext")
                cmd.build_lib = str(work / "lib")
                cmd.build_temp = str(work / "obj")
                cmd.parallel = os.cpu_count() or 1
                dist.run_command("build_ext")
        except BaseException:
            sys.stderr.write(log.getvalue())
            raise
        finally:
            os.chdir(cwd)
        if native.sources_digest() != digest:
            raise SystemExit("the sources changed during the build; run it again")
        lib = work / "lib"
        files = {}
        for path in sorted(lib.rglob("*" + native.extension_suffix())):
            rel = path.relative_to(lib).as_posix()
            name = rel[: -len(native.extension_suffix())].replace("/", ".")
            files[name] = {"file": rel, "sha256": native.file_digest(path)}
        missing = set(native.HOT_MODULES) - set(files)
        if missing:
            raise SystemExit(f"mypyc built no module for {', '.join(sorted(missing))}")
        manifest = {
            "sources_sha256": digest,
            "extension_suffix": native.extension_suffix(),
            "python": sys.version.split()[0],
            "mypy": _mypy_version(),
            "files": files,
        }
        (lib / native.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        # swap in the new build whole: a process starting meanwhile finds the old build, the
        # new one or (for an instant) none, never a mixture; with none, its sources run
        staged = into.with_name(into.name + ".new")
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(lib, staged)
        old = into.with_name(into.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if into.exists():
            into.rename(old)
        staged.rename(into)
        shutil.rmtree(old, ignore_errors=True)


def _mypy_version() -> str:
    from mypy.version import __version__

    return str(__version__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--into", type=Path, default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    into = args.into or native.default_directory()
    reason, _ = native.check(into)
    if args.check or reason is None:
        print(f"compiled hot path in {into}: {reason or 'current'}")
        if reason is None and not args.check:
            (into / native.MANIFEST).touch()  # for make: current as of now
        return 0 if reason is None else 1
    if native.choice(CALLER_CHOICE) == "off":
        print(f"CDSS_NATIVE={CALLER_CHOICE}: the hot path is not compiled; the sources run")
        return 0
    print(f"compiling {len(native.HOT_MODULES)} modules with mypyc into {into} ({reason}) ...")
    build(into)
    reason, _ = native.check(into)
    if reason is not None:
        raise SystemExit(f"the build in {into} is not usable: {reason}")
    print(f"compiled hot path in {into}: current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
