"""The screen PDF is tagged for screen readers (PDF/UA-1): structure tree, language, title, reading order."""

from __future__ import annotations

import pdfplumber
import pikepdf
from conftest import run_kwbook
from pdfread import mcid_texts, outline, structure

from kwbook import api


def test_screen_pdf_is_tagged_with_language_title_and_structure(basic, tmp_path):
    result = run_kwbook("build", "--format", "pdf", basic, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "basic.pdf"
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "zh-Hant"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title) == "測試用關鍵詞解讀"
        assert b"pdfuaid" in pdf.Root.Metadata.read_bytes()
    # pdfread's own content-stream reader gives each MCID the text pdfplumber gives its characters
    with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumb:
        fonts: dict = {}
        compared = 0
        for page, plumbed in zip(pdf.pages, plumb.pages):
            chars: dict[int, str] = {}
            for c in plumbed.chars:
                if c.get("mcid") is not None:
                    chars[c["mcid"]] = chars.get(c["mcid"], "") + c["text"]
            assert mcid_texts(page, fonts) == chars
            compared += len(chars)
        assert compared > 50
    tree = structure(path)
    roles = [role for role, _, _ in tree]
    for role in ("H1", "H2", "P", "BlockQuote", "L", "LI", "Link", "Table"):
        assert role in roles, role
    book, _ = api.check(basic)
    keywords = [e.keyword for e in book.entries]
    h1 = [text for role, _, text in tree if role == "H1"]
    assert [t for t in h1 if t in keywords] == keywords, "the keywords are H1s, in the book's order"
    # each entry: H1 keyword, then the quote, then its sections as H2, in reading order
    first = next(i for i, (role, _, text) in enumerate(tree) if role == "H1" and text == keywords[0])
    after = [(role, text) for role, _, text in tree[first + 1:] if role in ("H1", "H2", "BlockQuote")]
    sections = [s.title for s in book.entries[0].sections]
    assert after[0][0] == "BlockQuote" and book.entries[0].quote[:6] in after[0][1].replace("\n", "")
    assert [text.strip("【】") for role, text in after[1:1 + len(sections)]] == sections
    # the contents is a list of links; bookmarks are still there
    toc = next(i for i, (role, _, text) in enumerate(tree) if role == "H1" and text == "目錄")
    depth = tree[toc][1]
    following = next((role, text) for role, d, text in tree[toc + 1:] if d == depth)
    assert following[0] == "L" and all(k in following[1] for k in keywords), "the contents is one list"
    assert [role for role, _, _ in tree[toc + 1:toc + 8]].count("Link") >= 2
    assert [kw for _, _, kids in outline(path) for kw, _, _ in kids] == keywords, "bookmarks"
    with pikepdf.open(tmp_path / "basic.pdf") as pdf:
        annots = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert annots and all("/StructParent" in a for a in annots), "links are in the structure tree"


def test_press_pdf_stays_pdf_x_and_untagged(basic, tmp_path):
    result = run_kwbook("build", "--format", "print", basic, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "basic-print.pdf") as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"PDF/X-4" in xmp and b"pdfuaid" not in xmp
        assert "/StructTreeRoot" not in pdf.Root


def test_151_entry_pdf_headings_in_entry_order(built151, book151_dir):
    book, _ = api.check(book151_dir)
    keywords = [e.keyword for e in book.entries]
    h1 = [text for _, _, text in structure(built151["pdf"], roles=("H1",))]
    assert [t for t in h1 if t in keywords] == keywords
