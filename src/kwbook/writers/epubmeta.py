"""EPUB package metadata and the navigation document: identifiers, dates, accessibility, toc, landmarks, page list."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from html import escape

from ebooklib import epub

from ..lang import in_script
from ..model import BookConfig
from .stamp import source_date

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def book_identifier(config: BookConfig) -> str:
    """config.identifier, or a UUID derived from the slug so the same book keeps the same identifier."""
    return config.identifier or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'kwbook:' + config.slug)}"


def isbn_urn(config: BookConfig, *formats: str) -> str:
    """urn:isbn:… of the first format that has an ISBN (or the book-wide one), else ''."""
    for key in (*formats, "all"):
        value = config.isbn.get(key)
        if value:
            return f"urn:isbn:{re.sub(r'[^0-9Xx]', '', value)}"
    return ""


def print_edition(config: BookConfig, source: str) -> str:
    """What the page numbers refer to: the print edition's ISBN, else its title, edition and PDF file."""
    urn = isbn_urn(config, "print", "pdf")
    if urn:
        return urn
    edition = f"{config.edition}，" if config.edition else ""
    return f"{config.title}（{edition}" + in_script("印刷版", config.language) + f" {source}）"


def modified_time(config: BookConfig) -> dt.datetime:
    """dcterms:modified in UTC: SOURCE_DATE_EPOCH if set, else the book's date at midnight, else now."""
    return source_date(config) or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def accessibility_summary(config: BookConfig, pages: bool) -> str:
    parts = [
        "本書為純文字出版品，依章節標題、目錄與邏輯閱讀順序組織，每個詞條各為一個文件，引文與各節以語意標記區分；",
        "封面圖片附有替代文字；",
    ]
    if pages:
        parts.append("書中標有對應印刷版的頁碼，並提供頁碼清單，可據以引用頁次；")
    if config.epub.writing_mode == "vertical":
        parts.append("本版採直排（由右至左翻頁）；")
    parts.append("版面使用相對單位，閱讀軟體可調整字型與字級；無閃爍、聲音或動態等已知危害。")
    return in_script("".join(parts), config.language)


def conformance_evaluator(config: BookConfig) -> str:
    """Who declares the conformance claim (a self-declaration): the publisher, else the editors or authors."""
    return config.publisher or "、".join(config.editors or config.authors)


def set_metadata(book: epub.EpubBook, config: BookConfig, page_source: str | None) -> None:
    """Dublin Core, schema.org accessibility, conformance and (with a page list) the print edition cited."""
    book.set_identifier(book_identifier(config))
    book.set_title(config.title)
    book.set_language(config.language)
    isbn = isbn_urn(config, "epub")
    if isbn:
        book.add_metadata("DC", "identifier", isbn)
    people = [(name, "aut") for name in config.authors] + [(name, "edt") for name in config.editors]
    for n, (name, role) in enumerate(people, 1):
        book.add_author(name, role=role, uid=f"creator-{n}")
    if config.publisher:
        book.add_metadata("DC", "publisher", config.publisher)
    if _DATE.match(config.date.strip()):
        book.add_metadata("DC", "date", config.date.strip())
    if config.subtitle:
        book.add_metadata("DC", "description", config.subtitle)
    if page_source:
        book.add_metadata("DC", "source", page_source)

    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "displayTransformability"]
    if page_source:
        features += ["printPageNumbers", "pageBreakMarkers", "pageNavigation"]
    meta = [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", f) for f in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", accessibility_summary(config, bool(page_source))),
    ]
    evaluator = conformance_evaluator(config)
    if evaluator:  # EPUB Accessibility 1.1 wants every conformance claim to name who evaluated it
        meta += [("dcterms:conformsTo", CONFORMS_TO), ("a11y:certifiedBy", evaluator)]
    if page_source:
        meta.append(("pageBreakSource", page_source))
    for prop, value in meta:
        book.add_metadata(None, "meta", value, {"property": prop})
    if config.epub.writing_mode == "vertical":
        book.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"})


@dataclass
class Nav:
    """What the navigation document lists: toc tree, landmarks, page list."""

    toc: list = field(default_factory=list)             # [(title, href, [(title, href), …])]
    landmarks: list = field(default_factory=list)       # [(epub:type, title, href)]
    pages: list = field(default_factory=list)           # [(label, href)]


def nav_document(nav: Nav, config: BookConfig, stylesheets: list[str]) -> bytes:
    """The EPUB 3 navigation document: one h1 (the contents), landmarks and page list hidden."""
    lang = escape(config.language)
    toc_word, nav_word, pages_word = (in_script(w, config.language) for w in ("目錄", "導覽", "頁碼"))

    def link(title: str, href: str) -> str:
        return f'<a href="{escape(href)}">{escape(title)}</a>'

    def items(entries) -> str:
        out = []
        for title, href, children in entries:
            sub = f"<ol>{items(children)}</ol>" if children else ""
            out.append(f"<li>{link(title, href)}{sub}</li>")
        return "".join(out)

    toc = f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title"><h1 id="toc-title">{toc_word}</h1><ol>{items(nav.toc)}</ol></nav>'
    marks = "".join(f'<li><a epub:type="{kind}" href="{escape(href)}">{escape(title)}</a></li>' for kind, title, href in nav.landmarks)
    parts = [toc, f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden"><h2 id="landmarks-title">{nav_word}</h2><ol>{marks}</ol></nav>']
    if nav.pages:
        pages = "".join(f"<li>{link(label, href)}</li>" for label, href in nav.pages)
        parts.append(
            f'<nav epub:type="page-list" id="page-list" role="doc-pagelist" aria-labelledby="page-list-title" hidden="hidden">'
            f'<h2 id="page-list-title">{pages_word}</h2><ol>{pages}</ol></nav>'
        )
    links = "".join(f'<link href="{escape(s)}" rel="stylesheet" type="text/css"/>' for s in stylesheets)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">\n'
        f"<head><title>{toc_word}</title>{links}</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    ).encode("utf-8")


class NavWriter(epub.EpubWriter):
    """ebooklib's writer with kwbook's own navigation document and the book's language on the OPF <package>."""

    def __init__(self, name, book, options, nav: bytes):
        super().__init__(name, book, options)
        self.nav = nav

    def _get_nav(self, item):
        return self.nav

    def _write_opf_file(self, root):
        # The package's own language (xml:lang) is what reading systems and Ace (epub-lang) take for the metadata.
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)
