"""The printed cover: back, spine and front on one sheet with bleed; the spine as wide as the book is thick."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pikepdf

from ..lang import in_script, profile
from ..model import Book
from ..render.titles import title_lines
from .output import BuildError
from .pdf import render_paged, write_variants

FIELD = "device-cmyk(0 0.85 0.75 0.45)"
INK = "device-cmyk(0 0.03 0.1 0)"
GOLD = "device-cmyk(0 0.18 0.5 0.2)"


def spine_width(pages: int, paper_thickness: float) -> float:
    """Spine width in mm: one sheet of paper for every two pages."""
    return math.ceil(pages / 2) * paper_thickness


def _css(book: Book, spine: float) -> str:
    trim = book.config.trim
    width, height = 2 * trim.width + spine, trim.height
    face = profile(book.config.language)
    sans = face.sans
    return f"""
@page {{ size: {width:.2f}mm {height:.2f}mm; margin: 0; background: {FIELD};
  @top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
html {{ color: {INK}; font-family: "{face.serif}", serif; }}
body {{ margin: 0; }}
.sheet {{ position: relative; width: {width:.2f}mm; height: {height:.2f}mm; page: sheet; }}
.panel {{ position: absolute; top: 0; height: {height:.2f}mm; text-align: center; }}
.back {{ left: 0; width: {trim.width:.2f}mm; }}
.spine {{ left: {trim.width:.2f}mm; width: {spine:.2f}mm; }}
.front {{ left: {trim.width + spine:.2f}mm; width: {trim.width:.2f}mm; }}
.front h1 {{ font: 700 30pt/1.45 "{sans}", sans-serif; margin: 62mm 15mm 0; bookmark-level: none; }}
.rule {{ border-top: 1.2pt solid {GOLD}; margin: 10mm 40mm; }}
.byline, .publisher {{ font: 13pt/1.6 "{sans}", sans-serif; color: {GOLD}; text-indent: 0; text-align: center; }}
.publisher {{ position: absolute; bottom: 25mm; width: 100%; }}
.spine-title {{ font: 700 {min(12.0, max(spine * 2.0, 5.0)):.1f}pt/1.15 "{sans}", sans-serif;
  width: 1em; margin: 25mm auto 0; word-break: break-all; text-indent: 0; }}
.back p {{ font-size: 10.5pt; line-height: 1.75; margin: 70mm 25mm 0; text-indent: 2em; text-align: justify; }}
.isbn {{ position: absolute; bottom: 25mm; right: 20mm; font: 9pt "{sans}", sans-serif; text-indent: 0; }}
"""


def _html(book: Book) -> str:
    config = book.config
    people = "、".join(config.editors or config.authors)
    role = in_script("編" if config.editors else "著", config.language)
    title = "<br/>".join(escape(line) for line in title_lines(config.title, 9))
    cats = "、".join(c.title for c in book.categories if c.entries)
    blurb = (in_script("本書收錄", config.language) + f"{config.report.short}" + in_script("關鍵詞", config.language)
             + f" {len(book.entries)} " + in_script("條，分為", config.language) + cats
             + in_script("，每條依", config.language) + "、".join(config.sections) + in_script("解讀。", config.language))
    isbn = config.isbn.get("print") or config.isbn.get("pdf") or config.isbn.get("all")
    return f"""<!DOCTYPE html><html lang="{escape(config.language)}"><head><meta charset="utf-8"/>
<title>{escape(config.title)}（{in_script("封面", config.language)}）</title></head><body><div class="sheet">
<div class="panel back"><p>{escape(blurb)}</p>{f'<p class="isbn">ISBN {escape(isbn)}</p>' if isbn else ''}</div>
<div class="panel spine"><p class="spine-title">{escape(config.title)}</p></div>
<div class="panel front"><h1>{title}</h1><div class="rule"></div>
<p class="byline">{escape(people)}{'　' + role if people else ''}</p>
{f'<p class="publisher">{escape(config.publisher)}</p>' if config.publisher and config.publisher != people else ''}</div>
</div></body></html>"""


def count_pages(pdf: Path) -> int:
    try:
        with pikepdf.open(pdf) as doc:
            return len(doc.pages)
    except (pikepdf.PdfError, OSError) as exc:
        raise BuildError("build.spine-pdf", pdf=pdf, reason=exc) from None


def write_cover_pdf(book: Book, target: Path, styles: Path, pages: int) -> Path:
    """Write dist/<slug>-cover.pdf: PDF/X-4 like the interior, spine width from `pages`."""
    spine = spine_width(pages, book.config.print.paper_thickness)
    document, _ = render_paged(_html(book), book, styles, [_css(book, spine)], press=True)
    write_variants(document, {"press": target}, book)
    return Path(target)
