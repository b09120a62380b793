"""kwbook verify: the built PDF, EPUB and DOCX read back and compared with the manuscript, word for word."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT, run_kwbook
from kwbook import api
from kwbook.load import load_book
from kwbook.render.html import quote_text
from kwbook.verify import verify_file, verify_outputs
from kwbook.verify.compare import compare
from kwbook.verify.found import FoundEntry, FoundSection

FORMATS = ("pdf", "epub", "docx")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def load(path: Path):
    book, diagnostics = load_book(path)
    assert book is not None, [d.format() for d in diagnostics]
    return book


@pytest.fixture(scope="module")
def book151(book151_dir):
    return load(book151_dir)


def rewrite_zip(src: Path, dst: Path, name: str, edit) -> Path:
    """A copy of the zip src with the member `name` passed through edit (bytes → bytes)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        found = False
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == name:
                data, found = edit(data), True
            zout.writestr(info, data)
    assert found, name
    return dst


def target_entry(book, section_index: int = 1, paragraphs: int = 3):
    """An entry from the middle of the book whose given section has at least `paragraphs` paragraphs."""
    entries = book.entries
    for entry in entries[len(entries) // 4:]:
        if len(entry.sections[section_index].text.split("\n")) >= paragraphs:
            return entry, entry.sections[section_index]
    pytest.fail("no entry with enough paragraphs")


# --- the outputs as built ------------------------------------------------------------------------------------

def test_shipped_sample_verifies(tmp_path):
    dist = tmp_path / "dist"
    assert run_kwbook("build", PROJECT / "manuscript", "-o", dist).returncode == 0
    result = run_kwbook("verify", PROJECT / "manuscript", "-o", dist)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("（")[0] for line in lines] == ["PDF", "EPUB", "DOCX"]
    assert all("與書稿一致：1 條詞條、3 節" in line for line in lines)


def test_151_entry_book_verifies(book151, built151):
    verdicts = verify_outputs(book151, built151)
    assert [v.fmt for v in verdicts] == list(FORMATS)
    for verdict in verdicts:
        assert verdict.ok, verdict.describe()
        assert (verdict.entries, verdict.sections) == (151, 453)


def test_missing_outputs_fail(tmp_path):
    result = run_kwbook("verify", PROJECT / "manuscript", "-o", tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("找不到檔案") == 3 and "Traceback" not in result.stderr


# --- one paragraph removed from a built file -----------------------------------------------------------------

def test_paragraph_removed_from_epub(book151, built151, tmp_path):
    entry, section = target_entry(book151)

    def drop_second_paragraph(data: bytes) -> bytes:
        text = data.decode("utf-8")
        start = text.index(f'data-section="{section.title}"')
        second = list(re.finditer(r"<p>.*?</p>", text[start:], re.S))[1]
        return (text[:start + second.start()] + text[start + second.end():]).encode("utf-8")

    with zipfile.ZipFile(built151["epub"]) as z:
        name = next(n for n in z.namelist() if n.endswith(f"/{entry.anchor}.xhtml"))
    epub = rewrite_zip(built151["epub"], tmp_path / "cut.epub", name, drop_second_paragraph)
    verdict = verify_file(book151, "epub", epub)
    assert not verdict.ok
    difference = verdict.difference
    assert (difference.keyword, difference.section) == (entry.keyword, section.title)
    assert "第 2 段" in difference.message
    assert entry.anchor in verdict.describe()  # names the XHTML file it is in
    assert verify_file(book151, "epub", built151["epub"]).ok  # the built file itself was not touched


def _drop_docx_paragraph(keyword: str, title: str, index: int):
    def edit(data: bytes) -> bytes:
        for _event, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
            ET.register_namespace(prefix, uri)
        root = ET.fromstring(data)
        body = root.find(f"{{{W}}}body")
        paragraphs = [p for p in body if p.tag == f"{{{W}}}p"]
        texts = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paragraphs]
        styles = [p.find(f"{{{W}}}pPr/{{{W}}}pStyle") for p in paragraphs]
        start = next(i for i, (text, style) in enumerate(zip(texts, styles))
                     if text == keyword and style is not None and style.get(f"{{{W}}}val") == "Heading2")
        heading = start + texts[start:].index(title)
        body.remove(paragraphs[heading + 1 + index])
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    return edit


def test_paragraph_removed_from_docx(book151, built151, tmp_path):
    entry, section = target_entry(book151)
    docx = rewrite_zip(built151["docx"], tmp_path / "cut.docx", "word/document.xml",
                       _drop_docx_paragraph(entry.keyword, section.title, 1))
    difference = verify_file(book151, "docx", docx).difference
    assert difference is not None
    assert (difference.keyword, difference.section) == (entry.keyword, section.title)
    assert "第 2 段" in difference.message


def test_last_paragraph_removed_from_docx(book151, built151, tmp_path):
    entry, section = target_entry(book151, section_index=2, paragraphs=2)
    last = len(section.text.split("\n")) - 1
    docx = rewrite_zip(built151["docx"], tmp_path / "cut.docx", "word/document.xml",
                       _drop_docx_paragraph(entry.keyword, section.title, last))
    difference = verify_file(book151, "docx", docx).difference
    assert (difference.keyword, difference.section) == (entry.keyword, section.title)
    assert "缺少文字" in difference.message


# --- outputs built from a changed manuscript, checked against the original --------------------------------------

def _build(manuscript: Path, dist: Path) -> dict[str, Path]:
    result = run_kwbook("build", manuscript, "-o", dist)
    assert result.returncode == 0, result.stderr
    return {fmt: dist / f"basic.{fmt}" for fmt in FORMATS}


def test_swapped_entries_fail_in_every_format(basic, tmp_path):
    changed = tmp_path / "swapped"
    shutil.copytree(basic, changed)
    folder = changed / "entries" / "alpha"
    (folder / "010-綠色發展.md").rename(folder / "030-綠色發展.md")  # now after 數字經濟
    outputs = _build(changed, tmp_path / "dist")
    book = load(basic)
    assert all(v.ok for v in verify_outputs(book, _build(basic, tmp_path / "dist-ok")))
    for verdict in verify_outputs(book, outputs):
        assert not verdict.ok, verdict.fmt
        assert verdict.difference.keyword == "綠色發展", verdict.describe()
        assert verdict.difference.section is None
        assert "第 1 條應為「綠色發展」，輸出中是「數字經濟」" in verdict.difference.message
        assert "順序" in verdict.difference.message
    result = run_kwbook("verify", basic, "-o", tmp_path / "dist")
    assert result.returncode == 1 and result.stderr.count("與書稿不符") == 3


def test_changed_sentence_found_in_the_pdf(basic, tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(basic, changed)
    source = changed / "entries" / "beta" / "010-鄉村振興.md"
    source.write_text(source.read_text(encoding="utf-8").replace("工作重心逐步轉向", "工作重心轉向"), encoding="utf-8")
    result = run_kwbook("build", "--format", "pdf", changed, "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    verdict = verify_file(load(basic), "pdf", tmp_path / "dist" / "basic.pdf")
    assert (verdict.difference.keyword, verdict.difference.section) == ("鄉村振興", "緣由演進")
    assert "第 17 字起不同" in verdict.difference.message and "重心逐步轉向" in verdict.difference.message
    assert re.search(r"第 \d+ 頁", verdict.describe())


def test_see_also_is_read_from_every_format(basic, tmp_path):
    """綠色發展 links to 數字經濟: the PDF's 參見 line with its page reference is taken off the text, not lost."""
    book = load(basic)
    outputs = _build(basic, tmp_path / "dist")
    from kwbook.verify import EXTRACTORS

    for fmt, path in outputs.items():
        found = EXTRACTORS[fmt](path, book)
        assert [f.see_also for f in found] == [["數字經濟"], [], []], fmt


# --- the comparison's messages ---------------------------------------------------------------------------------

def _found(book, keywords: list[str]) -> list[FoundEntry]:
    by_keyword = {e.keyword: e for e in book.entries}
    titles = {c.folder: c.title for c in book.categories}
    out = []
    for keyword in keywords:
        entry = by_keyword[keyword]
        sections = [FoundSection(s.title, s.text.split("\n")) for s in entry.sections]
        quote = [quote_text(entry, book.config)]
        out.append(FoundEntry(keyword, titles[entry.category], quote, sections, list(entry.see_also)))
    return out


@pytest.mark.parametrize("keywords, keyword, words", [
    (["綠色發展", "數字經濟", "鄉村振興"], None, None),
    (["綠色發展", "鄉村振興"], "數字經濟", "輸出中缺少「數字經濟」"),
    (["綠色發展", "綠色發展", "數字經濟", "鄉村振興"], "數字經濟", "重複出現"),
    (["綠色發展", "數字經濟"], "鄉村振興", "輸出中缺少這一條"),
    (["綠色發展", "數字經濟", "鄉村振興", "鄉村振興"], "鄉村振興", "多出詞條"),
])
def test_order_and_presence_messages(basic, keywords, keyword, words):
    difference = compare(load(basic), _found(load(basic), keywords))
    if keyword is None:
        assert difference is None
    else:
        assert difference.keyword == keyword and words in difference.message


def test_whitespace_and_line_breaks_do_not_count(basic):
    book = load(basic)
    found = _found(book, ["綠色發展", "數字經濟", "鄉村振興"])
    lines = found[0].sections[0].lines
    found[0].sections[0].lines = [" ".join(lines[0][i:i + 7] for i in range(0, len(lines[0]), 7))]
    assert compare(book, found) is None
    found[0].sections[0].lines = [lines[0].replace("和諧", "和睦")]
    difference = compare(book, found)
    assert (difference.keyword, difference.section) == ("綠色發展", "概念內涵")
    assert "第 11 字起不同" in difference.message
    assert "書稿「…是以效率、和諧、持續" in difference.message and "輸出「…是以效率、和睦、持續" in difference.message


def test_doit_verify_runs_after_the_builds(basic, tmp_path):
    cmd = [sys.executable, "-m", "doit", "-f", str(PROJECT / "dodo.py"), "--db-file", str(tmp_path / "doit.db"),
           "verify", f"manuscript={basic}", f"dist={tmp_path / 'dist'}"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    ran = {line[3:].strip() for line in result.stdout.splitlines() if line.startswith(".  ")}
    assert {"build", "verify"} <= ran
    assert result.stdout.count("與書稿一致") == 3
    (tmp_path / "dist" / "basic.epub").write_bytes(b"not a zip")
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT)
    assert again.returncode != 0 and "basic.epub）無法核對：無法讀取 EPUB" in again.stdout + again.stderr


def test_api_verify_refuses_a_broken_manuscript(tmp_path):
    (tmp_path / "book.yaml").write_text("title: [\n", encoding="utf-8")
    verdicts, diags = api.verify(tmp_path, tmp_path / "dist")
    assert verdicts == [] and any(d.severity == "error" for d in diags)
