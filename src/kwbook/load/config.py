"""Read book.yaml into a BookConfig plus the declared categories and front matter."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import messages as msg, printcond
from ..lang import LANGUAGES, known, profile
from ..diagnostics import Diagnostic
from ..model import BookConfig, EpubSettings, PrintSettings, Report, Trim
from .editions import EditionSpec, active, edition_data, parse_conversion, parse_editions
from .files import check_icc
from .text import read_source
from .yamlnode import load_mapping

KNOWN_KEYS = {
    "title", "subtitle", "authors", "editors", "publisher", "language", "slug", "date", "isbn", "trim",
    "report", "sections", "categories", "planned_entries", "front", "identifier", "lint",
    "edition", "entry_start", "index", "print", "epub", "editions", "conversion", "typography",
}
REQUIRED = ("title", "slug", "language", "report", "categories", "planned_entries")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SLUG_LIMIT = 200  # bytes: the longest file name made from a slug adds about 45 to it, a file name has 255
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$")
_EM = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*em\s*$")
SPACING_RANGE = (0.0, 1.0)      # typography.latin_spacing, em
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Documented in docs/security.md and manuscript.md: a page outside these bounds is a typing error.
TRIM_RANGE = (50.0, 1000.0)     # trim width and height, mm
BLEED_RANGE = (0.0, 20.0)       # bleed, mm
PAPER_RANGE = (0.02, 1.0)       # paper thickness, mm (it sets the cover's spine width)


@dataclass(frozen=True)
class DeclaredCategory:
    title: str
    folder: str
    line: int


@dataclass
class Settings:
    """What book.yaml declares; config is None when it is unusable."""

    path: Path
    config: BookConfig | None = None
    categories: list[DeclaredCategory] = field(default_factory=list)
    front: list[tuple[str, int]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    editions: list[EditionSpec] = field(default_factory=list)
    conversion: dict[str, str] = field(default_factory=dict)


def slug_ok(slug: str) -> bool:
    """Whether slug passes book.yaml's rules (config-slug): the allowed characters, and short enough for a file name."""
    return bool(_SLUG.match(slug)) and len(slug.encode("utf-8")) <= SLUG_LIMIT


def _plain_folder(folder: str) -> bool:
    """A category folder is one folder of entries/: a name, not a path (no / or \\, not . or .., not empty)."""
    return folder not in ("", ".", "..") and not any(sep in folder for sep in "/\\") and not os.path.isabs(folder)


def _strings(value, key: str, path: Path, line: int, diags: list[Diagnostic]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    diags.append(msg.error("config-type", path, line, msgid="config-type/strings", key=key))
    return ()


def _mm(value, key: str, default: float, path: Path, line: int, diags: list[Diagnostic]) -> float:
    if value is None:
        return default
    if isinstance(value, (int, float)) and value > 0:
        return float(value)
    m = _MM.match(str(value))
    if m:
        return float(m.group(1))
    diags.append(msg.error("config-type", path, line, msgid="config-type/length", key=key))
    return default


def _in_range(value: float, key: str, bounds: tuple[float, float], path: Path, line: int, diags: list[Diagnostic]) -> float:
    low, high = bounds
    if not low <= value <= high:
        diags.append(msg.error("config-range", path, line, key=key, value=f"{value:g}", low=f"{low:g}", high=f"{high:g}"))
    return value


def _date(value, path: Path, line: int, diags: list[Diagnostic]) -> str:
    """book.yaml `date`: a YAML date, or a string YYYY, YYYY-MM or YYYY-MM-DD naming a real day."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    m = _DATE.match(value.strip()) if isinstance(value, str) else None
    if m:
        try:
            dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
            return value.strip()
        except ValueError:
            pass
    diags.append(msg.error("config-type", path, line, msgid="config-type/date", value=str(value)[:40]))
    return ""


def _print_settings(value, path: Path, line: int, diags: list[Diagnostic]) -> PrintSettings:
    """book.yaml `print:` — bleed, icc_profile, condition, signature, paper_thickness (all optional)."""
    default = PrintSettings()
    if value is None:
        return default
    if not isinstance(value, dict):
        diags.append(msg.error("config-type", path, line, msgid="config-type/print"))
        return default
    signature = value.get("signature", default.signature)
    if not isinstance(signature, int) or isinstance(signature, bool) or signature < 1:
        diags.append(msg.error("config-type", path, line, msgid="config-type/signature"))
        signature = default.signature
    profile, problem = check_icc(str(value.get("icc_profile") or default.icc_profile), path, line)
    condition = str(value.get("condition") or default.condition)
    if problem is not None:
        diags.append(problem)
    elif condition not in printcond.CONDITIONS:
        diags.append(msg.error("config-condition", path, line, condition=condition,
                               known="、".join(printcond.CONDITIONS)))
    else:
        data = printcond.read_profile(profile)
        description = printcond.profile_description(data)
        if not printcond.is_cmyk_profile(data) or not printcond.profile_matches(condition, description):
            diags.append(msg.error("config-icc-condition", path, line, profile=profile,
                                   description=description or "?", condition=condition))
    return PrintSettings(
        bleed=_in_range(_mm(value.get("bleed"), "bleed", default.bleed, path, line, diags), "bleed", BLEED_RANGE, path, line, diags),
        icc_profile=profile,
        signature=signature,
        paper_thickness=_in_range(_mm(value.get("paper_thickness"), "paper_thickness", default.paper_thickness, path, line, diags),
                                  "paper_thickness", PAPER_RANGE, path, line, diags),
        condition=condition,
    )


EPUB_CHOICES = {"font_format": ("woff2", "otf"), "writing_mode": ("horizontal", "vertical")}
EPUB_FLAGS = ("embed_fonts", "page_list")


def _epub_settings(value, path: Path, line: int, diags: list[Diagnostic]) -> EpubSettings:
    """book.yaml `epub:` — embed_fonts, font_format, writing_mode, page_list (all optional)."""
    default = EpubSettings()
    if value is None:
        return default
    if not isinstance(value, dict):
        diags.append(msg.error("config-type", path, line, msgid="config-type/epub"))
        return default
    found = {}
    for key, item in value.items():
        if key in EPUB_FLAGS:
            if isinstance(item, bool):
                found[key] = item
            else:
                diags.append(msg.error("config-type", path, line, msgid="config-type/epub-flag", key=key))
        elif key in EPUB_CHOICES:
            if item in EPUB_CHOICES[key]:
                found[key] = item
            else:
                choices = "、".join(EPUB_CHOICES[key])
                diags.append(msg.error("config-type", path, line, msgid="config-type/epub-choice", key=key, value=item, choices=choices))
        else:
            diags.append(msg.warning("config-unknown-key", path, line, key=f"epub.{key}"))
    return EpubSettings(**found)


def _latin_spacing(value, path: Path, line: int, diags: list[Diagnostic]) -> float:
    """book.yaml `typography: {latin_spacing: 0.25em}`: em between Han and Latin/digits, 0 switches it off."""
    default = 0.25
    if value is None:
        return default
    if not isinstance(value, dict):
        diags.append(msg.error("config-type", path, line, msgid="config-type/typography"))
        return default
    for key in value:
        if key != "latin_spacing":
            diags.append(msg.warning("config-unknown-key", path, line, key=f"typography.{key}"))
    item = value.get("latin_spacing", default)
    if item in (0, "0") and not isinstance(item, bool):
        return 0.0
    match = _EM.match(item) if isinstance(item, str) else None
    amount = float(match.group(1)) if match else None
    if amount is None or not SPACING_RANGE[0] <= amount <= SPACING_RANGE[1]:
        diags.append(msg.error("config-type", path, line, msgid="config-type/latin-spacing", value=item))
        return default
    return amount


def load_settings(path: Path) -> tuple[Settings, list[Diagnostic]]:
    """Parse and check book.yaml; every problem is returned, none raised."""
    settings = Settings(path=path)
    if not path.is_file():
        return settings, [msg.error("book-missing", path)]
    text, diags = read_source(path)
    if text is None:
        return settings, diags
    data, lines, diags = load_mapping(text, path)
    if data is None:
        return settings, diags
    settings.lines = lines
    edition = active()
    if edition is not None:  # an edition: its language, slug and overrides on the converted values
        data = edition_data(data, edition[1], edition[0], path, lines)

    def at(key: str) -> int:
        return lines.get(key, 1)

    for key in data:
        if key not in KNOWN_KEYS:
            diags.append(msg.warning("config-unknown-key", path, at(key), key=key))
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            diags.append(msg.error("config-missing-key", path, at(key), key=key))

    title = data.get("title")
    if title is not None and not isinstance(title, str):
        diags.append(msg.error("config-type", path, at("title"), msgid="config-type/title"))
    slug = str(data.get("slug") or "")
    if slug and not _SLUG.match(slug):
        diags.append(msg.error("config-slug", path, at("slug"), slug=slug))
    elif len(slug.encode("utf-8")) > SLUG_LIMIT:  # dist/.<slug>-print.pdf.kwbook-<pid>-….part must fit in 255 bytes
        diags.append(msg.error("config-slug", path, at("slug"), msgid="config-slug/long", length=len(slug), limit=SLUG_LIMIT))

    report = data.get("report")
    report_obj = Report(full="", short="")
    if isinstance(report, dict) and report.get("full") and report.get("short"):
        report_obj = Report(full=str(report["full"]), short=str(report["short"]))
    elif isinstance(report, str) and report:
        report_obj = Report(full=report, short=report)
    elif report is not None:
        diags.append(msg.error("config-type", path, at("report"), msgid="config-type/report"))

    language = str(data.get("language") or "")
    if language and not known(language):
        diags.append(msg.error("config-language", path, at("language"), value=language, choices="、".join(LANGUAGES)))
    lang = profile(language)
    sections = data.get("sections")
    section_titles: tuple[str, ...] = lang.sections  # 概念内涵 … for zh-Hans, 概念內涵 … for zh-Hant
    if sections is not None:
        section_titles = _strings(sections, "sections", path, at("sections"), diags)
        if section_titles and len(set(section_titles)) != len(section_titles):
            diags.append(msg.error("config-sections", path, at("sections")))

    cats = data.get("categories")
    if cats is not None:
        if not isinstance(cats, list):
            diags.append(msg.error("config-type", path, at("categories"), msgid="config-type/categories"))
        else:
            seen: set[str] = set()
            for i, cat in enumerate(cats):
                line = at("categories") + 1 + i
                if not (isinstance(cat, dict) and isinstance(cat.get("title"), str) and isinstance(cat.get("folder"), str)):
                    diags.append(msg.error("config-type", path, line, msgid="config-type/category", n=i + 1))
                    continue
                if not _plain_folder(cat["folder"]):  # `kwbook new` and import write into entries/<folder>/
                    diags.append(msg.error("config-category-folder", path, line, folder=cat["folder"]))
                    continue
                if cat["folder"] in seen:
                    diags.append(msg.error("config-category-duplicate", path, line, folder=cat["folder"]))
                seen.add(cat["folder"])
                settings.categories.append(DeclaredCategory(cat["title"], cat["folder"], line))

    planned = data.get("planned_entries")
    if planned is not None and (not isinstance(planned, int) or isinstance(planned, bool) or planned < 0):
        diags.append(msg.error("config-type", path, at("planned_entries"), msgid="config-type/planned"))
        planned = None

    front = data.get("front") or []
    for i, rel in enumerate(_strings(front, "front", path, at("front"), diags)):
        settings.front.append((rel, lines.get(f"front[{i}]", at("front"))))

    trim = data.get("trim") or {}
    if isinstance(trim, str):
        parts = re.split(r"\s*[x×*]\s*", trim)
        trim = dict(zip(("width", "height"), parts)) if len(parts) == 2 else {"width": trim}
    if not isinstance(trim, dict):
        diags.append(msg.error("config-type", path, at("trim"), msgid="config-type/trim"))
        trim = {}
    trim_obj = Trim(
        width=_in_range(_mm(trim.get("width"), "width", 185.0, path, at("trim"), diags), "trim.width", TRIM_RANGE, path, at("trim"), diags),
        height=_in_range(_mm(trim.get("height"), "height", 260.0, path, at("trim"), diags), "trim.height", TRIM_RANGE, path, at("trim"), diags),
    )
    date = _date(data.get("date"), path, at("date"), diags)

    isbn = data.get("isbn") or {}
    if isinstance(isbn, (str, int)):
        isbn = {"all": str(isbn)}
    if not isinstance(isbn, dict):
        diags.append(msg.error("config-type", path, at("isbn"), msgid="config-type/isbn"))
        isbn = {}

    entry_start = str(data.get("entry_start") or "page")
    if entry_start not in ("page", "right"):
        diags.append(msg.error("config-type", path, at("entry_start"), msgid="config-type/entry-start"))
    index = data.get("index") or {}
    index_sort = str(index.get("sort", lang.index_sort)) if isinstance(index, dict) else ""
    if index_sort not in ("strokes", "pinyin"):
        diags.append(msg.error("config-type", path, at("index"), msgid="config-type/index-sort"))
    if known(language):  # with an unknown language, which script an edition should be in is unknown too
        settings.editions = parse_editions(data.get("editions"), language, slug, path, at("editions"), diags)
    settings.conversion = parse_conversion(data.get("conversion"), path.parent, path, at("conversion"), diags)
    print_settings = _print_settings(data.get("print"), path, at("print"), diags)
    epub_settings = _epub_settings(data.get("epub"), path, at("epub"), diags)
    latin_spacing = _latin_spacing(data.get("typography"), path, at("typography"), diags)

    if any(d.severity == "error" for d in diags):
        return settings, diags
    settings.config = BookConfig(
        title=title,
        subtitle=str(data.get("subtitle") or ""),
        slug=slug,
        language=language,
        report=report_obj,
        sections=section_titles,
        planned_entries=int(planned or 0),
        authors=_strings(data.get("authors"), "authors", path, at("authors"), diags),
        editors=_strings(data.get("editors"), "editors", path, at("editors"), diags),
        publisher=str(data.get("publisher") or ""),
        date=date,
        isbn={str(k): str(v) for k, v in isbn.items()},
        trim=trim_obj,
        identifier=str(data.get("identifier") or ""),
        edition=str(data.get("edition") or ""),
        entry_start=entry_start,
        index_sort=index_sort,
        print=print_settings,
        epub=epub_settings,
        latin_spacing=latin_spacing,
    )
    return settings, diags
