"""Ace by DAISY (the real checker, on Debian's chromium) on built EPUBs: no violation, metadata found, failures named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, epub_variant, run_kwbook

from kwbook import messages
from kwbook.a11y import ACE_VERSION, REQUIRED_METADATA, read_report, reports_dir, run_ace

DOIT = [sys.executable, "-m", "doit", "-f", str(PROJECT / "dodo.py")]
SPINE_DOC = re.compile(r'<item [^>]*href="([^"]+\.xhtml)"[^>]*media-type="application/xhtml\+xml"')


def spine_documents(epub: Path) -> set[str]:
    with zipfile.ZipFile(epub) as z:
        return set(SPINE_DOC.findall(z.read("EPUB/content.opf").decode()))


def checked_documents(report: dict) -> set[str]:
    return {Path(a["earl:testSubject"]["url"]).name for a in report["assertions"]}


def assert_passes(epub: Path, reports: Path) -> dict:
    """Ace's own JSON: outcome pass, no failed assertion anywhere, every document checked, metadata found."""
    data = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert data["earl:assertedBy"]["doap:release"]["doap:revision"] == ACE_VERSION
    failed = [(a["earl:testSubject"]["url"], b["earl:test"]["dct:title"])
              for a in data["assertions"] for b in a.get("assertions", []) if b["earl:result"]["earl:outcome"] == "fail"]
    assert failed == []
    assert data["earl:result"]["earl:outcome"] == "pass"
    assert all(a["earl:result"]["earl:outcome"] == "pass" for a in data["assertions"])
    assert spine_documents(epub) <= checked_documents(data)       # nothing skipped: every XHTML was opened
    meta = data["a11y-metadata"]
    assert set(REQUIRED_METADATA) | {"dcterms:conformsTo", "a11y:certifiedBy"} <= set(meta["present"])
    assert meta["empty"] == []
    report = read_report(epub, reports)
    assert report.ok and report.violations == () and report.missing_metadata == []
    assert (reports / "report.html").stat().st_size > 10_000
    return data


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    """A generated book of 8 entries built as an EPUB twice: horizontal, and vertical with embedded fonts."""
    root = tmp_path_factory.mktemp("a11y")
    book = root / "book8"
    assert run_kwbook("sample", "--entries", 8, "--seed", 3, book).returncode == 0
    vertical = epub_variant(book, root / "book8v", "{writing_mode: vertical, embed_fonts: true}", slug="book8-vertical")
    for manuscript in (book, vertical):
        result = run_kwbook("build", "--format", "epub", manuscript, "-o", root / "dist")
        assert result.returncode == 0, result.stderr
    return {"horizontal": root / "dist/sample-8.epub", "vertical": root / "dist/book8-vertical.epub"}


@pytest.mark.parametrize("edition", ["horizontal", "vertical"])
def test_generated_book_passes_ace(small, edition):
    epub = small[edition]
    report = run_ace(epub)
    assert report.reports == reports_dir(epub) == epub.with_name(f"{epub.stem}-ace")
    data = assert_passes(epub, report.reports)
    meta = data["earl:testSubject"]["metadata"]
    assert meta.get("primary-writing-mode") == ("vertical-rl" if edition == "vertical" else None)
    assert len(checked_documents(data)) >= 8 + 7          # entries and category dividers at least


def test_doit_a11y_on_the_sample_book(tmp_path):
    """`doit a11y` builds the shipped sample's EPUB, runs Ace, keeps both reports; a second run does nothing."""
    dist, db = tmp_path / "dist", tmp_path / "doit.db"
    cmd = DOIT + ["--db-file", str(db), "a11y", f"manuscript={PROJECT / 'manuscript'}", f"dist={dist}"]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
    assert first.returncode == 0, first.stdout + first.stderr
    epub = dist / "guizhou-12th-keywords.epub"
    assert f"Ace {ACE_VERSION}" in first.stdout and str(epub) in first.stdout
    assert_passes(epub, dist / "guizhou-12th-keywords-ace")
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
    assert second.returncode == 0 and not any(line.startswith(".  ") for line in second.stdout.splitlines())


def _broken_copy(epub: Path, target: Path) -> Path:
    """The EPUB as kwbook made it before issue 13: no xml:lang on <package>, two landmarks named 版權頁."""
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "EPUB/content.opf":
                data, n = re.subn(rb' xml:lang="[^"]*"', b"", data, count=1)
                assert n == 1
            elif info.filename == "EPUB/copyright.xhtml":
                data, n = re.subn(rb'<div class="copyright">(.*?)</div>', '<section class="copyright" aria-label="版權頁">\\1</section>'.encode(), data, flags=re.S)
                assert n == 1
            dst.writestr(info, data)
    return target


def test_violations_fail_with_rule_document_and_element(small, tmp_path):
    broken = _broken_copy(small["horizontal"], tmp_path / "broken.epub")
    (tmp_path / "broken-ace").mkdir()
    (tmp_path / "broken-ace" / "stale.txt").write_text("old")
    result = run_kwbook("--lang", "en", "a11y", broken)
    assert result.returncode == 1
    out = result.stderr
    assert f"Ace {ACE_VERSION}: {broken} has 2 accessibility violations (report: {tmp_path / 'broken-ace' / 'report.html'})" in out
    assert re.search(r"EPUB/content\.opf: serious \[epub-lang\] .*xml:lang", out), out
    assert re.search(r"copyright\.xhtml: moderate \[landmark-unique\] .*\(element: \.copyright-page \.copyright\)", out), out
    assert "Traceback" not in out
    assert not (tmp_path / "broken-ace" / "stale.txt").exists()      # the reports were replaced as a whole

    report = read_report(broken, tmp_path / "broken-ace")           # the same verdict in Chinese
    zh = [line.render("zh") for line in report.describe()]
    assert zh[0].startswith(f"Ace {ACE_VERSION}：{broken} 有 2 項無障礙違規")
    assert any("嚴重 [epub-lang]" in line for line in zh) and any("中等 [landmark-unique]" in line and "元素：" in line for line in zh)
    assert messages.current_lang() == "zh"


def test_missing_epub_and_missing_ace_are_one_line_errors(tmp_path):
    result = run_kwbook("a11y", tmp_path / "none.epub")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"kwbook: 錯誤：找不到 EPUB：{tmp_path / 'none.epub'}（請先建置：kwbook build --format epub）"
    epub = tmp_path / "x.epub"
    epub.write_bytes(b"PK")
    (tmp_path / "x-ace").mkdir()
    (tmp_path / "x-ace" / "report.html").write_text("the previous report")
    corrupt = run_kwbook("--lang", "en", "a11y", epub)
    assert corrupt.returncode == 1 and "Traceback" not in corrupt.stderr
    assert re.fullmatch(rf"kwbook: error: Ace could not check {re.escape(str(epub))}: .*(ZIP|zip|central directory).*\n", corrupt.stderr)
    assert (tmp_path / "x-ace" / "report.html").read_text() == "the previous report"   # kept when Ace fails
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-ace", "x.epub"]              # no scratch folder left
    env_missing = subprocess.run([sys.executable, "-m", "kwbook.cli", "--lang", "en", "a11y", str(epub)], capture_output=True,
                                 text=True, env={"PATH": "/usr/bin:/bin", "KWBOOK_ACE": str(tmp_path / "no-ace")})
    assert env_missing.returncode == 1
    assert env_missing.stderr.strip() == f"kwbook: error: Ace by DAISY not found ({tmp_path / 'no-ace'}): run bash scripts/setup.sh --test to install it"


def test_conformance_claim_names_its_evaluator():
    """EPUB Accessibility 1.1: a claim names who evaluated it; without publisher the editors, with nobody no claim."""
    from dataclasses import replace

    from ebooklib import epub

    from kwbook.load import load_book
    from kwbook.writers.epubmeta import CONFORMS_TO, set_metadata

    config = load_book(PROJECT / "manuscript")[0].config

    def claim(cfg) -> dict[str, list[str]]:
        book = epub.EpubBook()
        set_metadata(book, cfg, None)
        found: dict[str, list[str]] = {}
        for value, attrs in book.metadata[None]["meta"]:
            found.setdefault(attrs.get("property"), []).append(value)
        return {k: v for k, v in found.items() if k in ("dcterms:conformsTo", "a11y:certifiedBy")}

    assert claim(config) == {"dcterms:conformsTo": [CONFORMS_TO], "a11y:certifiedBy": [config.publisher]}
    editors = replace(config, publisher="", editors=("甲編輯", "乙編輯"))
    assert claim(editors) == {"dcterms:conformsTo": [CONFORMS_TO], "a11y:certifiedBy": ["甲編輯、乙編輯"]}
    assert claim(replace(config, publisher="", editors=(), authors=())) == {}
