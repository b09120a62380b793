"""EPUB 3 writer: the shared HTML fragments, one XHTML per entry, nav + NCX, print page list, optional fonts (ebooklib).

Documents in reading order: cover, title page, copyright page, front matter, contents, a divider per category
followed by its entries, keyword index. Page breaks come from the print PDF's page map (writers/pagemap.py):
without a current map beside the target, the print document is laid out first to make one. ebooklib rebuilds
every document's <head>, so stylesheets are attached per item, and it stamps zip entries with the wall clock,
so the archive is repacked with the book's date to make builds reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import lxml.html
from ebooklib import epub
from lxml import etree

from functools import partial

from ..lang import in_script
from ..model import Book
from ..render.cover import cover_png
from ..render.html import category_heading, copyright_page, entry_article, front_section, index_section, title_page, toc_list
from ..render.pagemarks import block_ids, insert_breaks
from . import pagemap
from .epubfonts import embedded_fonts
from .epubupright import mark_upright
from .epubmeta import Nav, NavWriter, book_identifier, modified_time, nav_document, print_edition, set_metadata
from .output import BuildError, atomic_output
from .partcache import cache_dir
from .stamp import write_zip

__all__ = ["book_identifier", "build_epub_book", "documents", "modified_time", "write_epub"]

CSS_FILE, VERTICAL_CSS_FILE = "epub.css", "epub-vertical.css"
CSS_NAME, VERTICAL_NAME, FONTS_NAME = "style/epub.css", "style/vertical.css", "style/fonts.css"
COVER_IMAGE = "images/cover.png"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NAV_WORDS = "封面目錄目录正文導覽导览頁碼页码關鍵詞索引关键词索引"   # the navigation document's own labels


@dataclass
class Doc:
    """One XHTML document before packaging: shared fragment (page breaks go into it) and EPUB-only framing."""

    uid: str
    title: str
    fragment: str = ""
    before: str = ""
    after: str = ""
    root: dict = field(default_factory=dict)   # attributes for the fragment's top element (epub:type, role)
    body: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.uid}.xhtml"


def pagebreak(label: str) -> str:
    return f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{escape(label)}" aria-label="{escape(label)}" title="{escape(label)}"></span>'


def documents(book: Book) -> tuple[list[Doc], list[Doc], list[tuple[Doc, list[Doc]]]]:
    """(all documents in reading order, front-matter docs, [(category divider, its entry docs)])."""
    config = book.config
    t = partial(in_script, tag=config.language)  # kwbook's own words in the book's script
    entry_href = {e.keyword: f"{e.anchor}.xhtml#{e.anchor}" for e in book.entries}
    anchor_href = {e.anchor: f"{e.anchor}.xhtml#{e.anchor}" for e in book.entries}
    image = f'<img src="{COVER_IMAGE}" alt="{escape(config.title)}" role="doc-cover"/>'
    cover = Doc("cover", t("封面"), before=f'<section class="cover-page" epub:type="cover"><h1 class="cover-title">{image}</h1></section>')
    title = Doc("titlepage", config.title, title_page(config), root={"epub:type": "titlepage"})
    colophon = [t("<p>電子書識別碼：") + f"{escape(book_identifier(config))}</p>"]
    if config.epub.page_list:
        colophon.append(t("<p>本電子書標有印刷版頁碼，引用時可注明頁次。</p>"))
    rights = Doc(
        "copyright", t("版權頁"), copyright_page(config, "epub", landmark=False),   # one landmark: the section its h1 names
        before='<section class="copyright-page" epub:type="copyright-page" aria-labelledby="copyright-title">'
               + t('<h1 class="copyright-title" id="copyright-title">版權頁</h1>'),
        after=f'<div class="identifiers">{"".join(colophon)}</div></section>',
    )
    fronts = [Doc(d.anchor, d.title, front_section(d)) for d in book.front]
    contents = Doc("contents", t("目錄"), t('<nav class="toc" id="toc"><h1 class="toc-title">目錄</h1>') + f'{toc_list(book, lambda a: f"{a}.xhtml")}</nav>')
    groups = []
    for cat in book.categories:
        if cat.entries:
            entries = [Doc(e.anchor, e.keyword, entry_article(e, config, level=1, href=entry_href.get)) for e in cat.entries]
            groups.append((Doc(cat.anchor, cat.title, category_heading(cat)), entries))
    docs = [cover, title, rights, *fronts, contents]
    for divider, entries in groups:
        docs += [divider, *entries]
    if book.entries:
        index = Doc("keyword-index", t("關鍵詞索引"), index_section(book, anchor_href.get), root={"epub:type": "index", "role": "doc-index"})
        docs.append(index)
    return docs, fronts, groups


def place_pages(docs: list[Doc], pages: list[dict]) -> list[tuple[str, str]]:
    """Put a page break into each document's fragment where the print page begins; returns [(label, href)].

    A page without text (a blank verso) or whose text the e-book does not have (the half-title) breaks at the
    next page's place; pages after the last placed one follow it.
    """
    where = {block: doc for doc in docs for block in block_ids(doc.fragment)}
    breaks: dict[str, dict[str, list]] = {}
    pending: list[str] = []
    placed: list[tuple[str, str]] = []
    last = None
    for page in pages:
        block = page.get("block")
        if block not in where:
            pending.append(str(page["label"]))
            continue
        last = (where[block], block, int(page.get("offset") or 0))
        for label in [*pending, str(page["label"])]:
            breaks.setdefault(last[0].uid, {}).setdefault(block, []).append((last[2], label))
        pending = []
    if pending and last:
        breaks[last[0].uid][last[1]] += [(last[2], label) for label in pending]
    for doc in docs:
        todo = breaks.get(doc.uid)
        if todo:
            doc.fragment = insert_breaks(doc.fragment, {b: [(o, pagebreak(lbl)) for o, lbl in v] for b, v in todo.items()})
            for block in todo.values():
                placed += [(label, f"{doc.file_name}#page-{label}") for _, label in block]
    order = {str(p["label"]): i for i, p in enumerate(pages)}
    return sorted(placed, key=lambda item: order[item[0]])


def with_attributes(fragment: str, attributes: dict[str, str]) -> str:
    """The fragment with attributes added to its first start tag."""
    if not attributes or not fragment.startswith("<"):
        return fragment
    end = fragment.index(">")
    extra = "".join(f' {k}="{escape(v)}"' for k, v in attributes.items())
    close = "/>" if fragment[end - 1] == "/" else ">"
    return fragment[: end + 1 - len(close)].rstrip() + extra + close + fragment[end + 1:]


def _semantics(doc: Doc, upright: bool = False) -> str:
    """The document body: framing around the fragment, each section named by its heading (aria-labelledby).

    With upright (the vertical edition) numbers and abbreviations are wrapped to stand upright (epubupright.py).
    """
    parts = lxml.html.fragments_fromstring(doc.before + with_attributes(doc.fragment, doc.root) + doc.after)
    elements = [p for p in parts if not isinstance(p, str)]
    ids = {e.get("id") for root in elements for e in root.iter() if e.get("id")}
    n = 0
    for root in elements:
        for element in root.iter("section", "article", "nav", "aside"):
            if element.get("aria-label") or element.get("aria-labelledby"):
                continue
            heading = next((c for c in element if c.get("epub:type") != "pagebreak"), None)
            if heading is None or heading.tag not in HEADINGS:
                continue
            if not heading.get("id"):
                while f"{doc.uid}-h{n}" in ids:
                    n += 1
                heading.set("id", f"{doc.uid}-h{n}")
                ids.add(heading.get("id"))
            element.set("aria-labelledby", heading.get("id"))
        if upright:
            mark_upright(root)
    return "".join(escape(p) if isinstance(p, str) else etree.tostring(p, encoding="unicode", method="xml") for p in parts)


def _font_chars(docs: list[Doc]) -> dict[str, set[str]]:
    """Characters each embedded face sets: serif everything, sans the headings and lists, kai the quotes."""
    chars = {"serif": set(NAV_WORDS), "sans": set(NAV_WORDS), "kai": set()}
    for doc in docs:
        for root in lxml.html.fragments_fromstring(doc.body or "<div></div>"):
            if isinstance(root, str):
                continue
            text = root.text_content()
            chars["serif"].update(text)
            if doc.uid in ("titlepage", "contents", "keyword-index"):
                chars["sans"].update(text)
            for element in root.iter(*HEADINGS):
                chars["sans"].update(element.text_content())
            for element in root.iter():
                if "quote" in (element.get("class") or "").split():
                    chars["kai"].update(element.text_content())
    return chars


def _page_map(book: Book, target: Path, styles: Path) -> dict | None:
    """The print edition's page map: the one beside the target if current, else made now by laying out the PDF."""
    if not book.config.epub.page_list:
        return None
    path = pagemap.map_path(Path(target).parent, book.config.slug)
    data = pagemap.read_map(path, book, styles)
    if data is None:
        data = pagemap.lay_out(book, styles, f"{book.config.slug}.pdf")
        pagemap.write_map(data, path)
    return data


def autospace_css(config) -> bytes:
    """CJK–Latin spacing as CSS Text 4 `text-autospace`, following book.yaml typography.latin_spacing.

    The amount is the reading system's (1/8 em in the spec), not latin_spacing's: CSS has no length for it.
    Chromium 156 knows only `normal | no-autospace`; an engine without the property ignores the rule, and the
    text carries no spans, so nothing changes there.
    """
    if not config.latin_spacing:
        return b"\n/* typography.latin_spacing: 0 */\nbody { text-autospace: no-autospace; }\n"
    return (b"\n/* CJK-Latin spacing (typography.latin_spacing); the second form where the engine knows it */\n"
            b"body { text-autospace: normal; text-autospace: ideograph-alpha ideograph-numeric; }\n")


def build_epub_book(book: Book, styles: Path, pages: dict | None = None,
                    font_cache: Path | None = None) -> tuple[epub.EpubBook, bytes]:
    """The ebooklib model of the book and its navigation document."""
    config = book.config
    sheets = [(CSS_NAME, Path(styles) / CSS_FILE)]
    if config.epub.writing_mode == "vertical":
        sheets.append((VERTICAL_NAME, Path(styles) / VERTICAL_CSS_FILE))
    for _, path in sheets:
        if not path.is_file():
            raise BuildError("build.epub-css", path=path)
    docs, fronts, groups = documents(book)
    page_list = place_pages(docs, pages["pages"]) if pages else []
    vertical = config.epub.writing_mode == "vertical"
    for doc in docs:
        doc.body = _semantics(doc, upright=vertical)

    out = epub.EpubBook()
    set_metadata(out, config, print_edition(config, pages["source"]) if page_list else None)
    if vertical:
        out.set_direction("rtl")
    css_items = [epub.EpubItem(uid=f"style-{n}", file_name=name, media_type="text/css",
                               content=path.read_bytes() + (autospace_css(config) if name == CSS_NAME else b""))
                 for n, (name, path) in enumerate(sheets)]
    if config.epub.embed_fonts:
        fonts, font_css = embedded_fonts(_font_chars(docs), config.epub.font_format, config.language, font_cache)
        css_items.append(epub.EpubItem(uid="style-fonts", file_name=FONTS_NAME, media_type="text/css", content=font_css.encode()))
        for n, font in enumerate(fonts):
            out.add_item(epub.EpubItem(uid=f"font-{n}", file_name=font.file_name, media_type=font.media_type, content=font.content))
    for item in css_items:
        out.add_item(item)
    out.set_cover(COVER_IMAGE, cover_png(config), create_page=False)

    items: dict[str, epub.EpubHtml] = {}
    for doc in docs:
        item = epub.EpubHtml(uid=doc.uid, file_name=doc.file_name, title=doc.title, lang=config.language)
        item.content = f"<html><body>{doc.body}</body></html>".encode("utf-8")
        for css in css_items:
            item.add_item(css)
        items[doc.uid] = item
    out.spine = [items[d.uid] for d in docs]
    t = partial(in_script, tag=config.language)
    nav_item = epub.EpubNav(title=t(t("目錄")))
    for item in (*out.spine, epub.EpubNcx(), nav_item):
        out.add_item(item)
    index = items.get("keyword-index")
    out.toc = [items[d.uid] for d in fronts] + [(items[c.uid], [items[e.uid] for e in es]) for c, es in groups]
    if index is not None:
        out.toc.append(index)

    body_start = items[groups[0][0].uid] if groups else items["contents"]
    out.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": t("封面")},
        {"type": "toc", "href": "contents.xhtml", "title": t("目錄")},
        {"type": "text", "href": body_start.file_name, "title": t("正文")},
    ]
    nav = Nav(
        toc=[(d.title, d.file_name, []) for d in fronts]
        + [(c.title, c.file_name, [(e.title, e.file_name, []) for e in es]) for c, es in groups],
        landmarks=[("cover", t("封面"), "cover.xhtml"), ("toc", t("目錄"), "contents.xhtml"), ("bodymatter", t("正文"), body_start.file_name)],
        pages=page_list,
    )
    if index is not None:
        out.guide.append({"type": "index", "href": index.file_name, "title": t("關鍵詞索引")})
        nav.toc.append((t("關鍵詞索引"), index.file_name, []))
        nav.landmarks.append(("index", t("關鍵詞索引"), index.file_name))
    return out, nav_document(nav, config, [css.file_name for css in css_items])


def _repack(data: bytes, target: Path, when: dt.datetime) -> None:
    """Copy the archive with every entry stamped `when`, mimetype first and stored, the rest deflated."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    write_zip(target, members, when, stored=("mimetype",))


def write_epub(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.epub atomically; the same sources (and SOURCE_DATE_EPOCH) give the same bytes."""
    pages = _page_map(book, Path(target), Path(styles))
    model, nav = build_epub_book(book, Path(styles), pages, cache_dir(Path(target).parent, book.config.slug) / "epubfonts")
    when = modified_time(book.config)
    buffer = io.BytesIO()
    options = {"raise_exceptions": True, "mtime": when, "epub3_landmark": False, "epub3_pages": False}
    writer = NavWriter(buffer, model, options, nav)
    writer.process()
    writer.write()
    try:
        with atomic_output(target) as tmp:
            _repack(buffer.getvalue(), tmp, when)
    except OSError as exc:
        raise BuildError("build.epub-write", target=target, reason=exc.strerror or exc) from None
    return Path(target)
