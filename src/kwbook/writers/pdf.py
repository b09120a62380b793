"""PDF writers: the screen PDF and the press PDF (PDF/X-4, CMYK, bleed, crop marks) through WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path

import pikepdf
from weasyprint import CSS, HTML

from ..model import Book
from ..render.page import page_css
from . import justify, pagemap
from .fetcher import RefusedResource, SafeFetcher
from .output import BuildError, atomic_output

PDF_VARIANT = "pdf/x-4"


def press_css(book: Book) -> str:
    """What turns the screen layout into the press layout: the CMYK profile, bleed and crop marks."""
    settings = book.config.print
    profile = Path(settings.icc_profile).resolve().as_uri()
    return (
        f"@color-profile device-cmyk {{ src: url({profile}); components: cyan, magenta, yellow, black; }}\n"
        f"@page {{ bleed: {settings.bleed}mm; marks: crop; }}\n"
    )


def render_paged(html: str, book: Book, styles: Path, css: list[str], press: bool = False):
    """Lay out one HTML document with kwbook's safe fetcher; press adds the PDF/X set-up."""
    justify.install()
    roots = [book.root, styles]
    if press:
        roots.append(Path(book.config.print.icc_profile).resolve())
        css = [*css, press_css(book)]
    fetcher = SafeFetcher(roots)
    profiles: dict = {}
    options = {"pdf_variant": PDF_VARIANT, "output_intent": "device-cmyk"} if press else {}
    try:
        sheets = [CSS(filename=str(styles / "print.css"), url_fetcher=fetcher, color_profiles=profiles)]
        sheets += [CSS(string=text, url_fetcher=fetcher, color_profiles=profiles) for text in css]
        document = HTML(string=html, base_url=str(book.root) + "/", url_fetcher=fetcher)
        return document.render(stylesheets=sheets, color_profiles=profiles, **options), options
    except RefusedResource as exc:
        raise BuildError("build.refused", url=exc.url) from None


def render_pdf_document(book: Book, styles: Path, press: bool = False):
    """Lay out the book; returns WeasyPrint's Document (pages with their anchors) and the write options."""
    pagemap.install()
    return render_paged(pagemap.print_html(book), book, styles, [page_css(book.config)], press)


def _registration_marks(path: Path) -> None:
    """WeasyPrint 70 strokes crop marks as an SVG in RGB black; restroke them in all four inks.

    Only form XObjects whose content sets RGB black are touched, and only those operators change.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for _, xobj in (page.obj.get("/Resources", {}).get("/XObject") or {}).items():
                if xobj.get("/Subtype") != "/Form" or b" rg" not in xobj.read_bytes():
                    continue
                ops = []
                for operands, op in pikepdf.parse_content_stream(xobj):
                    if str(op) in ("rg", "RG") and all(float(v) == 0 for v in operands):
                        operands, op = [1, 1, 1, 1], pikepdf.Operator("k" if str(op) == "rg" else "K")
                    ops.append((operands, op))
                xobj.write(pikepdf.unparse_content_stream(ops))
        pdf.save(path)


def _write(document, options: dict, target: Path) -> Path:
    with atomic_output(target) as tmp:
        document.write_pdf(tmp, **options)
        if options:
            _registration_marks(tmp)
    return Path(target)


def write_pdf(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.pdf (screen and proofs) atomically, and beside it the page map the EPUB cites."""
    document, options = render_pdf_document(book, styles)
    _write(document, options, target)
    data = pagemap.build_map(document, book, styles, Path(target).name)
    pagemap.write_map(data, pagemap.map_path(Path(target).parent, book.config.slug))
    return Path(target)


def write_print_pdf(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>-print.pdf: PDF/X-4, CMYK output intent, bleed and crop marks."""
    return _write(*render_pdf_document(book, styles, press=True), target)


logging.getLogger("weasyprint").addHandler(logging.NullHandler())
