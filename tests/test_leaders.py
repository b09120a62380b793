"""Dot leaders drawn as one run of dots a line (writers/leaders.py): the same glyphs where WeasyPrint puts them."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
from weasyprint.layout import inline

from kwbook import api
from kwbook.writers import leaders
from kwbook.writers.pdf import lay_out_html

ROWS = ["概念", "緣由演進", "實踐成效與經驗", "Latin words 2016", "四"]
HTML = (
    "<html lang='zh-Hant'><body><ul class='index-list'>"
    + "".join(f"<li><a href='#t{i}'>{row}</a></li>" for i, row in enumerate(ROWS))
    + "</ul>"
    + "".join(f"<p id='t{i}' style='break-before: page'>{row}</p>" for i, row in enumerate(ROWS))
    + "</body></html>"
)


def _write(tmp_path: Path, name: str) -> Path:
    document, options = lay_out_html(HTML, tmp_path, api.styles_dir(tmp_path), [])
    out = tmp_path / f"{name}.pdf"
    document.write_pdf(out, **options)
    return out


def _glyphs(pdf: Path) -> list[tuple[float, float, str]]:
    with pdfplumber.open(pdf) as doc:
        return sorted((c["top"], c["x0"], c["text"]) for c in doc.pages[0].chars)


def _text_operators(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return sum(str(op) in ("Tj", "TJ") for _, op in pikepdf.parse_content_stream(doc.pages[0]))


def test_one_run_of_dots_a_line_where_weasyprint_puts_each_dot(tmp_path, monkeypatch):
    assert leaders.install() is True
    merged = _write(tmp_path, "merged")
    monkeypatch.setattr(inline, "handle_leader", leaders._original)
    dots = _write(tmp_path, "dots")
    assert inline.handle_leader is leaders._original  # the second PDF was laid out by WeasyPrint alone

    glyphs, expected = _glyphs(merged), _glyphs(dots)
    assert sum(text == "." for *_, text in glyphs) > 20 * len(ROWS)
    # every dot, word and page number at the same place: a run's advances are written in thousandths of an em,
    # so its last dots may stand a hundredth of a point off (0.004 mm); a twentieth is the bound
    assert len(glyphs) == len(expected)
    assert all(a[2] == b[2] and abs(a[0] - b[0]) < 0.05 and abs(a[1] - b[1]) < 0.05 for a, b in zip(glyphs, expected))
    # WeasyPrint's own leaders: a text operator for each dot; here one for each line's dots
    assert _text_operators(dots) - _text_operators(merged) > 15 * len(ROWS)
