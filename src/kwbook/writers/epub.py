"""EPUB 3 writer: one XHTML per entry and per category divider, nav + NCX and a generated cover (ebooklib).

ebooklib rebuilds every document's <head>, so the stylesheet is attached per item, and it stamps zip entries
with the wall clock, so the archive is repacked with the book's date to make builds reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import uuid
import zipfile
from html import escape
from pathlib import Path

from ebooklib import epub

from ..model import Book, BookConfig
from ..render.cover import cover_png
from ..render.html import category_heading, entry_article, front_section, title_page, toc_list
from .output import BuildError, atomic_output

CSS_FILE = "epub.css"
CSS_NAME = "style/epub.css"
COVER_IMAGE = "images/cover.png"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def book_identifier(config: BookConfig) -> str:
    """config.identifier, or a UUID derived from the slug so the same book keeps the same identifier."""
    return config.identifier or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'kwbook:' + config.slug)}"


def modified_time(config: BookConfig) -> dt.datetime:
    """dcterms:modified in UTC: SOURCE_DATE_EPOCH if set, else the book's date at midnight, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    m = _DATE.match(config.date.strip())
    if m:
        try:
            return dt.datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1), tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _document(uid: str, title: str, body: str, config: BookConfig, css: epub.EpubItem) -> epub.EpubHtml:
    item = epub.EpubHtml(uid=uid, file_name=f"{uid}.xhtml", title=title, lang=config.language)
    item.content = f"<html><body>{body}</body></html>".encode("utf-8")
    item.add_item(css)
    return item


def _metadata(book: epub.EpubBook, config: BookConfig) -> None:
    book.set_identifier(book_identifier(config))
    book.set_title(config.title)
    book.set_language(config.language)
    isbn = config.isbn.get("epub") or config.isbn.get("all")
    if isbn:
        book.add_metadata("DC", "identifier", f"urn:isbn:{re.sub(r'[^0-9Xx]', '', isbn)}")
    people = [(name, "aut") for name in config.authors] + [(name, "edt") for name in config.editors]
    for n, (name, role) in enumerate(people, 1):
        book.add_author(name, role=role, uid=f"creator-{n}")
    if config.publisher:
        book.add_metadata("DC", "publisher", config.publisher)
    if _DATE.match(config.date.strip()):
        book.add_metadata("DC", "date", config.date.strip())
    if config.subtitle:
        book.add_metadata("DC", "description", config.subtitle)


def build_epub_book(book: Book, styles: Path) -> epub.EpubBook:
    """The ebooklib model of the book: documents, spine, nav/NCX structure, guide and metadata."""
    config = book.config
    css_path = Path(styles) / CSS_FILE
    if not css_path.is_file():
        raise BuildError(f"找不到 EPUB 樣式表：{css_path}")
    out = epub.EpubBook()
    _metadata(out, config)
    css = epub.EpubItem(uid="style", file_name=CSS_NAME, media_type="text/css", content=css_path.read_bytes())
    out.add_item(css)

    out.set_cover(COVER_IMAGE, cover_png(config), create_page=False)
    image = f'<img src="{COVER_IMAGE}" alt="{escape(config.title)}"/>'
    cover = _document("cover", "封面", f'<section class="cover-page">{image}</section>', config, css)
    entry_file = {e.keyword: f"{e.anchor}.xhtml#{e.anchor}" for e in book.entries}
    title = _document("titlepage", config.title, title_page(config), config, css)
    fronts = [_document(d.anchor, d.title, front_section(d), config, css) for d in book.front]
    contents = _document(
        "contents", "目錄",
        f'<section class="toc"><h1 class="toc-title">目錄</h1>{toc_list(book, lambda a: f"{a}.xhtml")}</section>',
        config, css,
    )
    body: list[epub.EpubHtml] = []
    toc: list = list(fronts)
    for cat in book.categories:
        if not cat.entries:
            continue
        divider = _document(cat.anchor, cat.title, category_heading(cat), config, css)
        entries = [
            _document(e.anchor, e.keyword, entry_article(e, config, level=1, href=entry_file.get), config, css)
            for e in cat.entries
        ]
        body += [divider, *entries]
        toc.append((divider, entries))

    nav = epub.EpubNav(title="目錄")
    nav.add_item(css)
    out.spine = [cover, title, *fronts, contents, *body]
    for item in (*out.spine, epub.EpubNcx(), nav):
        out.add_item(item)
    out.toc = toc
    out.guide = [
        {"type": "cover", "href": cover.file_name, "title": "封面"},
        {"type": "toc", "href": contents.file_name, "title": "目錄"},
        {"type": "text", "href": (body or [contents])[0].file_name, "title": "正文"},
    ]
    return out


def _repack(data: bytes, target: Path, when: dt.datetime) -> None:
    """Copy the archive with every entry stamped `when`, mimetype first and stored, the rest deflated."""
    stamp = when.timetuple()[:6] if when.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename), compresslevel=9)


def write_epub(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.epub atomically; the same sources (and SOURCE_DATE_EPOCH) give the same bytes."""
    model = build_epub_book(book, Path(styles))
    when = modified_time(book.config)
    buffer = io.BytesIO()
    options = {"raise_exceptions": True, "mtime": when, "landmark_title": "導覽", "epub3_pages": False}
    epub.write_epub(buffer, model, options)
    try:
        with atomic_output(target) as tmp:
            _repack(buffer.getvalue(), tmp, when)
    except OSError as exc:
        raise BuildError(f"無法寫入 EPUB「{target}」：{exc.strerror or exc}") from None
    return Path(target)
