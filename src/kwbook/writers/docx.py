"""DOCX writer: the shared HTML fragments through pandoc, styled by a reference.docx built from docx-styles.yaml."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
import zipfile
from html import escape
from pathlib import Path

import pypandoc

from ..load.text import read_source
from ..load.yamlnode import load_mapping
from ..model import Book
from ..lang import profile
from ..render.html import category_heading, entry_article, front_section, words
from .docxpost import finish_docx
from .docxref import build_reference_docx
from ..tempfiles import scratch_dir
from .output import BuildError, atomic_output

STYLES_FILE = "docx-styles.yaml"
# The static contents list: Word's own style names, so a Word-made ToC would look the same.
CONTENTS_STYLES = {"title": "TOC Heading", "category": "toc 1", "entry": "toc 2"}
SEE_ALSO_STYLE = "SeeAlso"  # docx-styles.yaml's style for the 參見 line, when the yaml has one
READER = "html+east_asian_line_breaks-auto_identifiers"  # bookmarks only from kwbook's ids (kw-001, cat-1 …)
# pandoc's runtime: the oldest generation collected in place (compacting) rather than copied, so the heap is not
# doubled at each major collection: 1,329 → 904 MiB peak on the 1,510-entry book for ~15 % more time
# (docs/performance.md, "Scale").
RTS = ["+RTS", "-c", "-RTS"]


def bundled_pandoc() -> str:
    """The pandoc binary shipped inside pypandoc-binary, pinned for pypandoc as well."""
    exe = "pandoc.exe" if os.name == "nt" else "pandoc"
    path = str(Path(pypandoc.__file__).resolve().parent / "files" / exe)
    if not os.access(path, os.X_OK):
        raise BuildError("build.pandoc-missing", path=path)
    os.environ["PYPANDOC_PANDOC"] = path
    return path


def load_docx_styles(styles: Path) -> dict:
    path = Path(styles) / STYLES_FILE
    if not path.is_file():
        raise BuildError("build.docx-styles-missing", path=path)
    # The same bounded reader as book.yaml: a manuscript's own styles/ is as untrusted as its entries.
    text, problems = read_source(path)
    settings = None
    if text is not None:
        settings, _, problems = load_mapping(text, path)
    if problems:
        raise BuildError("build.docx-styles-unreadable", path=path, reason=f"{problems[0].line}:{problems[0].col}: {problems[0].localized()}")
    if not isinstance(settings, dict) or not isinstance(settings.get("styles"), dict):
        raise BuildError("build.docx-styles-format", path=path)
    quote = settings.get("quote_style")
    if not isinstance(settings["styles"].get(quote), dict) or not settings["styles"][quote].get("name"):
        raise BuildError("build.docx-quote-style", path=path)
    return settings


def _styled(style: str, inner: str) -> str:
    return f'<div data-custom-style="{escape(style)}">{inner}</div>'


def language_settings(settings: dict, language: str) -> dict:
    """docx-styles.yaml's settings for the book's language: zh-CN with SimSun/SimHei/KaiTi for zh-Hans.

    The yaml's own `language` and `fonts` are the zh-Hant (Taiwan) ones; `languages: {zh-Hans: {...}}` in the
    yaml overrides what kwbook derives for another language.
    """
    p = profile(language)
    if p.tag == "zh-Hant":
        return settings
    own = (settings.get("languages") or {}).get(p.tag) or {}
    fonts = {**(settings.get("fonts") or {}), **p.docx_fonts, **(own.get("fonts") or {})}
    return {**settings, "language": own.get("language", p.docx_lang), "fonts": fonts}


def contents_html(book: Book) -> str:
    """目錄 as plain paragraphs with internal links: visible at once in Word and LibreOffice, no field to update."""
    link = lambda anchor, text: f'<p><a href="#{anchor}">{escape(text)}</a></p>'  # noqa: E731
    parts = [_styled(CONTENTS_STYLES["title"], f"<p>{words(book.config)['toc']}</p>")]
    parts += [_styled(CONTENTS_STYLES["category"], link(d.anchor, d.title)) for d in book.front]
    for cat in (c for c in book.categories if c.entries):
        parts.append(_styled(CONTENTS_STYLES["category"], link(cat.anchor, cat.title)))
        parts.append(_styled(CONTENTS_STYLES["entry"], "".join(link(e.anchor, e.keyword) for e in cat.entries)))
    return "\n".join(parts)


def docx_html(book: Book, quote_style: str, see_also_style: str | None = None) -> str:
    """One HTML document from the shared fragments, adapted for pandoc's HTML reader.

    The reader drops <article> and blockquote attributes, so entries become divs (their ids become bookmarks)
    and the quote a div whose custom-style names the Word paragraph style. Front matter subheadings move one
    level down so they do not take the page-breaking keyword style. The contents follow the front matter. The
    參見 line takes see_also_style (a style name) when given.
    """
    anchors = {e.keyword: e.anchor for e in book.entries}
    quote_div = f'<div class="quote" data-custom-style="{escape(quote_style)}">'
    parts = [re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", front_section(d, notes="docx")) for d in book.front]
    parts.append(contents_html(book))
    for cat in (c for c in book.categories if c.entries):
        parts.append(category_heading(cat, level=1))
        for entry in cat.entries:
            html = entry_article(entry, book.config, level=2, href=lambda k: "#" + anchors[k], notes="docx")
            html = re.sub(r"^<article |</article>$", lambda m: "<div " if m[0] == "<article " else "</div>", html)
            html = re.sub(r'<blockquote class="quote">(.*?)</blockquote>', lambda m: f"{quote_div}{m[1]}</div>",
                          html, count=1, flags=re.S)
            if see_also_style:
                html = re.sub(r'<p class="see-also-line">(.*?)</p>', lambda m: _styled(see_also_style, f"<p>{m[1]}</p>"),
                              html, flags=re.S)
            parts.append(html)
    return '<!DOCTYPE html>\n<html><head><meta charset="utf-8"/></head><body>\n' + "\n".join(parts) + "\n</body></html>\n"


# --- writer ------------------------------------------------------------------------------------------------

def write_docx(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.docx atomically."""
    settings = language_settings(load_docx_styles(styles), book.config.language)
    quote_name = settings["styles"][settings["quote_style"]]["name"]
    see_also_name = (settings["styles"].get(SEE_ALSO_STYLE) or {}).get("name")
    config = book.config
    meta = {"title": config.title, "lang": settings.get("language", "zh-TW")}
    w = words(config)
    if config.subtitle:
        meta["subtitle"] = config.subtitle
    if config.editors or config.authors:
        meta["author"] = "、".join(config.editors or config.authors) + "　" + (w["edited"] if config.editors else w["written"])
    if config.date:
        meta["date"] = str(config.date)
    pandoc = bundled_pandoc()
    with scratch_dir("docx") as tmp:
        reference = build_reference_docx(book, settings, Path(tmp) / "reference.docx", pandoc)
        args = [*RTS, "--quiet", f"--reference-doc={reference}"]
        args += [f"--metadata={key}:{value}" for key, value in meta.items()]
        with atomic_output(target) as out:
            try:
                pypandoc.convert_text(docx_html(book, quote_name, see_also_name), "docx", format=READER,
                                      outputfile=str(out), extra_args=args, sandbox=True)
            except (RuntimeError, OSError) as exc:
                raise BuildError("build.pandoc-failed", reason=exc) from None
            try:
                finish_docx(out, book, [CONTENTS_STYLES["category"], CONTENTS_STYLES["entry"]],
                            (see_also_name,) if see_also_name else ())
            except (zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
                raise BuildError("build.pandoc-output", reason=exc) from None
    return target
