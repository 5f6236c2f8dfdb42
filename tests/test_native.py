"""The compiled hot path (cdss/native.py): used only when built from the sources as they are,
and, when used, giving the same answers as the sources and passing the same tests.

The rest of the suite runs the sources (conftest sets CDSS_NATIVE=0). The tests here that need
the build (`make native`, a step of `make test`) run in subprocesses with CDSS_NATIVE=1, in
which importing cdss fails unless the compiled modules are in use. Without a build they are
skipped, saying why, except under CI, where the build is part of the run and they fail; when
the caller asked for CDSS_NATIVE=0 (no build), they are skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cdss import native
from tests.conftest import NATIVE_ASKED, ROOT

BUILD = native.default_directory()
BUILD_PROBLEM, _ = native.check(BUILD)


def _needs_build() -> None:
    if native.choice(NATIVE_ASKED) == "off":
        pytest.skip(f"CDSS_NATIVE={NATIVE_ASKED}: the sources only, as asked")
    if BUILD_PROBLEM is None:
        return
    message = f"the compiled hot path is not usable here: {BUILD_PROBLEM}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _run(
    *args: str, native_choice: str, timeout: float = 900, build: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python *args` from the checkout with CDSS_NATIVE set (and the build in `build`)."""
    env = {**os.environ, "CDSS_NATIVE": native_choice, "CDSS_TEST_COMPILED": "1"}
    if build is not None:
        env["CDSS_NATIVE_DIR"] = str(build)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ---- the guard: a build is used only for the sources it was built from ----------------------


def _fake_build(tmp_path: Path) -> tuple[Path, Path]:
    """A package of two modules and a 'build' of it (placeholder files in place of compiled
    ones) with a manifest as scripts/build_native.py writes it."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "mod.py").write_text("X = 1\n")
    build = tmp_path / "build"
    build.mkdir()
    _write_build(build, package, lambda name: name.encode())
    return package, build


def _write_build(build: Path, package: Path, content: Callable[[str], bytes]) -> None:
    """A build of `package` in `build`: a file per hot module and the shared library, each
    holding `content(name)`, and a manifest as scripts/build_native.py writes it."""
    files = {}
    for name in (*native.HOT_MODULES, "0123__mypyc"):
        rel = name.replace(".", "/") + native.extension_suffix()
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_bytes(content(name))
        files[name] = {"file": rel, "sha256": native.file_digest(build / rel)}
    manifest = {
        "sources_sha256": native.sources_digest(package),
        "extension_suffix": native.extension_suffix(),
        "files": files,
    }
    (build / native.MANIFEST).write_text(json.dumps(manifest))


def test_a_build_matching_its_sources_is_accepted(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    reason, files = native.check(build, package)
    assert reason is None
    assert set(files) == {*native.HOT_MODULES, "0123__mypyc"}


def test_any_edit_added_or_removed_module_turns_the_build_off(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    (package / "sub" / "mod.py").write_text("X = 2\n")
    assert native.check(build, package)[0] == "the sources changed since the build: run make native"
    package, build = _fake_build(tmp_path / "again")
    (package / "sub" / "new.py").write_text("")
    assert "sources changed" in str(native.check(build, package)[0])
    package, build = _fake_build(tmp_path / "once more")
    (package / "sub" / "mod.py").unlink()
    assert "sources changed" in str(native.check(build, package)[0])


def test_a_changed_or_missing_compiled_file_turns_the_build_off(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    target = build / ("cdss/engine" + native.extension_suffix())
    target.write_bytes(b"damaged")
    assert native.check(build, package)[0] == (
        "compiled file of cdss.engine missing or changed: run make native"
    )
    target.unlink()
    assert "cdss.engine missing" in str(native.check(build, package)[0])


def test_a_build_for_another_interpreter_or_none_at_all_is_refused(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    manifest = json.loads((build / native.MANIFEST).read_text())
    manifest["extension_suffix"] = ".cpython-39-x86_64-linux-gnu.so"
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    assert native.check(build, package)[0] == "built for another interpreter: run make native"
    assert native.check(tmp_path / "nothing", package)[0] == "not built: run make native"


def test_a_build_lacking_a_module_or_the_shared_library_is_refused(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    incomplete = "incomplete build (a module or the shared library missing): run make native"
    manifest = json.loads((build / native.MANIFEST).read_text())
    del manifest["files"]["cdss.whatif"]
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    assert native.check(build, package)[0] == incomplete
    package, build = _fake_build(tmp_path / "again")
    manifest = json.loads((build / native.MANIFEST).read_text())
    del manifest["files"]["0123__mypyc"]
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    assert native.check(build, package)[0] == incomplete


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[]", "unreadable build manifest (not a manifest)"),
        ('{"files": []}', "unreadable build manifest (not a manifest)"),
        ("{not json", "unreadable build manifest (JSONDecodeError)"),
    ],
)
def test_a_malformed_manifest_is_a_reason_never_a_crash(
    tmp_path: Path, text: str, reason: str
) -> None:
    package, build = _fake_build(tmp_path)
    (build / native.MANIFEST).write_text(text)
    assert native.check(build, package)[0] == reason
    package, build = _fake_build(tmp_path / "entry")
    manifest = json.loads((build / native.MANIFEST).read_text())
    manifest["files"]["cdss.engine"] = {"sha256": "0"}  # no file named
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    assert native.check(build, package)[0] == "unreadable build (KeyError): run make native"


def test_hidden_files_and_caches_are_not_sources(tmp_path: Path) -> None:
    package, build = _fake_build(tmp_path)
    (package / "sub" / ".#mod.py").symlink_to(tmp_path / "nowhere")  # an editor's lock file
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.py").write_text("")
    assert native.check(build, package)[0] is None
    (package / "sub" / "mod.pyi").write_text("X: int\n")  # a stub is a source
    assert "sources changed" in str(native.check(build, package)[0])


def test_the_installed_wheel_holds_the_sources_a_build_is_checked_against(tmp_path: Path) -> None:
    """The Docker image compiles the checkout and installs the wheel (Dockerfile): its build is
    used only if the package the wheel installs has the checkout's very sources. A module the
    wheel leaves out (a package missing from pyproject's list) would turn the compiled hot
    path off there."""
    import shutil
    import zipfile

    src = tmp_path / "src"  # what the Dockerfile copies into its build stage
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("cdss", "rules"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "wheel"), str(src)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "installed")
    installed = tmp_path / "installed" / "cdss"
    assert [p.relative_to(installed) for p in native.sources(installed)] == [
        p.relative_to(native.PACKAGE) for p in native.sources()
    ]
    assert native.sources_digest(installed) == native.sources_digest()


@pytest.mark.parametrize(("value", "expected"), [("", "auto"), (" 0 ", "off"), ("1", "required")])
def test_the_choice_is_read_strictly(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv(native.ENV, value)
    assert native.choice() == expected
    monkeypatch.setenv(native.ENV, "2")
    with pytest.raises(ValueError, match="CDSS_NATIVE='2': expected auto, 0"):
        native.choice()


def test_install_never_mixes_compiled_modules_with_sources_already_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process the hot modules run as sources: even a current build is not taken up
    (their direct calls to each other would skip the sources), and CDSS_NATIVE=1 says why."""
    import cdss.engine  # noqa: F401 - the precondition: a hot module imported as source

    assert "cdss.engine" in sys.modules
    build = tmp_path / "build"
    build.mkdir()
    monkeypatch.setattr(native, "check", lambda directory: (None, {}))
    before = list(sys.meta_path)
    monkeypatch.setenv(native.ENV, "auto")
    state = native.install(build)
    assert not state.active
    assert state.reason.startswith("imported before the compiled modules: cdss.")
    with monkeypatch.context() as m:
        m.setenv(native.ENV, "1")
        with pytest.raises(ImportError, match="CDSS_NATIVE=1 but the compiled hot path is off"):
            native.install(build)
    monkeypatch.setenv(native.ENV, "0")
    assert native.install(build).reason == "CDSS_NATIVE=0"
    assert sys.meta_path == before


def test_a_library_that_fails_to_load_leaves_the_sources_running(tmp_path: Path) -> None:
    """A fresh process with a build that passes every check but whose shared library cannot
    be loaded (here: not an extension at all): auto falls back, required says why."""
    build = tmp_path / "build"
    build.mkdir()
    _write_build(build, ROOT / "cdss", lambda name: b"not an ELF file")
    code = "import cdss, cdss.engine; print(cdss.native.status().describe(), cdss.engine.__file__)"
    auto = _run("-c", code, native_choice="auto", timeout=120, build=build)
    assert auto.returncode == 0, auto.stderr
    status, _, engine_file = auto.stdout.strip().rpartition(" ")
    assert status == "pure Python (the compiled library failed to load (ImportError))"
    assert engine_file.endswith("cdss/engine.py")
    required = _run("-c", code, native_choice="1", timeout=120, build=build)
    assert required.returncode != 0
    assert "the compiled library failed to load" in required.stderr


def test_required_native_fails_the_import_when_the_build_is_stale(tmp_path: Path) -> None:
    """A fresh process asked for the compiled modules with a build that does not match."""
    _, build = _fake_build(tmp_path)  # a build of another package: not of these sources
    result = _run("-c", "import cdss", native_choice="1", timeout=120, build=build)
    assert result.returncode != 0
    assert "the sources changed since the build: run make native" in result.stderr
    code = "import cdss; print(cdss.native.status().describe())"
    auto = _run("-c", code, native_choice="auto", timeout=120, build=build)
    assert auto.returncode == 0, auto.stderr
    assert auto.stdout.strip() == (
        "pure Python (the sources changed since the build: run make native)"
    )


# ---- the build itself: same answers, same tests ----------------------------------------------


def test_the_compiled_modules_are_the_ones_imported() -> None:
    _needs_build()
    code = (
        "import cdss, cdss.engine, cdss.whatif; from cdss import native; "
        "print(native.status().describe()); print(cdss.engine.__file__); "
        "print(cdss.whatif.__file__)"
    )
    result = _run("-c", code, native_choice="1", timeout=120)
    assert result.returncode == 0, result.stderr
    status, engine_file, whatif_file = result.stdout.splitlines()
    assert status == f"compiled hot path in use ({len(native.HOT_MODULES)} modules, mypyc)"
    for file in (engine_file, whatif_file):
        assert file.endswith(native.extension_suffix())
        assert Path(file).is_relative_to(BUILD)


@pytest.mark.timeout(900)
def test_compiled_answers_equal_the_sources_for_every_case_at_every_level(
    tmp_path: Path,
) -> None:
    """Every test case (golden, review, safety, fixtures; refusals with their field
    violations) at SUMMARY, STANDARD and FULL, written by each and compared line by line."""
    _needs_build()
    snapshot = "scripts/answers_snapshot.py"
    out = {}
    for choice in ("0", "1"):
        path = tmp_path / f"answers-{choice}.jsonl"
        result = _run(snapshot, "write", str(path), "--detail", "all", native_choice=choice)
        assert result.returncode == 0, result.stderr
        out[choice] = path.read_text().splitlines()
    assert len(out["0"]) > 1000
    differing = [a.split('"', 4)[3] for a, b in zip(out["0"], out["1"], strict=True) if a != b]
    assert differing == []


@pytest.mark.timeout(900)
def test_golden_hostile_input_and_engine_tests_pass_on_the_compiled_modules() -> None:
    """The tests that hold the answers to account, run again on the compiled modules: the
    golden and safety cases over gRPC, fuzzing with arbitrary and malformed input, bad input,
    the detail levels, the safety properties and the engine's equivalence with plain Python;
    and the rule catalogue, whose wording calls compiled helpers (make docs runs it compiled)."""
    _needs_build()
    files = [
        "tests/test_catalogue.py",
        "tests/test_golden_cases.py",
        "tests/test_fuzz.py",
        "tests/test_bad_input.py",
        "tests/test_detail_levels.py",
        "tests/test_safety_properties.py",
        "tests/test_engine.py",
    ]
    result = _run("-m", "pytest", "-q", "-p", "no:cacheprovider", *files, native_choice="1")
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\b\d+ passed", summary), summary  # the tests were collected and ran
