"""PDF writers: the screen PDF and the press PDF (PDF/X-4, CMYK, bleed, crop marks) through WeasyPrint.

Both come from one layout: the book is laid out with the press geometry (bleed and crop marks lie outside the
trim and change no line or page break), the press PDF is written from it, and the screen PDF from a copy of
its pages without bleed, marks or output intent (screen_document).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
from pathlib import Path

import pikepdf
from weasyprint import CSS, HTML

from .. import printcond
from ..model import Book
from ..render.page import page_css
from . import autospace, justify, leaders, pagemap, pdfmarks
from .fetcher import RefusedResource, SafeFetcher
from .output import BuildError, atomic_output

PDF_VARIANT = "pdf/x-4"
# The screen PDF is tagged (structure tree, /Lang, DisplayDocTitle) as PDF/UA-1. Whoever assembles the PDF from
# separately laid-out parts must pass these same options to every part and keep the structure trees.
SCREEN_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def press_css(book: Book) -> str:
    """What turns the screen layout into the press layout: the CMYK profile, bleed and crop marks."""
    settings = book.config.print
    profile = Path(settings.icc_profile).resolve().as_uri()
    return (
        f"@color-profile device-cmyk {{ src: url({profile}); components: cyan, magenta, yellow, black; }}\n"
        f"@page {{ bleed: {settings.bleed}mm; marks: crop; }}\n"
    )


PRESS_OPTIONS = {"pdf_variant": PDF_VARIANT, "output_intent": "device-cmyk"}
_SIDES = ("top", "right", "bottom", "left")


def screen_document(document):
    """The screen PDF's pages from a press layout: the same boxes, without bleed, crop marks or output intent."""
    from weasyprint.css.properties import Dimension

    pages = []
    for page in document.pages:
        screen, box = copy.copy(page), copy.copy(page._page_box)
        if box.background is not None:  # drawing crop marks inserts a layer into the page's background
            box.background = box.background._replace(layers=list(box.background.layers))
        box.style = box.style.copy()
        box.style["marks"] = ()
        for side in _SIDES:
            box.style[f"bleed_{side}"] = Dimension(0, "px")
        screen._page_box, screen.bleed = box, dict.fromkeys(_SIDES, 0)
        pages.append(screen)
    return type(document)(pages, document.metadata, document.url_fetcher, document.font_config, {}, None)


def write_variants(document, outputs: dict, book: Book | None = None) -> None:
    """Write a press layout (press_css applied) as each variant in outputs (screen, press → path), atomically.

    The press PDF gets its finishing (_press_finish) only when book is given; parts are finished once merged.
    The screen PDF is written first: WeasyPrint 70 draws crop marks by adding a layer to the laid-out page's
    background, so a press layout is written as press once, last.
    """
    for variant, target in sorted(outputs.items(), key=lambda item: item[0] != "screen"):
        with atomic_output(Path(target)) as tmp:
            if variant == "press":
                document.write_pdf(tmp, **PRESS_OPTIONS)
                if book is not None:
                    _press_finish(tmp, book)
            else:
                screen_document(document).write_pdf(tmp, **SCREEN_OPTIONS)


def render_paged(html: str, book: Book, styles: Path, css: list[str], press: bool = False):
    """Lay out one HTML document with kwbook's safe fetcher; press adds the PDF/X set-up."""
    extra = press_css(book) if press else None
    icc = Path(book.config.print.icc_profile).resolve() if press else None
    return lay_out_html(html, Path(book.root), Path(styles), css, extra, icc)


def lay_out_html(html: str, root: Path, styles: Path, css: list[str], press: str | None = None, icc: Path | None = None):
    """Lay out HTML from the book folder root with the print styles; press (its CSS) adds the PDF/X set-up."""
    justify.install()
    autospace.install()
    leaders.install()
    pdfmarks.install()
    roots = [root, styles] + ([icc] if icc else [])
    if press is not None:
        css = [*css, press]
    fetcher = SafeFetcher(roots)
    profiles: dict = {}
    options = dict(PRESS_OPTIONS) if press is not None else dict(SCREEN_OPTIONS)
    try:
        sheets = [CSS(filename=str(styles / "print.css"), url_fetcher=fetcher, color_profiles=profiles)]
        sheets += [CSS(string=text, url_fetcher=fetcher, color_profiles=profiles) for text in css]
        document = HTML(string=html, base_url=str(root) + "/", url_fetcher=fetcher)
        return document.render(stylesheets=sheets, color_profiles=profiles, **options), options
    except RefusedResource as exc:
        raise BuildError("build.refused", url=exc.url) from None


def render_pdf_document(book: Book, styles: Path, press: bool = False):
    """Lay out the book; returns WeasyPrint's Document (pages with their anchors) and the write options."""
    pagemap.install()
    return render_paged(pagemap.print_html(book), book, styles, [page_css(book.config)], press)


def _output_condition(pdf: pikepdf.Pdf, book: Book) -> None:
    """Name the printing condition (book.yaml print.condition) in the output intent, as the ICC registry does.

    WeasyPrint 70 writes the profile's file name as OutputConditionIdentifier; a PDF/X reader wants the
    registered condition (e.g. FOGRA39), the registry's address and a readable description.
    """
    condition = book.config.print.condition
    for intent in pdf.Root.get("/OutputIntents") or []:
        if intent.get("/S") == "/GTS_PDFX":
            description = printcond.profile_description(intent.DestOutputProfile.read_bytes())
            intent.OutputConditionIdentifier = pikepdf.String(condition)
            intent.OutputCondition = pikepdf.String(printcond.CONDITIONS[condition][0])
            intent.RegistryName = pikepdf.String(printcond.REGISTRY)
            intent.Info = pikepdf.String(description or condition)


def _page_content(page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return b"\n".join(s.read_bytes() for s in streams)


def _own_resources(pdf: pikepdf.Pdf) -> None:
    """Give each page only the form XObjects it draws.

    WeasyPrint 70 shares one resource dictionary among all pages, holding every page's crop-mark form: a RIP
    (and Ghostscript in preflight) then visits n forms on each of n pages. Other resources stay shared.
    """
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if not xobjects:
            continue
        used = {"/" + n.decode() for n in re.findall(rb"/([^\s/\[\]<>(){}%]+)\s+Do\b", _page_content(page))}
        if len(used) >= len(xobjects):
            continue
        own = pikepdf.Dictionary({key: value for key, value in resources.items()})
        own.XObject = pikepdf.Dictionary({name: xobjects[name] for name in xobjects.keys() if name in used})
        page.obj.Resources = own


def _press_finish(path: Path, book: Book) -> None:
    """After WeasyPrint: each page's own resources, the output condition, crop marks in registration colour.

    WeasyPrint 70 strokes crop marks as an SVG in RGB black; they are restroked in all four inks. Only form
    XObjects whose content sets RGB black are touched, and only those operators change.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _own_resources(pdf)
        _output_condition(pdf, book)
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


def single_route(single: bool | None) -> bool:
    """The whole book as one document (--single, or KWBOOK_SINGLE=1) rather than in parts."""
    return bool(single) if single is not None else os.environ.get("KWBOOK_SINGLE", "") not in ("", "0")


def _write_parts(book: Book, targets: dict[str, Path], styles: Path, ready) -> dict | None:
    """Build each variant's target part by part, one layout per part (writers/partbuild.py).

    ready(page map) runs while the parts are merged. Returns the page map; None when page numbers would not
    settle (nothing is written then).
    """
    from .partbuild import NotConverged, PartBuilder

    try:
        with contextlib.ExitStack() as stack:
            tmps = {variant: stack.enter_context(atomic_output(target)) for variant, target in targets.items()}
            data = PartBuilder(book, styles, Path(next(iter(targets.values()))).parent,
                               variants=tuple(targets)).write_variants(tmps, ready)
            if "press" in tmps:
                _press_finish(tmps["press"], book)
    except NotConverged:
        return None
    return data


def write_pdfs(book: Book, targets: dict[str, Path], styles: Path, single: bool | None = None,
               meanwhile=None) -> dict[str, Path]:
    """Write the screen PDF (targets["screen"], with its page map) and/or the press PDF (targets["press"]).

    However many are asked for, the book is laid out once: in parts on every core (the merge joins the tagged
    parts' structure trees), else as one document (--single, or pages that would not
    settle). meanwhile(), if given, runs once the page map is written: while the parts are merged (the EPUB,
    which needs nothing else of the PDF), or after the single document is written.
    """
    targets = {variant: Path(path) for variant, path in targets.items()}
    source = (targets.get("screen") or targets["press"]).name

    def ready(data: dict) -> None:
        if "screen" in targets:
            pagemap.write_map({**data, "source": source}, pagemap.map_path(targets["screen"].parent, book.config.slug))
        if meanwhile is not None:
            meanwhile()

    data = None if single_route(single) else _write_parts(book, targets, styles, ready)
    if data is None:
        document, _ = render_pdf_document(book, styles, press="press" in targets)
        write_variants(document, targets, book)
        ready(pagemap.build_map(document, book, styles, source) if "screen" in targets else {})
    return targets


def write_pdf(book: Book, target: Path, styles: Path, single: bool | None = None) -> Path:
    """Write dist/<slug>.pdf (screen and proofs) atomically, and beside it the page map the EPUB cites."""
    return write_pdfs(book, {"screen": target}, styles, single)["screen"]


def write_print_pdf(book: Book, target: Path, styles: Path, single: bool | None = None) -> Path:
    """Write dist/<slug>-print.pdf: PDF/X-4, CMYK output intent, bleed and crop marks."""
    return write_pdfs(book, {"press": target}, styles, single)["press"]


logging.getLogger("weasyprint").addHandler(logging.NullHandler())
