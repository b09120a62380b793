"""Book → HTML fragments and the single print document; XHTML-safe so EPUB can reuse every fragment."""

from __future__ import annotations

from html import escape

from ..lang import profile, quote
from ..model import Book, BookConfig, Category, Entry, FrontDocument
from .titles import title_lines
from .index import index_groups
from .lastline import keep_last_characters
from .markdown import inline_html
from .notes import place_notes


def _h(level: int) -> str:
    return f"h{min(max(level, 1), 6)}"


def quote_text(entry: Entry, config: BookConfig) -> str:
    """《報告》指出：「…」 (zh-Hant) or 《报告》指出：“…” (zh-Hans); quotes inside the quote become inner marks."""
    return f"{config.report.short}{words(config)['says']}：{quote(entry.quote, config.language)}"


def words(config: BookConfig) -> dict[str, str]:
    """The words kwbook puts into the book (目錄, 參見 …) in the book's script."""
    return profile(config.language).words


def entry_article(entry: Entry, config: BookConfig, level: int = 2, href=None, notes: str = "aside") -> str:
    """One entry: keyword heading, the report quote, then its sections one level down.

    href maps a keyword to the link target of its entry; without it see_also is not printed. notes is the form
    of the footnotes (render/notes.py): "float" for the PDF, "aside" for the EPUB, "docx" for pandoc.
    """
    h_kw, h_sec = _h(level), _h(level + 1)
    parts = [
        f'<article class="entry" id="{entry.anchor}" data-keyword="{escape(entry.keyword)}">',
        f'<{h_kw} class="keyword">{escape(entry.keyword)}</{h_kw}>',
        f'<blockquote class="quote"><p>{inline_html(quote_text(entry, config))}</p></blockquote>',
    ]
    for section in entry.sections:
        parts.append(
            f'<section class="section" data-section="{escape(section.title)}">'
            f'<{h_sec} class="section-title">{escape(section.title)}</{h_sec}>\n'
            f'{place_notes(section.html, section.notes, notes, entry.anchor)}</section>'
        )
    if entry.see_also and href is not None:
        links = "、".join(f'<a class="see-also" href="{href(k)}">{escape(k)}</a>' for k in entry.see_also)
        parts.append(f'<p class="see-also-line">{words(config)["see_also"]}：{links}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def category_heading(category: Category, level: int = 1) -> str:
    h = _h(level)
    return f'<section class="category" id="{category.anchor}"><{h} class="category-title">{escape(category.title)}</{h}></section>'


def front_section(doc: FrontDocument, level: int = 1, notes: str = "aside") -> str:
    h = _h(level)
    html = place_notes(doc.html, doc.notes, notes, doc.anchor)
    return f'<section class="front" id="{doc.anchor}"><{h} class="front-title">{escape(doc.title)}</{h}>\n{html}</section>'


def toc_list(book: Book, href) -> str:
    """Nested list: front matter, then categories → entries; href(anchor) gives each link."""
    items = [f'<li class="toc-front"><a href="{href(d.anchor)}">{escape(d.title)}</a></li>' for d in book.front]
    for cat in book.categories:
        if not cat.entries:
            continue
        sub = "".join(f'<li class="toc-entry"><a href="{href(e.anchor)}">{escape(e.keyword)}</a></li>' for e in cat.entries)
        items.append(f'<li class="toc-category"><a href="{href(cat.anchor)}">{escape(cat.title)}</a><ol>{sub}</ol></li>')
    return f'<ol class="toc-list">{"".join(items)}</ol>'


def title_page(config: BookConfig) -> str:
    people = "、".join(config.editors or config.authors)
    role = words(config)["edited" if config.editors else "written"]
    title = "<br/>".join(escape(line) for line in title_lines(config.title, 11))
    lines = [f'<section class="title-page"><h1 class="book-title">{title}</h1>']
    if config.subtitle:
        lines.append(f'<p class="subtitle">{escape(config.subtitle)}</p>')
    if people:
        lines.append(f'<p class="byline">{escape(people)}　{role}</p>')
    if config.publisher and config.publisher != people:
        lines.append(f'<p class="publisher">{escape(config.publisher)}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def half_title(config: BookConfig) -> str:
    return f'<section class="half-title"><p class="half-title-text">{escape(config.title)}</p></section>'


def copyright_page(config: BookConfig, isbn_key: str = "pdf", landmark: bool = True) -> str:
    """版權頁: title, editors, publisher, edition, date and the ISBN of this format.

    As a landmark (the PDF, whose page has no heading) a section named 版權頁; else a plain div, for a page
    that is already a section named by its own heading (the EPUB: one landmark, not two of the same name).
    """
    w = words(config)
    rows = [(w["book_title"], config.title)]
    people = "、".join(config.editors or config.authors)
    if people:
        rows.append((w["editors"] if config.editors else w["authors"], people))
    for label, value in ((w["publisher"], config.publisher), (w["edition"], config.edition), (w["date"], config.date)):
        if value:
            rows.append((label, value))
    isbn = config.isbn.get(isbn_key) or config.isbn.get("all")
    if isbn:
        rows.append(("ISBN", isbn))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    table = f'<table class="colophon">{body}</table>'
    return f'<section class="copyright" aria-label="{w["copyright"]}">{table}</section>' if landmark else f'<div class="copyright">{table}</div>'


def index_section(book: Book, href, level: int = 1) -> str:
    """關鍵詞索引: keywords grouped by stroke count (or pinyin), each linked to its entry."""
    h, hg = _h(level), _h(level + 1)
    parts = [f'<section class="index" id="keyword-index"><{h} class="index-title">{words(book.config)["index"]}</{h}><div class="index-body">']
    for label, entries in index_groups(book.entries, book.config.index_sort, words(book.config)):
        items = "".join(f'<li><a href="{href(e.anchor)}">{escape(e.keyword)}</a></li>' for e in entries)
        parts.append(f'<{hg} class="index-group">{escape(label)}</{hg}><ul class="index-list">{items}</ul>')
    parts.append("</div></section>")
    return "".join(parts)


def head_meta(config: BookConfig) -> str:
    people = config.authors or config.editors
    meta = [f"<title>{escape(config.title)}</title>"]
    if people:
        meta.append(f'<meta name="author" content="{escape("、".join(people))}"/>')
    if config.subtitle:
        meta.append(f'<meta name="description" content="{escape(config.subtitle)}"/>')
    if config.date:
        meta.append(f'<meta name="dcterms.created" content="{escape(config.date)}"/>')
    return "\n".join(meta)


def front_units(book: Book) -> list[str]:
    """The print document's front matter, one top-level element each: half-title … contents."""
    config = book.config
    units = [half_title(config), title_page(config), copyright_page(config)]
    units += [front_section(d, notes="float") for d in book.front]
    units.append(f'<nav class="toc" id="toc"><h1 class="toc-title">{words(config)["toc"]}</h1>{toc_list(book, lambda a: "#" + a)}</nav>')
    return units


def body_units(book: Book) -> list[tuple[Category, Entry | None, str]]:
    """The print document's body in order: (category, None, heading) then (category, entry, article) each."""
    anchor = {e.keyword: e.anchor for e in book.entries}
    units: list[tuple[Category, Entry | None, str]] = []
    for cat in book.categories:
        if not cat.entries:
            continue
        heading = category_heading(cat)
        if not units:
            heading = heading.replace('class="category"', 'class="category body-start"', 1)
        units.append((cat, None, heading))
        for entry in cat.entries:
            article = entry_article(entry, book.config, level=1, href=lambda k: "#" + anchor[k], notes="float")
            units.append((cat, entry, keep_last_characters(article, book.config.language)))
    return units


def back_units(book: Book) -> list[str]:
    """The print document's back matter: the keyword index."""
    return [index_section(book, lambda a: "#" + a)] if book.entries else []


def wrap_document(config: BookConfig, units: list[str], stylesheets: list[str] = ()) -> str:
    """Top-level elements in one paged-media HTML document."""
    links = "".join(f'<link rel="stylesheet" href="{escape(s)}"/>' for s in stylesheets)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(config.language)}" xml:lang="{escape(config.language)}">'
        f'<head><meta charset="utf-8"/>{head_meta(config)}{links}</head>\n'
        f'<body class="entry-start-{config.entry_start}">\n' + "\n".join(units) + "\n</body></html>\n"
    )


def print_document(book: Book, stylesheets: list[str] = ()) -> str:
    """The whole book as one HTML document for paged media (the PDF writer's input)."""
    units = front_units(book) + [html for _, _, html in body_units(book)] + back_units(book)
    return wrap_document(book.config, units, stylesheets)
