"""Shared fixtures: tiny test roots, the 151-entry synthetic book and its built outputs (once per run, across workers)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
UNFILLED = re.compile(r"\{[A-Za-z_]\w*\}")  # a placeholder messages.render() left in a message it could not fill


def require(found: object, what: str) -> None:
    """Skip a test whose outside tool is missing, on a developer's machine; fail instead under .ci/run
    (KWBOOK_REQUIRE_TOOLS=1), where scripts/setup.sh --test has installed every tool, so a capability's test
    never turns into a skip there unnoticed."""
    if found:
        return
    if os.environ.get("KWBOOK_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{what} is missing, and .ci/run requires every tool (scripts/setup.sh --test installs it)")
    pytest.skip(f"{what} is not installed (scripts/setup.sh --test)")


# EPUBCheck (the only Java the tests run) is a short JVM run: C1's quick JIT and the serial collector cut its
# CPU time by about a third (the same checker, the same verdicts). Set here so every xdist worker has it.
os.environ.setdefault("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
PROJECT = Path(__file__).resolve().parents[1]


def copy_root(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(ROOTS / name, target)
    return target


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    """A private copy of tests/roots/basic (3 valid entries in 2 categories)."""
    return copy_root("basic", tmp_path)


def run_kwbook(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kwbook.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True)


def epub_variant(source: Path, dest: Path, epub_options: str, slug: str | None = None) -> Path:
    """A copy of a manuscript with an `epub:` block added to its book.yaml (and another slug, if given)."""
    shutil.copytree(source, dest)
    yaml = dest / "book.yaml"
    text = yaml.read_text(encoding="utf-8")
    if slug:
        text = re.sub(r"(?m)^slug: .*$", f"slug: {slug}", text)
    yaml.write_text(f"{text}\nepub: {epub_options}\n", encoding="utf-8")
    return dest


def shared_build(tmp_path_factory, name: str, make) -> Path:
    """A folder made once per test run, also across pytest-xdist workers: the first worker to take the lock runs
    make(folder), the others wait for it and reuse the result (pytest-xdist's documented filelock pattern)."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with FileLock(str(root / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def book151_dir(tmp_path_factory) -> Path:
    """The synthetic book of `kwbook sample --entries 151` (read-only: copy it before changing anything)."""
    def make(out: Path) -> None:
        result = run_kwbook("sample", "--entries", 151, out / "book151")
        assert result.returncode == 0, result.stderr
    return shared_build(tmp_path_factory, "sample151", make) / "book151"


@pytest.fixture(scope="session")
def built151(book151_dir: Path, tmp_path_factory) -> dict[str, Path]:
    """The three outputs of the 151-entry book, built once for the whole run (read-only). The press PDF is asked
    for in the same build (print151): one layout in parts, written as both the screen and the press PDF."""
    def make(dist: Path) -> None:
        result = run_kwbook("build", book151_dir, "--format", "all", "--format", "print", "-o", dist)
        assert result.returncode == 0, result.stderr
    dist = shared_build(tmp_path_factory, "dist151", make)
    return {fmt: dist / f"sample-151.{fmt}" for fmt in ("pdf", "epub", "docx")}


def build151(book151_dir: Path, tmp_path_factory, name: str, *options) -> Path:
    """dist/ of `kwbook build BOOK151 OPTIONS`, made once per test run (shared_build)."""
    def make(dist: Path) -> None:
        result = run_kwbook("build", book151_dir, *options, "-o", dist)
        assert result.returncode == 0, result.stderr
    return shared_build(tmp_path_factory, name, make)


@pytest.fixture(scope="session")
def print151(built151: dict[str, Path]) -> Path:
    """The press PDF of the 151-entry book, laid out in parts with built151's screen PDF (read-only)."""
    return built151["pdf"].with_name("sample-151-print.pdf")


@pytest.fixture(scope="session")
def single151(book151_dir: Path, tmp_path_factory) -> Path:
    """The press PDF of the 151-entry book laid out as one document (--single), the parts' reference (read-only)."""
    dist = build151(book151_dir, tmp_path_factory, "single151", "--format", "print", "--single")
    assert not (dist / ".build").exists()  # the single route neither reads nor writes the part cache
    return dist / "sample-151-print.pdf"


@pytest.fixture(scope="session")
def screen_single151(book151_dir: Path, tmp_path_factory) -> Path:
    """The tagged screen PDF of the 151-entry book laid out as one document (--single; read-only)."""
    return build151(book151_dir, tmp_path_factory, "screen_single151", "--format", "pdf", "--single") / "sample-151.pdf"
