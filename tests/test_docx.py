"""DOCX: built with the real bundled pandoc, then opened and converted to PDF by the real LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml

from kwbook.load import load_book
from kwbook.render.html import quote_text
from kwbook.writers import docx as docx_writer
from kwbook.writers.docx import write_docx
from kwbook.writers.output import BuildError

PROJECT = Path(__file__).resolve().parents[1]
MANUSCRIPT = PROJECT / "manuscript"
STYLES = PROJECT / "styles"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
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


def libreoffice_pdf(docx: Path, outdir: Path) -> Path:
    """Convert with headless LibreOffice in a private profile (safe for parallel and root runs)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (outdir / "lo-profile").resolve()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(docx)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = outdir / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


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


def test_toc_field_and_page_size(sample_book, sample_docx):
    document = part(sample_docx, "word/document.xml")
    instructions = "".join(t.text or "" for t in document.iter(f"{W}instrText"))
    assert "TOC" in instructions and '"1-2"' in instructions
    size = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    trim = sample_book.config.trim
    assert abs(int(size.get(f"{W}w")) - trim.width * 1440 / 25.4) <= 1
    assert abs(int(size.get(f"{W}h")) - trim.height * 1440 / 25.4) <= 1


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
    # Page breaks before headings: the category stands alone, the entry opens the next page.
    divider = [t.strip() for t in pages].index(category.title)
    assert pages[divider + 1].startswith(entry.keyword)
    with pdfplumber.open(sample_pdf) as doc:
        page = doc.pages[0]
        assert abs(page.width - 185 / 25.4 * 72) < 1 and abs(page.height - 260 / 25.4 * 72) < 1


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


def test_151_entries_survive_libreoffice(book151_dir, tmp_path):
    book = load(book151_dir)
    docx = write_docx(book, tmp_path / "book151.docx", STYLES)
    document = part(docx, "word/document.xml")
    bookmarks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    links = {a.get(f"{W}anchor") for a in document.iter(f"{W}hyperlink")}
    assert links <= bookmarks  # see_also links land on their entries
    text = "".join(page_texts(libreoffice_pdf(docx, tmp_path))).replace("\n", "")
    missing = [e.keyword for e in book.entries if e.keyword not in text]
    assert len(book.entries) == 151 and not missing
