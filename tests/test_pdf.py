"""The PDF: real WeasyPrint with real CJK fonts, read back with pikepdf and pdfplumber."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT
from pdfread import folio, fonts, outline, page_lines

from kwbook import api
from kwbook.writers.output import BuildError

PT_PER_MM = 72 / 25.4


@pytest.fixture
def basic_pdf(basic, tmp_path, caplog) -> Path:
    book, _ = api.check(basic)
    with caplog.at_level(logging.WARNING):
        path = api.build_format(book, "pdf", tmp_path / "basic.pdf", api.styles_dir(basic))
    assert [r.getMessage() for r in caplog.records] == [], "a happy-path build logs no warning"
    return path


def test_metadata_size_and_outline(basic_pdf):
    with pikepdf.open(basic_pdf) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "測試用關鍵詞解讀"
        assert str(info["/Author"]) == "測試編輯部"
        assert str(pdf.Root.Lang) == "zh-Hant"
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] / PT_PER_MM == pytest.approx(185, abs=0.1)
        assert box[3] / PT_PER_MM == pytest.approx(260, abs=0.1)
    tree = outline(basic_pdf)
    cats = [(t, [c[0] for c in kids]) for t, _, kids in tree if kids]
    assert cats == [("甲類", ["綠色發展", "數字經濟"]), ("乙類", ["鄉村振興"])]


def test_fonts_are_embedded_cjk_faces(basic_pdf):
    used = fonts(basic_pdf)
    assert used and all(used.values()), used
    families = {re.sub(r"^[A-Z]{6}\+", "", name.lstrip("/")) for name in used}
    assert families <= {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC", "Noto-Sans-CJK-TC-Bold", "AR-PL-UKai-TW"}, families
    assert {"Noto-Serif-CJK-TC", "AR-PL-UKai-TW"} <= families


def test_entry_layout_quote_and_sections(basic_pdf):
    pages = page_lines(basic_pdf)
    text = "\n".join("\n".join(p) for p in pages)
    assert "《報告》指出：「堅持綠色發展，守住生態底線。」" in text
    assert "【概念內涵】" in text and "【實踐成效】" in text
    # Lines hard-wrapped between Chinese characters join without a space.
    assert "經濟增長和社會發展方式。它強調" in text.replace("\n", "")
    starts = [i for i, p in enumerate(pages) if p and any(line.strip() in ("綠色發展", "數字經濟", "鄉村振興") for line in p[:3])]
    assert len(starts) == 3, "each entry starts a new page"


def test_toc_page_numbers_are_where_entries_start(built151):
    pdf = built151["pdf"]
    tree = outline(pdf)
    cats = [item for item in tree if item[2]]
    assert len(cats) == 7
    entries = [e for c in cats for e in c[2]]
    assert len(entries) == 151
    body_start = cats[0][1]
    toc_index = next(p for t, p, _ in tree if t == "目錄")
    toc_text = [line for p in page_lines(pdf, toc_index, body_start) for line in p]
    printed = {}
    for line in toc_text:
        m = re.match(r"^(\S+?)[\s.·…]*\s*(\d+)$", line.strip())
        if m:
            printed[m.group(1).rstrip(".")] = int(m.group(2))
    for keyword, page, _ in entries:
        expected = page - body_start + 1
        assert printed.get(keyword) == expected, keyword
    # and the folio printed on a sample of entry pages says the same number
    for keyword, page, _ in entries[::25]:
        assert folio(pdf, page).strip() == str(page - body_start + 1)


def test_resources_outside_the_manuscript_are_refused(basic, tmp_path):
    # Images are refused by check (tests/roots/bad/image-*), and so is a stylesheet's url() out (style-resource,
    # tests/roots/bad/styles-url-outside); the PDF's fetcher refuses it again should a build ever reach it: the
    # stylesheet is changed here after the check.
    shutil.copytree(PROJECT / "styles", basic / "styles")
    book, _ = api.check(basic)
    with open(basic / "styles" / "print.css", "a", encoding="utf-8") as css:
        css.write("\nbody { background: url(file:///etc/passwd); }\n")
    target = tmp_path / "dist" / "out.pdf"
    target.parent.mkdir()
    target.write_bytes(b"previous")
    with pytest.raises(BuildError, match="/etc/passwd"):
        api.build_format(book, "pdf", target, api.styles_dir(basic))
    assert target.read_bytes() == b"previous"
    assert [p.name for p in target.parent.iterdir()] == ["out.pdf"], "no temporary file left behind"
