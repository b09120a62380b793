"""Editions: book.yaml `editions:` and `conversion:`, and load_editions → one Book per edition.

A manuscript is written in one script; each item of `editions:` asks for the same book in the other script
(`{language: zh-Hant-TW, slug: book-tw}`), with optional overrides of its title and metadata. An edition is
loaded by the same loader as the manuscript, with every source text converted as it is read (load/text.py
asks `active()`), so its entries, locations and checks are those of the manuscript, in the other script.
"""

from __future__ import annotations

import os
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

from .. import messages as msg
from ..diagnostics import Diagnostic
from ..lang import LANGUAGES, known, profile

# What an edition may set besides language and slug (in the edition's own script).
EDITION_KEYS = {"language", "slug", "title", "subtitle", "authors", "editors", "publisher", "date", "edition",
                "isbn", "identifier", "index", "epub", "print"}
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Every name the writers give a book's outputs in dist/, after its slug (api.SUFFIX, the conversion report
# api.conversion_report_path, Ace's reports a11y.reports_dir), and the page map writers/output.map_path.
OUTPUT_SUFFIXES = (".pdf", "-print.pdf", "-cover.pdf", ".epub", ".docx", "-conversion.txt", "-ace")


def output_names(slug: str) -> dict[str, str]:
    """The names of a slug's outputs in dist/, each under its case-folded form (a clash on a case-blind disk too)."""
    names = [slug + suffix for suffix in OUTPUT_SUFFIXES] + [f".{slug}.pages.json"]
    return {name.casefold(): name for name in names}


@dataclass(frozen=True)
class EditionSpec:
    """One declared edition: its language, slug and the book.yaml values it overrides."""

    language: str
    slug: str
    overrides: tuple = ()   # ((key, value), ...)
    line: int = 1


_ACTIVE: ContextVar = ContextVar("kwbook_edition", default=None)


def active():
    """(Converter, EditionSpec) while an edition is being loaded, else None."""
    return _ACTIVE.get()


def parse_editions(value, language: str, slug: str, path: Path, line: int, diags: list[Diagnostic]) -> list[EditionSpec]:
    """book.yaml `editions:` checked: each a mapping with a language of the other script and a new slug."""
    if value is None:
        return []
    if not isinstance(value, list):
        diags.append(msg.error("config-type", path, line, msgid="config-type/editions"))
        return []
    out: list[EditionSpec] = []
    slugs = {slug}
    taken = output_names(slug)  # an edition's outputs must not overwrite the manuscript's or another edition's
    script = profile(language).script
    for n, item in enumerate(value, 1):
        at = line + n
        if not isinstance(item, dict) or not item.get("language") or not item.get("slug"):
            diags.append(msg.error("config-type", path, at, msgid="config-type/editions"))
            continue
        lang, eslug = str(item["language"]), str(item["slug"])
        if not known(lang) or profile(lang).script == script:
            choices = "、".join(t for t in LANGUAGES if profile(t).script != script)
            diags.append(msg.error("config-edition", path, at, msgid="config-edition/language", n=n, value=lang, choices=choices))
            continue
        if not _SLUG.match(eslug) or eslug in slugs:
            diags.append(msg.error("config-edition", path, at, msgid="config-edition/slug", n=n, slug=eslug))
            continue
        clash = sorted(set(output_names(eslug)) & set(taken))
        if clash:  # {slug: book-print} would write book-print.pdf, the manuscript's press PDF
            diags.append(msg.error("config-edition", path, at, msgid="config-edition/slug-clash", n=n, slug=eslug,
                                   name=output_names(eslug)[clash[0]], other=taken[clash[0]]))
            continue
        for key in item:
            if key not in EDITION_KEYS:
                diags.append(msg.error("config-edition", path, at, msgid="config-edition/key", n=n, key=key))
        slugs.add(eslug)
        taken.update(output_names(eslug))
        overrides = tuple((k, v) for k, v in item.items() if k in EDITION_KEYS and k not in ("language", "slug"))
        out.append(EditionSpec(lang, eslug, overrides, at))
    return out


def parse_conversion(value, manuscript: Path, path: Path, line: int, diags: list[Diagnostic]) -> dict[str, str]:
    """book.yaml `conversion:` — phrase → converted phrase, inline or in a YAML file beside book.yaml."""
    from ..conversion import check_phrases
    from .files import inside
    from .text import read_source
    from .yamlnode import load_mapping

    if value is None:
        return {}
    if isinstance(value, str):
        file = manuscript / value
        if os.path.isabs(value) or value.startswith("~") or not inside(file, manuscript):  # links followed
            diags.append(msg.error("config-conversion", path, line, msgid="config-conversion/outside", file=value))
            return {}  # refused unread, like a `front:` item outside (load/files.py)
        text, file_diags = read_source(file) if file.is_file() else (None, [msg.error("config-conversion", path, line, problems=value)])
        if text is None:
            diags.extend(file_diags)
            return {}
        value, _, file_diags = load_mapping(text, file)
        diags.extend(file_diags)
        if value is None:
            return {}
    if not isinstance(value, dict):
        diags.append(msg.error("config-conversion", path, line, problems=str(value)[:40]))
        return {}
    phrases = {str(k): v for k, v in value.items()}
    problems = check_phrases(phrases)
    if problems:
        diags.append(msg.error("config-conversion", path, line, problems="、".join(problems)))
        return {}
    return phrases


TEXT_KEYS = ("title", "subtitle", "authors", "editors", "publisher", "edition", "report", "sections", "categories")


def _converted(value, convert):
    """Strings in a book.yaml value converted; category folders (file names) are kept."""
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_converted(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "folder" else _converted(v, convert) for k, v in value.items()}
    return value


def edition_data(data: dict, spec: EditionSpec, converter, path: Path, lines: dict[str, int]) -> dict:
    """The book.yaml values of an edition: the manuscript's text values converted, its language, slug, overrides.

    File names (front, conversion, category folders) stay as they are. The manuscript's ISBNs and identifier
    belong to the manuscript's edition: an edition without its own gets none, and an identifier derived from
    the manuscript's and its slug.
    """
    out = {k: v for k, v in data.items() if k not in ("editions", "isbn", "identifier")}
    for key in TEXT_KEYS:
        if key in out:
            line = lines.get(key, 1)
            out[key] = _converted(out[key], lambda text: converter.convert_line(text, path, line))
    out["language"], out["slug"] = spec.language, spec.slug
    if data.get("identifier"):
        out["identifier"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(data['identifier']) + '#' + spec.slug)}"
    out.update(dict(spec.overrides))
    return out


def load_editions(manuscript: Path):
    """[the manuscript's Book, then one converted Book per edition], and every diagnostic.

    The list is empty when the manuscript has an error; an edition with an error is left out, its diagnostics
    returned. Each converted Book carries its decisions (Book.conversion) for the conversion report.
    """
    from ..conversion import Converter
    from . import BOOK_FILE, load_book
    from .config import load_settings

    manuscript = Path(manuscript).resolve()
    book, diags = load_book(manuscript)
    if book is None:
        return [], diags
    settings, _ = load_settings(manuscript / BOOK_FILE)
    books = [book]
    for spec in settings.editions:
        converter = Converter(book.config.language, spec.language, settings.conversion)
        token = _ACTIVE.set((converter, spec))
        try:
            edition, edition_diags = load_book(manuscript)
        finally:
            _ACTIVE.reset(token)
        errors = [d for d in edition_diags if d.severity == "error"]
        if edition is None:
            diags += errors
            continue
        books.append(replace(edition, conversion=tuple(converter.decisions), source_language=book.config.language))
    return books, diags
