"""The printer's deliverable: PDF/X press file, cover, preflight, proofs, book structure and the index."""

from __future__ import annotations

import math
import re

import pikepdf
import pytest
from conftest import run_kwbook
from pdfread import folio, outline, page_lines, page_texts

from kwbook import api
from kwbook.preflight import preflight
from kwbook.render.index import stroke_key

PT_PER_MM = 72 / 25.4


def mm(v) -> float:
    return float(v) / PT_PER_MM


@pytest.fixture(scope="module")
def press(tmp_path_factory):
    """The basic book built for screen and for press, with its cover."""
    from conftest import ROOTS
    import shutil

    root = tmp_path_factory.mktemp("press")
    manuscript = root / "basic"
    shutil.copytree(ROOTS / "basic", manuscript)
    dist = root / "dist"
    for fmt in ("pdf", "print", "cover"):
        result = run_kwbook("build", "--format", fmt, manuscript, "-o", dist)
        assert result.returncode == 0, result.stderr
    return {"manuscript": manuscript, "pdf": dist / "basic.pdf", "print": dist / "basic-print.pdf", "cover": dist / "basic-cover.pdf"}


def test_press_pdf_boxes_intent_and_ink(press):
    with pikepdf.open(press["print"]) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (mm(v) for v in page.TrimBox)
            assert (x1 - x0, y1 - y0) == (pytest.approx(185, abs=0.05), pytest.approx(260, abs=0.05))
            b0, c0, b1, c1 = (mm(v) for v in page.BleedBox)
            assert (x0 - b0, y0 - c0, b1 - x1, c1 - y1) == tuple(pytest.approx(3, abs=0.05) for _ in range(4))
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
        assert b"PDF/X-4" in pdf.Root.Metadata.read_bytes()
        # text in black ink only: every fill colour set on a page is DeviceCMYK 0 0 0 k
        inked = 0
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            fills = [[float(x) for x in operands] for operands, op in ops if str(op) == "scn"]
            assert all(f[:3] == [0, 0, 0] for f in fills), fills
            inked += len(fills)
        assert inked > 0, "no fill colour set at all: the check above saw nothing"


def test_preflight_passes_on_press_and_fails_on_screen_pdf(press):
    ok = run_kwbook("preflight", press["print"], press["manuscript"])
    assert ok.returncode == 0, ok.stdout
    assert "error" not in ok.stdout and "ok: " in ok.stdout
    bad = run_kwbook("preflight", press["pdf"], press["manuscript"])
    assert bad.returncode == 1
    assert "[output-intent]" in bad.stdout and "error: " in bad.stdout
    cover = api.preflight(press["cover"], press["manuscript"], cover=True)
    assert [f.code for f in cover if f.severity != "ok"] == []


def _tiny_pdf(path, content: bytes, resources: dict) -> None:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    page.obj.Resources = pdf.make_indirect(pikepdf.Dictionary(resources)) if resources else pikepdf.Dictionary()
    page.obj.Contents = pdf.make_stream(content)
    pdf.save(path)


def test_preflight_catches_unembedded_font_rgb_and_low_resolution(tmp_path):
    helv = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    _tiny_pdf(tmp_path / "font.pdf", b"BT /F1 12 Tf 10 10 Td (Hi) Tj ET", {"/Font": pikepdf.Dictionary(F1=helv)})
    codes = {f.code: f.severity for f in preflight(tmp_path / "font.pdf")}
    assert codes["font-not-embedded"] == "error" and codes["output-intent"] == "error"

    _tiny_pdf(tmp_path / "rgb.pdf", b"1 0 0 rg 0 0 10 10 re f", {})
    assert {f.code: f.severity for f in preflight(tmp_path / "rgb.pdf")}["rgb-colour"] == "error"

    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, bytes(100 * 100 * 4))
    image.Type, image.Subtype, image.Width, image.Height = pikepdf.Name.XObject, pikepdf.Name.Image, 100, 100
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceCMYK, 8
    page = pdf.add_blank_page(page_size=(200, 200))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = pdf.make_stream(b"q 144 0 0 144 0 0 cm /Im0 Do Q")  # 100 px over 2 in = 50 dpi
    pdf.save(tmp_path / "img.pdf")
    found = {f.code: f for f in preflight(tmp_path / "img.pdf")}
    assert found["image-resolution"].severity == "error" and "50 dpi" in found["image-resolution"].message


def test_cover_spine_from_page_count(press):
    with pikepdf.open(press["print"]) as pdf:
        pages = len(pdf.pages)
    spine = math.ceil(pages / 2) * 0.1
    with pikepdf.open(press["cover"]) as pdf:
        [page] = pdf.pages
        x0, _, x1, _ = (mm(v) for v in page.TrimBox)
        assert x1 - x0 == pytest.approx(2 * 185 + spine, abs=0.05)
    text = "\n".join(page_lines(press["cover"])[0])
    assert "測試用關鍵詞解讀" in text.replace("\n", "")


def test_front_matter_numbering_and_structure(press):
    pages = page_lines(press["pdf"])
    assert pages[0] == ["測試用關鍵詞解讀"], "half-title"
    title = next(i for i, p in enumerate(pages) if "最小書稿" in p)
    colophon = "".join(pages[title + 1])
    assert all(s in colophon for s in ("測試出版社", "2024-01-15", "測試編輯部"))
    tree = outline(press["pdf"])
    toc = next(p for t, p, _ in tree if t == "目錄")
    assert folio(press["pdf"], toc) in ("v", "vii"), "front matter is numbered in roman"
    first_entry = tree[next(i for i, t in enumerate(tree) if t[2])][2][0][1]
    assert folio(press["pdf"], first_entry) == "2", "the body starts at 1 with the first divider page"


def test_see_also_prints_the_target_page_and_links(press):
    pages = page_lines(press["pdf"])
    tree = outline(press["pdf"])
    starts = {kw: p for _, _, kids in tree for kw, p, _ in kids}
    text = "".join(line for p in pages for line in p)
    number = int(folio(press["pdf"], starts["數字經濟"]))
    assert f"參見：數字經濟（第 {number} 頁）" in text
    with pikepdf.open(press["pdf"]) as pdf:
        links = [a for a in pdf.pages[starts["綠色發展"]].get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert links, "see_also is a link in the PDF"


def test_index_is_sorted_by_strokes_with_the_right_pages(built151):
    pdf = built151["pdf"]
    tree = outline(pdf)
    starts = {kw: p for _, _, kids in tree for kw, p, _ in kids}
    index_page = next(p for t, p, _ in tree if t == "關鍵詞索引")
    body_start = next(p for _, p, kids in tree if kids)
    rows = [line for p in page_lines(pdf, index_page) for line in p]
    entries = []
    for line in rows:
        for m in re.finditer(r"(\S+?)[.\s]+(\d+)(?=\s|$)", line):
            if m.group(1).rstrip(".") in starts:
                entries.append((m.group(1).rstrip("."), int(m.group(2))))
    assert len(entries) == 151
    for keyword, page in entries:
        assert page == starts[keyword] - body_start + 1, keyword
    keywords = sorted((kw for kw, _ in entries), key=stroke_key)
    assert keywords == sorted(starts, key=stroke_key)


def test_entries_can_start_on_right_hand_pages(basic, tmp_path):
    yaml_path = basic / "book.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8") + "entry_start: right\n", encoding="utf-8")
    result = run_kwbook("build", "--format", "pdf", basic, "-o", tmp_path / "d")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "d" / "basic.pdf"
    starts = [p for _, _, kids in outline(pdf) for _, p, _ in kids]
    assert len(starts) == 3 and all(int(folio(pdf, p)) % 2 == 1 for p in starts)


def test_proof_contact_sheets(press, tmp_path):
    from PIL import Image

    from kwbook.proof import write_proof

    with pikepdf.open(press["pdf"]) as pdf:
        pages = len(pdf.pages)
    (tmp_path / "proof").mkdir()
    entry_proof = tmp_path / "proof" / "綠色發展.pdf"  # a one-entry proof (kwbook proof-entry) beside the sheets
    entry_proof.write_bytes(press["pdf"].read_bytes())
    edition_proof = tmp_path / "proof" / "basic-tw" / "綠色發展.pdf"  # a converted edition's (proof-entry --edition)
    edition_proof.parent.mkdir()
    edition_proof.write_bytes(b"%PDF-edition")
    sheets = write_proof(press["pdf"], tmp_path / "proof")
    assert len(sheets) == math.ceil(pages / 16)
    assert entry_proof.read_bytes() == press["pdf"].read_bytes()
    assert edition_proof.read_bytes() == b"%PDF-edition"
    with Image.open(sheets[0]) as image:
        assert image.width > 4 * 100 and image.height > 4 * 140


def test_press_build_logs_no_warning(basic, tmp_path, caplog):
    import logging

    book, _ = api.check(basic)
    with caplog.at_level(logging.WARNING):
        api.build_format(book, "print", tmp_path / "p.pdf", api.styles_dir(basic))
        api.build_format(book, "cover", tmp_path / "c.pdf", api.styles_dir(basic))
    assert [r.getMessage() for r in caplog.records] == []


def test_divider_and_blank_pages_carry_no_running_head(built151):
    pdf = built151["pdf"]
    pages = ["".join(text.split()) for text in page_texts(pdf)]  # pdftotext: 4 s, where pdfplumber takes 40
    tree = outline(pdf)
    dividers = [(title, p) for title, p, kids in tree if kids]
    assert len(dividers) == 7
    for title, p in dividers:
        assert pages[p] == title, "a divider page shows its category only"
        assert p % 2 == 0, "categories open on right-hand pages (odd page numbers, 0-based even)"
    blanks = [p for p in pages if not p]
    assert blanks, "the book has blank versos, and they stay blank"


def test_press_pdf_of_the_151_entry_book_passes_preflight(book151_dir, print151):
    findings = api.preflight(print151, book151_dir)
    assert [f.format() for f in findings if f.severity == "error"] == []
    assert {f.code for f in findings if f.severity == "ok"} >= {"boxes", "output-intent", "fonts", "colour"}


def _codes(path, config=None) -> dict[str, str]:
    return {f.code: f.severity for f in preflight(path, config)}


def _press_copy(press, tmp_path, name, change) -> object:
    """A copy of the basic book's press PDF with one thing changed by change(pdf)."""
    path = tmp_path / f"{name}.pdf"
    with pikepdf.open(press["print"]) as pdf:
        change(pdf)
        pdf.save(path)
    return path


def test_stricter_preflight_passes_on_the_press_pdf(press):
    findings = {f.code: f for f in preflight(press["print"])}
    for code in ("pdfx-version", "print-condition", "box-nesting", "encrypted", "document-id", "trapped", "qpdf", "ghostscript"):
        assert findings[code].severity == "ok", findings[code].format()
    assert "PDF/X-4" in findings["pdfx-version"].message
    assert "CGATS TR 001" in findings["print-condition"].message and "SWOP" in findings["print-condition"].message
    with pikepdf.open(press["print"]) as pdf:
        [intent] = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 001" and str(intent.RegistryName) == "http://www.color.org"


def test_each_document_check_fails_on_a_bad_file(press, tmp_path):
    import dataclasses

    from kwbook.load.config import load_settings

    def set_condition(value):
        def change(pdf):
            pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String(value)
        return change

    assert _codes(_press_copy(press, tmp_path, "unknown", set_condition("OurPress2024")))["print-condition"] == "error"
    assert _codes(_press_copy(press, tmp_path, "fogra", set_condition("FOGRA39")))["print-condition"] == "error"
    config = load_settings(press["manuscript"] / "book.yaml")[0].config
    fogra = dataclasses.replace(config, print=dataclasses.replace(config.print, condition="FOGRA51"))
    assert _codes(press["print"], fogra)["print-condition"] == "error"

    def no_xmp(pdf):
        del pdf.Root["/Metadata"]
    codes = _codes(_press_copy(press, tmp_path, "noxmp", no_xmp))
    assert codes["pdfx-version"] == "error" and codes["trapped"] == "error"

    def untrapped(pdf):
        pdf.trailer.Info.Trapped = pikepdf.Name("/Unknown")
    assert _codes(_press_copy(press, tmp_path, "untrapped", untrapped))["trapped"] == "error"

    def trim_out(pdf):
        page = pdf.pages[2].obj
        page.TrimBox = pikepdf.Array([float(v) for v in page.BleedBox[:3]] + [float(page.BleedBox[3]) + 5])
    assert _codes(_press_copy(press, tmp_path, "trim", trim_out))["box-nesting"] == "error"

    def bleed_out(pdf):
        page = pdf.pages[0].obj
        page.BleedBox = pikepdf.Array([float(page.MediaBox[0]) - 2] + [float(v) for v in page.BleedBox[1:]])
    assert _codes(_press_copy(press, tmp_path, "bleed", bleed_out))["box-nesting"] == "error"

    locked = tmp_path / "locked.pdf"
    with pikepdf.open(press["print"]) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="press", user="", R=6))
    assert _codes(locked)["encrypted"] == "error"


def _handmade_pdf(path, content: bytes, trailer: bytes = b"") -> None:
    """A one-page PDF written byte by byte, with a correct cross-reference table and no /ID unless given."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.6\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R " + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))


def test_document_id_qpdf_and_ghostscript_checks_fail_on_bad_files(tmp_path):
    _handmade_pdf(tmp_path / "plain.pdf", b"0 0 m 10 10 l S")
    codes = _codes(tmp_path / "plain.pdf")
    assert codes["document-id"] == "error"
    assert codes["qpdf"] == "ok" and codes["ghostscript"] == "ok", "a sound file passes both tools"

    _handmade_pdf(tmp_path / "withid.pdf", b"0 0 m 10 10 l S", b"/ID [<0123456789abcdef> <0123456789abcdef>] ")
    assert _codes(tmp_path / "withid.pdf")["document-id"] == "ok"

    damaged = (tmp_path / "plain.pdf").read_bytes().replace(b"0000000009 00000 n", b"0000000031 00000 n")
    (tmp_path / "damaged.pdf").write_bytes(damaged)
    assert _codes(tmp_path / "damaged.pdf")["qpdf"] == "error"

    # structurally sound, but the page draws with a font its resources do not have
    _handmade_pdf(tmp_path / "nofont.pdf", b"BT /F9 12 Tf 10 10 Td (Hi) Tj ET")
    codes = _codes(tmp_path / "nofont.pdf")
    assert codes["qpdf"] == "ok" and codes["ghostscript"] == "error"


def test_print_condition_in_book_yaml_must_match_the_profile(basic):
    from kwbook.load.config import load_settings

    yaml_path = basic / "book.yaml"
    original = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(original + "print: {condition: FOGRA39}\n", encoding="utf-8")
    settings, diags = load_settings(yaml_path)
    assert [d.code for d in diags if d.severity == "error"] == ["config-icc-condition"]
    assert "FOGRA39" in diags[0].message and "SWOP" in diags[0].message
    yaml_path.write_text(original + "print: {condition: OurPress2024}\n", encoding="utf-8")
    assert [d.code for d in load_settings(yaml_path)[1] if d.severity == "error"] == ["config-condition"]
