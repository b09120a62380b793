"""PDF writer: the print HTML document through WeasyPrint, fonts embedded, outline and metadata set."""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import CSS, HTML

from ..model import Book
from ..render import print_document
from ..render.page import page_css
from . import justify
from .fetcher import RefusedResource, SafeFetcher
from .output import BuildError, atomic_output


def render_pdf_document(book: Book, styles: Path):
    """Lay out the book; returns WeasyPrint's Document (pages with their anchors)."""
    justify.install()
    fetcher = SafeFetcher([book.root, styles])
    html = HTML(string=print_document(book), base_url=str(book.root) + "/", url_fetcher=fetcher)
    sheets = [
        CSS(filename=str(styles / "print.css"), url_fetcher=fetcher),
        CSS(string=page_css(book.config), url_fetcher=fetcher),
    ]
    try:
        return html.render(stylesheets=sheets)
    except RefusedResource as exc:
        raise BuildError(f"拒絕讀取書稿與樣式資料夾以外的資源：{exc.url}") from None


def write_pdf(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.pdf atomically."""
    document = render_pdf_document(book, styles)
    with atomic_output(target) as tmp:
        document.write_pdf(tmp)
    return target


logging.getLogger("weasyprint").addHandler(logging.NullHandler())
