"""DOCX: built with the real bundled pandoc, then opened and converted to PDF by the real LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
import yaml
from conftest import require

from kwbook.load import load_book
from kwbook.render.html import quote_text
from kwbook.render.page import margins_mm
from kwbook.writers import docx as docx_writer
from kwbook.writers.docx import write_docx
from kwbook.writers.output import BuildError

PROJECT = Path(__file__).resolve().parents[1]
MANUSCRIPT = PROJECT / "manuscript"
STYLES = PROJECT / "styles"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
SETTINGS = yaml.safe_load((STYLES / "docx-styles.yaml").read_text(encoding="utf-8"))
FONTS = SETTINGS["fonts"]
QUOTE_ID = SETTINGS["quote_style"]


def load(path: Path):
    book, diagnostics = load_book(path)
    assert book is not None, [str(d) for d in diagnostics]
    return book


def part(docx: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(docx) as z:
        return ET.fromstring(z.read(name))


def paragraphs(document: ET.Element) -> list[tuple[str, str]]:
    """(style id, text) of every paragraph, in order."""
    out = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def styles_by_id(styles: ET.Element) -> dict[str, ET.Element]:
    return {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}


def libreoffice_convert(docx: Path, outdir: Path, to: str = "pdf", fontconfig: Path | None = None) -> Path:
    """Convert with headless LibreOffice in a private profile (safe for parallel and root runs); fontconfig: a
    FONTCONFIG_FILE to use (styles/windows-faces.conf: the Debian faces for the DOCX's Windows faces)."""
    soffice = shutil.which("soffice")
    require(soffice, "LibreOffice (soffice)")
    profile = (outdir / "lo-profile").resolve()
    out = outdir / "lo-out"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
         "--outdir", str(out), str(docx)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)} if fontconfig else None,
    )
    converted = out / f"{docx.stem}.{to.split(':')[0]}"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    return converted


def libreoffice_pdf(docx: Path, outdir: Path) -> Path:
    return libreoffice_convert(docx, outdir, "pdf")


def page_texts(pdf: Path) -> list[str]:
    """Text of each page (pdfium: 40 times faster than pdfplumber on a 500-page book)."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range().replace("\r\n", "\n").strip() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def sample_book():
    return load(MANUSCRIPT)


@pytest.fixture(scope="module")
def sample_docx(sample_book, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("docx") / f"{sample_book.config.slug}.docx"
    assert write_docx(sample_book, target, STYLES) == target
    return target


@pytest.fixture(scope="module")
def sample_pdf(sample_docx, tmp_path_factory) -> Path:
    return libreoffice_pdf(sample_docx, tmp_path_factory.mktemp("lo"))


def first_entry(book):
    category = next(c for c in book.categories if c.entries)
    return category, category.entries[0]


def test_document_structure(sample_book, sample_docx):
    category, entry = first_entry(sample_book)
    paras = paragraphs(part(sample_docx, "word/document.xml"))
    assert ("Heading1", category.title) in paras
    assert ("Heading2", entry.keyword) in paras
    start = paras.index(("Heading2", entry.keyword))
    titles = [text for style, text in paras[start:] if style == "Heading3"][: len(sample_book.config.sections)]
    assert titles == list(sample_book.config.sections)
    quote = paras[start + 1]
    assert quote[0] == QUOTE_ID
    assert quote[1] == quote_text(entry, sample_book.config)
    assert ("TOCHeading", "目錄") in paras
    assert ("Title", sample_book.config.title) in paras


def test_contents_list_links_every_entry(sample_book, sample_docx):
    """目錄 is plain linked paragraphs (no field to update), each with a PAGEREF to its bookmark."""
    document = part(sample_docx, "word/document.xml")
    bookmarks = [b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")]
    lines = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in ("TOC1", "TOC2"):
            link = p.find(f"{W}hyperlink")
            instr = "".join(t.text or "" for t in p.iter(f"{W}instrText"))
            lines.append((style.get(f"{W}val"), link.get(f"{W}anchor"), "".join(t.text for t in link.iter(f"{W}t")), instr))
    expected = [("TOC1", d.anchor, d.title) for d in sample_book.front]
    for category in (c for c in sample_book.categories if c.entries):
        expected.append(("TOC1", category.anchor, category.title))
        expected += [("TOC2", e.anchor, e.keyword) for e in category.entries]
    assert [line[:3] for line in lines] == expected
    assert all(line[3].split() == ["PAGEREF", line[1], "\\h"] for line in lines)
    assert {line[1] for line in lines} <= set(bookmarks)
    assert not any("TOC" in (t.text or "") for t in document.iter(f"{W}instrText"))


def test_page_geometry_is_the_pdfs(sample_book, sample_docx):
    document = part(sample_docx, "word/document.xml")
    sections = list(document.iter(f"{W}sectPr"))
    twips = 1440 / 25.4
    margins = margins_mm(sample_book.config)
    for sect in sections:
        size, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        assert abs(int(size.get(f"{W}w")) - sample_book.config.trim.width * twips) <= 1
        assert abs(int(size.get(f"{W}h")) - sample_book.config.trim.height * twips) <= 1
        for attr, key in (("top", "top"), ("bottom", "bottom"), ("left", "inner"), ("right", "outer")):
            assert abs(int(mar.get(f"{W}{attr}")) - margins[key] * twips) <= 1, attr
    settings = part(sample_docx, "word/settings.xml")
    assert settings.find(f"{W}mirrorMargins") is not None and settings.find(f"{W}evenAndOddHeaders") is not None


def test_running_heads_and_folios(sample_book, sample_docx):
    """Even pages: the book title; odd pages: the category, one section per category; page numbers outside."""
    with zipfile.ZipFile(sample_docx) as z:
        rels = ET.fromstring(z.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): "word/" + r.get("Target") for r in rels}
        text = lambda rid: "".join(t.text or "" for t in ET.fromstring(z.read(target[rid])).iter(f"{W}t"))  # noqa: E731
        fields = lambda rid: [f.get(f"{W}instr").strip() for f in ET.fromstring(z.read(target[rid])).iter(f"{W}fldSimple")]  # noqa: E731
        sections = list(part(sample_docx, "word/document.xml").iter(f"{W}sectPr"))
        categories = [c.title for c in sample_book.categories if c.entries]
        assert len(sections) == len(categories) + 1  # front matter, then one per category
        for n, sect in enumerate(sections):
            refs = {(r.tag.rpartition("}")[2], r.get(f"{W}type")): r.get(RID) for r in sect}
            assert text(refs[("headerReference", "even")]) == sample_book.config.title
            assert text(refs[("headerReference", "default")]) == ("" if n == 0 else categories[n - 1])
            assert text(refs[("headerReference", "first")]) == ""
            assert fields(refs[("footerReference", "default")]) == fields(refs[("footerReference", "even")]) == ["PAGE"]
            assert sect.find(f"{W}titlePg") is not None  # the title page and each category page stay bare


def test_styles_carry_cjk_fonts_language_and_breaks(sample_docx):
    styles = part(sample_docx, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == FONTS["body"]
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-TW"
    by_id = styles_by_id(styles)
    for style_id, role in (("Heading1", "heading"), ("Heading2", "heading"), ("Heading3", "heading"), (QUOTE_ID, "quote")):
        fonts = by_id[style_id].find(f"{W}rPr/{W}rFonts")
        assert fonts.get(f"{W}eastAsia") == FONTS[role], style_id
        assert fonts.get(f"{W}eastAsiaTheme") is None, style_id
    for style_id in ("Heading1", "Heading2"):
        assert by_id[style_id].find(f"{W}pPr/{W}pageBreakBefore").get(f"{W}val") == "1"
    assert by_id[QUOTE_ID].find(f"{W}name").get(f"{W}val") == SETTINGS["styles"][QUOTE_ID]["name"]
    assert by_id["BodyText"].find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "200"


def test_libreoffice_converts_it(sample_book, sample_pdf):
    category, entry = first_entry(sample_book)
    pages = page_texts(sample_pdf)
    text = "".join(pages).replace("\n", "")
    for needle in (entry.keyword, *sample_book.config.sections, quote_text(entry, sample_book.config)):
        assert needle in text
    # The category page stands alone, without running head or folio; the entry opens the next page.
    divider = [t.strip() for t in pages].index(category.title)
    head, keyword, *_rest, folio = pages[divider + 1].splitlines()
    assert (head, keyword, folio) == (category.title, entry.keyword, str(divider + 2))
    assert pages[divider + 2].splitlines()[0] == sample_book.config.title
    # The contents show each entry's page, computed by LibreOffice from the PAGEREF field.
    contents = next(t for t in pages if t.startswith("目錄"))
    line = next(line for line in contents.splitlines() if line.startswith(entry.keyword))
    assert line.rstrip("0123456789").endswith(".") and int(line[len(line.rstrip("0123456789")):]) == divider + 2
    with pdfplumber.open(sample_pdf) as doc:
        page = doc.pages[0]
        assert abs(page.width - 185 / 25.4 * 72) < 1 and abs(page.height - 260 / 25.4 * 72) < 1


def test_libreoffice_keeps_fonts_and_language(sample_docx, tmp_path):
    """Saved again by LibreOffice, the styles still name the East Asian faces and zh-TW."""
    saved = libreoffice_convert(sample_docx, tmp_path, "docx:MS Word 2007 XML")
    styles = part(saved, "word/styles.xml")
    east_asian = {f.get(f"{W}eastAsia") for f in styles.iter(f"{W}rFonts")}
    assert {FONTS["body"], FONTS["heading"], FONTS["quote"]} <= east_asian
    assert "zh-TW" in {lang.get(f"{W}eastAsia") for lang in styles.iter(f"{W}lang")}


def test_missing_style_settings_is_a_build_error(sample_book, tmp_path):
    target = tmp_path / "out.docx"
    with pytest.raises(BuildError, match="DOCX 樣式設定檔"):
        write_docx(sample_book, target, tmp_path / "no-styles")
    assert not target.exists()


def test_pandoc_failure_is_a_build_error(sample_book, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError('Pandoc died with exitcode "64"')

    monkeypatch.setattr(docx_writer.pypandoc, "convert_text", fail)
    target = tmp_path / "out.docx"
    with pytest.raises(BuildError, match="pandoc"):
        write_docx(sample_book, target, STYLES)
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_151_entries_survive_libreoffice(book151_dir, built151, tmp_path):
    book = load(book151_dir)
    docx = built151["docx"]
    document = part(docx, "word/document.xml")
    bookmarks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    links = {a.get(f"{W}anchor") for a in document.iter(f"{W}hyperlink")}
    assert {e.anchor for e in book.entries} <= bookmarks
    assert links <= bookmarks  # see_also and contents links land on their entries
    pages = page_texts(libreoffice_pdf(docx, tmp_path))
    text = "".join(pages).replace("\n", "")
    # Every keyword, then its three section titles, in book order after the contents.
    position = text.index(book.categories[0].title, text.index(book.entries[-1].keyword))
    missing = []
    for entry in book.entries:
        for needle in (entry.keyword, *(s.title for s in entry.sections)):
            found = text.find(needle, position)
            if found < 0:
                missing.append((entry.keyword, needle))
                break
            position = found + len(needle)
    assert len(book.entries) == 151 and not missing
    # Running heads: the book title on even pages, the category on odd pages, the page number at the foot.
    categories = {c.title for c in book.categories}
    first = [page.strip() for page in pages].index(book.categories[0].title) + 1
    heads = {n: page.splitlines()[0] for n, page in enumerate(pages, 1) if page.strip() and page.strip() not in categories}
    body = [n for n in heads if n > first]
    assert len(body) > 400
    assert all(heads[n] == book.config.title for n in body if n % 2 == 0)
    assert all(heads[n] in categories for n in body if n % 2 == 1)
    assert all(pages[n - 1].splitlines()[-1] == str(n) for n in body)
    # The 參見 line in its own style, and never alone at the top of a page: the paragraph before is kept with it
    paras = paragraphs(document)
    see_also = [i for i, (style, text) in enumerate(paras) if text.startswith("參見：")]
    assert len(see_also) > 20 and all(paras[i][0] == "SeeAlso" for i in see_also)
    kept = {i for i, p in enumerate(document.iter(f"{W}p")) if p.find(f"{W}pPr/{W}keepNext") is not None}
    assert all(i - 1 in kept for i in see_also)
    tops = [n for n in body if pages[n - 1].splitlines()[1].startswith("參見：")]
    assert not tops, f"a 參見 line starts pages {tops}"
