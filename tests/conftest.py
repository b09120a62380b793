"""Shared fixtures: tiny test roots, the 151-entry synthetic book and its built outputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
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


@pytest.fixture(scope="session")
def book151_dir(tmp_path_factory) -> Path:
    """The synthetic book of `kwbook sample --entries 151`."""
    out = tmp_path_factory.mktemp("sample") / "book151"
    result = run_kwbook("sample", "--entries", 151, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def built151(book151_dir: Path, tmp_path_factory) -> dict[str, Path]:
    """The three outputs of the 151-entry book, built once for the whole session."""
    dist = tmp_path_factory.mktemp("dist151")
    result = run_kwbook("build", book151_dir, "-o", dist)
    assert result.returncode == 0, result.stderr
    return {fmt: dist / f"sample-151.{fmt}" for fmt in ("pdf", "epub", "docx")}
