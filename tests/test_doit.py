"""doit: check gates every build, a second run does nothing, edits rebuild what depends on them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT

DOIT = [sys.executable, "-m", "doit", "-f", str(PROJECT / "dodo.py")]


@pytest.fixture
def project(basic, tmp_path):
    """The basic book with its own copy of the styles, so a test may edit them."""
    shutil.copytree(PROJECT / "styles", basic / "styles")
    return {"manuscript": basic, "dist": tmp_path / "dist", "db": tmp_path / "doit.db"}


def doit(project, *args) -> subprocess.CompletedProcess:
    cmd = DOIT + [*args, "--db-file", str(project["db"]), f"manuscript={project['manuscript']}", f"dist={project['dist']}"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)


def executed(result) -> set[str]:
    return {line[3:].strip() for line in result.stdout.splitlines() if line.startswith(".  ")}


def test_build_rebuild_and_failure(project):
    first = doit(project)
    assert first.returncode == 0, first.stdout + first.stderr
    assert executed(first) == {"check", "build"}
    outputs = {fmt: project["dist"] / f"basic.{fmt}" for fmt in ("pdf", "epub", "docx")}
    assert all(p.stat().st_size > 1000 for p in outputs.values())

    second = doit(project)
    assert second.returncode == 0 and executed(second) == set(), second.stdout

    entry = project["manuscript"] / "entries/alpha/010-綠色發展.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("明顯改善", "持續改善"), encoding="utf-8")
    third = doit(project)
    assert executed(third) == {"check", "build"}
    for fmt in ("epub", "docx"):  # the edit reaches what a reader opens (one process read the sources once)
        with zipfile.ZipFile(outputs[fmt]) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xhtml", ".xml")))
        assert "持續改善" in text and "明顯改善" not in text, fmt

    css = project["manuscript"] / "styles/print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    fourth = doit(project)
    assert executed(fourth) == {"build"}

    before = {fmt: p.read_bytes() for fmt, p in outputs.items()}
    entry.write_text(entry.read_text(encoding="utf-8").replace("## 實踐成效\n", ""), encoding="utf-8")
    failed = doit(project)
    out = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "entries/alpha/010-綠色發展.md:16:1: error:" in out and "實踐成效" in out
    assert "Traceback" not in out
    assert {fmt: p.read_bytes() for fmt, p in outputs.items()} == before
    expected = [p.name for p in outputs.values()] + [".basic.pages.json"]  # the PDF's page map for the EPUB
    expected.append(".build")  # the PDF part cache (dist/.build/<slug>/)
    assert sorted(p.name for p in project["dist"].iterdir()) == sorted(expected)


def test_doit_list_describes_every_task(project):
    result = doit(project, "list")
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert set(lines) == {"check", "build", "print", "proof", "verify", "a11y", "edition", "edition_print", "watch"}
    assert all(len(desc) > 10 for desc in lines.values())


def test_outputs_depend_on_kwbook_code_styles_and_sources(project):
    # `info` takes no variables, so this reads the shipped manuscript (read-only, private dep file)
    result = subprocess.run(DOIT + ["info", "--db-file", str(project["db"]), "build"], capture_output=True, text=True, cwd=PROJECT)
    assert "file_dep" in result.stdout, result.stderr  # exit 1 only says the task is not up to date
    for needed in ("src/kwbook/writers/pdf.py", "src/kwbook/render/html.py", "styles/print.css", "東西部扶貧協作.md", "book.yaml"):
        assert needed in result.stdout, needed


def test_doit_builds_and_verifies_every_edition(tmp_path):
    """A zh-Hans manuscript with a Taiwan edition: `doit` builds both, `doit verify` reads each edition back."""
    from conftest import ROOTS

    project = {"manuscript": ROOTS / "hans", "dist": tmp_path / "dist", "db": tmp_path / "doit.db"}
    first = doit(project)
    assert first.returncode == 0, first.stdout + first.stderr
    tw = "hans-keywords-tw"
    assert executed(first) == {"check", "build", f"edition:{tw}"}
    names = {p.name for p in project["dist"].iterdir()}
    for slug in ("hans-keywords", tw):
        assert {f"{slug}.pdf", f"{slug}.epub", f"{slug}.docx", f".{slug}.pages.json"} <= names
    assert f"{tw}-conversion.txt" in names
    checked = subprocess.run(DOIT + ["run", "--db-file", str(project["db"]), "verify", f"manuscript={project['manuscript']}",
                              f"dist={project['dist']}"], capture_output=True, text=True, cwd=PROJECT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    verdicts = [line for line in checked.stdout.splitlines() if "/dist/" in line]
    assert len(verdicts) == 6 and sum(f"{tw}." in line for line in verdicts) == 3, checked.stdout
    assert doit(project).stdout.count(".  ") == 0          # nothing to do the second time
