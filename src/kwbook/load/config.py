"""Read book.yaml into a BookConfig plus the declared categories and front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..model import BookConfig, Report, Trim
from .text import read_source
from .yamlnode import load_mapping

KNOWN_KEYS = {
    "title", "subtitle", "authors", "editors", "publisher", "language", "slug", "date", "isbn", "trim",
    "report", "sections", "categories", "planned_entries", "front", "identifier",
}
REQUIRED = ("title", "slug", "language", "report", "sections", "categories", "planned_entries")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$")


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


def _strings(value, key: str, path: Path, line: int, diags: list[Diagnostic]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    diags.append(error("config-type", f"「{key}」必須是字串或字串清單", path, line))
    return ()


def _mm(value, key: str, default: float, path: Path, line: int, diags: list[Diagnostic]) -> float:
    if value is None:
        return default
    if isinstance(value, (int, float)) and value > 0:
        return float(value)
    m = _MM.match(str(value))
    if m:
        return float(m.group(1))
    diags.append(error("config-type", f"「trim.{key}」必須是以毫米為單位的長度，例如 185mm", path, line))
    return default


def load_settings(path: Path) -> tuple[Settings, list[Diagnostic]]:
    """Parse and check book.yaml; every problem is returned, none raised."""
    settings = Settings(path=path)
    if not path.is_file():
        return settings, [error("book-missing", "找不到 book.yaml（書稿設定檔）", path)]
    text, diags = read_source(path)
    if text is None:
        return settings, diags
    data, lines, diags = load_mapping(text, path)
    if data is None:
        return settings, diags
    settings.lines = lines

    def at(key: str) -> int:
        return lines.get(key, 1)

    for key in data:
        if key not in KNOWN_KEYS:
            diags.append(warning("config-unknown-key", f"未知的設定「{key}」，將被忽略", path, at(key)))
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            diags.append(error("config-missing-key", f"book.yaml 缺少必填設定「{key}」", path, at(key)))

    title = data.get("title")
    if title is not None and not isinstance(title, str):
        diags.append(error("config-type", "「title」必須是字串", path, at("title")))
    slug = str(data.get("slug") or "")
    if slug and not _SLUG.match(slug):
        diags.append(error("config-slug", f"「slug」只能用英文字母、數字、點、底線和連字號：{slug}", path, at("slug")))

    report = data.get("report")
    report_obj = Report(full="", short="")
    if isinstance(report, dict) and report.get("full") and report.get("short"):
        report_obj = Report(full=str(report["full"]), short=str(report["short"]))
    elif isinstance(report, str) and report:
        report_obj = Report(full=report, short=report)
    elif report is not None:
        diags.append(error("config-type", "「report」需要 full（全稱）與 short（簡稱），例如 short: 《報告》", path, at("report")))

    sections = data.get("sections")
    section_titles: tuple[str, ...] = ()
    if sections is not None:
        section_titles = _strings(sections, "sections", path, at("sections"), diags)
        if section_titles and len(set(section_titles)) != len(section_titles):
            diags.append(error("config-sections", "「sections」中有重複的章節標題", path, at("sections")))

    cats = data.get("categories")
    if cats is not None:
        if not isinstance(cats, list):
            diags.append(error("config-type", "「categories」必須是清單，每項有 title 與 folder", path, at("categories")))
        else:
            seen: set[str] = set()
            for i, cat in enumerate(cats):
                line = at("categories") + 1 + i
                if not (isinstance(cat, dict) and isinstance(cat.get("title"), str) and isinstance(cat.get("folder"), str)):
                    diags.append(error("config-type", f"第 {i + 1} 個分類必須有 title（如 脫貧類）與 folder（資料夾名）", path, line))
                    continue
                if cat["folder"] in seen:
                    diags.append(error("config-category-duplicate", f"分類資料夾「{cat['folder']}」重複宣告", path, line))
                seen.add(cat["folder"])
                settings.categories.append(DeclaredCategory(cat["title"], cat["folder"], line))

    planned = data.get("planned_entries")
    if planned is not None and (not isinstance(planned, int) or isinstance(planned, bool) or planned < 0):
        diags.append(error("config-type", "「planned_entries」必須是非負整數", path, at("planned_entries")))
        planned = None

    front = data.get("front") or []
    for rel in _strings(front, "front", path, at("front"), diags):
        settings.front.append((rel, at("front")))

    trim = data.get("trim") or {}
    if isinstance(trim, str):
        parts = re.split(r"\s*[x×*]\s*", trim)
        trim = dict(zip(("width", "height"), parts)) if len(parts) == 2 else {"width": trim}
    if not isinstance(trim, dict):
        diags.append(error("config-type", "「trim」必須有 width 與 height，例如 185mm × 260mm", path, at("trim")))
        trim = {}
    trim_obj = Trim(
        width=_mm(trim.get("width"), "width", 185.0, path, at("trim"), diags),
        height=_mm(trim.get("height"), "height", 260.0, path, at("trim"), diags),
    )

    isbn = data.get("isbn") or {}
    if isinstance(isbn, (str, int)):
        isbn = {"all": str(isbn)}
    if not isinstance(isbn, dict):
        diags.append(error("config-type", "「isbn」必須是字串，或依格式分列（pdf、epub …）", path, at("isbn")))
        isbn = {}

    if any(d.severity == "error" for d in diags):
        return settings, diags
    settings.config = BookConfig(
        title=title,
        subtitle=str(data.get("subtitle") or ""),
        slug=slug,
        language=str(data.get("language")),
        report=report_obj,
        sections=section_titles,
        planned_entries=int(planned or 0),
        authors=_strings(data.get("authors"), "authors", path, at("authors"), diags),
        editors=_strings(data.get("editors"), "editors", path, at("editors"), diags),
        publisher=str(data.get("publisher") or ""),
        date=str(data.get("date") or ""),
        isbn={str(k): str(v) for k, v in isbn.items()},
        trim=trim_obj,
        identifier=str(data.get("identifier") or ""),
    )
    return settings, diags
