"""`kwbook import`: a contributor's raw text (a web copy, a DOCX) → an entry skeleton and an import report.

A text in the other script than the book's (Simplified for a zh-Hant book, or the reverse) is converted first
(kwbook.conversion: OpenCC s2tw / tw2s and kwbook's phrases); the report lists each one-to-many decision and
keeps the whole original text.

The importer recognises the category tag (【關鍵詞解讀】脫貧類:東西部扶貧協作), the keyword title, the report
quote (《…報告》指出:「…」) and section markers (概念內涵 …). Paragraphs it cannot assign go under
`## 未歸類` (`## 未归类` in a zh-Hans book), which `check` reports line by line (unassigned-content). It never drops a character: every line
that is not in the entry is copied verbatim into the report, with its line number and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..conversion import Converter, detect_script
from ..lang import profile
from ..load.config import DeclaredCategory
from ..messages import render
from ..validate.entry import unassigned_title
from . import hanzi
from .residue import is_residue, is_tail_marker

_TAG = re.compile(r"^【(?:關鍵詞解讀|关键词解读)】\s*(?P<cat>[^:：]{1,16}?)\s*[:：]\s*(?P<kw>\S.*?)\s*$")
_HINT = re.compile(r"^#\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)$")
_QUOTE = re.compile(
    r"^(?P<lead>.{0,20}?《[^《》]*(?:報告|报告)》\s*(?:中)?(?:指出|提出|強調|强调)\s*[:：，,]?\s*)"
    r"[「“\"](?P<quote>.+)[」”\"]\s*[。.]?\s*$"
)
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])\s*")
_MARKER_BRACKETS = "【】[]〔〕「」"
_SENTENCE_PUNCT = set("。，,；;：:、！？!?")


def _has_cjk(text: str) -> bool:
    return any(hanzi.is_ideograph(ch) for ch in text)


def _traditional(text: str) -> str:
    return hanzi._converter("s2tw").convert(text)


@dataclass
class Kept:
    """A source line left out of the entry: its number, the reason (a message id) and its text, verbatim."""

    line: int
    reason: str
    text: str


@dataclass
class Analysis:
    keyword: str = ""
    keyword_how: tuple[str, int] = ("how.file", 0)
    category: DeclaredCategory | None = None
    quote: str = ""
    quote_line: int = 0
    unassigned: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return len(self.unassigned) + sum(len(v) for v in self.sections.values())


def find_category(name: str, categories: list[DeclaredCategory]) -> DeclaredCategory | None:
    """A declared category by title or folder; a simplified title (脱贫类) matches its Traditional form."""
    name = name.strip()
    for cat in categories:
        if name in (cat.title, cat.folder) or _traditional(name) == cat.title:
            return cat
    return None


def _section_marker(text: str, titles: tuple[str, ...]) -> tuple[str, str] | None:
    """(section title, the text after the marker) when the paragraph starts with a section marker."""
    stripped = _NUMBERING.sub("", text.lstrip("#").strip())
    bare = stripped.lstrip(_MARKER_BRACKETS + " ")
    for title in titles:
        for form in {title, _traditional(title)}:
            for candidate in (bare, _traditional(bare)):
                if candidate.startswith(form):
                    rest = candidate[len(form):]
                    rest_original = bare[len(form):]
                    if rest.strip(_MARKER_BRACKETS + "：: ") == "" or rest[:1] in "】]〕」：:":
                        return title, rest_original.lstrip(_MARKER_BRACKETS + "：: ").strip()
    return None


def _title_like(text: str) -> bool:
    return (0 < len(text) <= 20 and _has_cjk(text) and not (_SENTENCE_PUNCT & set(text))
            and not text.startswith(("[", "【")) and not is_residue(text))


_PAIRS = {"“": "”", "「": "」", "『": "』", "《": "》", '"': '"', "'": "'"}


def _bare_title(text: str) -> str:
    """The title without one pair of quotes around it (“六個精準” → 六個精準)."""
    text = text.strip()
    if len(text) > 2 and _PAIRS.get(text[0]) == text[-1] and text[-1] not in text[1:-1]:
        return text[1:-1].strip()
    return text


def analyse(lines: list[tuple[int, str]], titles: tuple[str, ...], categories: list[DeclaredCategory],
            fallback_keyword: str) -> Analysis:
    """Sort every line of the source into the entry or the report."""
    result = Analysis(sections={t: [] for t in titles})
    items = [(n, text.strip()) for n, text in lines if text.strip()]
    start = 0
    tag = next((i for i, (_, t) in enumerate(items) if _TAG.match(t)), None)
    if tag is not None:
        m = _TAG.match(items[tag][1])
        result.keyword, result.keyword_how = m.group("kw"), ("how.tag", items[tag][0])
        result.category = find_category(m.group("cat"), categories)
        result.kept += [Kept(n, "reason.preamble", t) for n, t in items[:tag]]
        result.kept.append(Kept(items[tag][0], "reason.tag", items[tag][1]))
        start = tag + 1
    for n, t in items[start:]:
        hint = _HINT.match(t)
        if hint and hint.group("key").lower() == "keyword" and not result.keyword:
            value = re.split(r"\s+[(（]|\s*[;；]", hint.group("value").strip())[0]
            result.keyword, result.keyword_how = _bare_title(value), ("how.hint", n)
    if not result.keyword:
        for n, t in items[start:]:
            if not _HINT.match(t) and _title_like(_bare_title(t)) and not _section_marker(t, titles):
                result.keyword, result.keyword_how = _bare_title(t), ("how.title", n)
                break
    if not result.keyword:
        result.keyword = fallback_keyword
    is_title = [_bare_title(t) == _bare_title(result.keyword) for _, t in items]
    if tag is not None:
        first_title = next((i for i in range(start, len(items)) if is_title[i]), None)
        if first_title is not None:
            result.kept += [Kept(n, "reason.intro", t) for n, t in items[start:first_title]]
            start = first_title
    current: str | None = None
    tail = False
    for i in range(start, len(items)):
        n, t = items[i]
        if tail:
            result.kept.append(Kept(n, "reason.tail", t))
            continue
        if _HINT.match(t):
            result.kept.append(Kept(n, "reason.meta", t))
            continue
        if is_title[i]:
            result.kept.append(Kept(n, "reason.title", t))
            continue
        if is_tail_marker(t) and result.placed:
            tail = True
            result.kept.append(Kept(n, "reason.tail", t))
            continue
        if is_residue(t):
            result.kept.append(Kept(n, "reason.residue", t))
            continue
        if not _has_cjk(t):
            result.kept.append(Kept(n, "reason.foreign", t))
            continue
        q = _QUOTE.match(t)
        if q and not result.quote:
            result.quote, result.quote_line = q.group("quote").strip(), n
            result.kept.append(Kept(n, "reason.quote", t))
            continue
        marker = _section_marker(t, titles)
        if marker:
            current, rest = marker
            result.kept.append(Kept(n, "reason.marker", t))
            if rest:
                result.sections[current].append(rest)
            continue
        (result.sections[current] if current else result.unassigned).append(t)
    result.kept.sort(key=lambda k: k.line)
    return result


def _markdown_paragraph(text: str) -> str:
    """A raw paragraph as Markdown text: a leading # or > (or a rule of - = *) is escaped, nothing dropped."""
    if re.match(r"^(#|>|[-=*_]{3,}\s*$)", text):
        return "\\" + text
    return text


def render_entry(result: Analysis, titles: tuple[str, ...], language: str | None = None) -> str:
    meta = yaml.safe_dump({"keyword": result.keyword, "quote": result.quote}, allow_unicode=True,
                          sort_keys=False, width=1_000_000)
    parts = [f"---\n{meta}---\n"]
    if result.unassigned:
        parts.append(f"## {unassigned_title(language)}\n\n" + "\n\n".join(map(_markdown_paragraph, result.unassigned)) + "\n")
    for title in titles:
        body = "\n\n".join(map(_markdown_paragraph, result.sections.get(title, [])))
        parts.append(f"## {title}\n\n" + (body + "\n" if body else ""))
    return "\n".join(parts)


def render_report(result: Analysis, source: Path, entry: Path, lang: str | None = None) -> str:
    how_id, how_line = result.keyword_how
    lines = [
        render("report.title", lang),
        render("report.source", lang, path=source),
        render("report.entry", lang, path=entry),
        render("report.keyword", lang, keyword=result.keyword, how=render(how_id, lang, line=how_line)),
        render("report.category", lang, category=f"{result.category.title} → {result.category.folder}")
        if result.category else render("report.category-none", lang),
        render("report.quote", lang, line=result.quote_line) if result.quote else render("report.quote-none", lang),
        render("report.placed", lang, placed=result.placed, unassigned=len(result.unassigned)),
        "",
        render("report.kept", lang),
    ]
    width = len(str(max((k.line for k in result.kept), default=1)))
    for k in result.kept:
        lines.append(f"{k.line:>{width}} [{render(k.reason, lang)}] {k.text}")
    if not result.kept:
        lines.append(render("report.nothing", lang))
    return "\n".join(lines) + "\n"


@dataclass
class Imported:
    """What import_file did: the entry and report paths, or the message id / text of why it could not."""

    source: Path
    entry: Path | None = None
    report: Path | None = None
    analysis: Analysis | None = None
    problem: str = ""


def converted_report(original: list[tuple[int, str]], converter, lang: str | None = None) -> str:
    """The report's part for a converted import: the decisions, then the whole source as it was."""
    from ..conversion.report import rule_text

    lines = ["", render("report.converted", lang, source=converter.source, target=converter.target,
                        config=converter.config, count=len(converter.decisions))]
    for d in converter.decisions:
        lines.append(f"{d.line}:{d.col}  {d.source} → {d.chosen}  {rule_text(d, lang)}  …{d.context}…")
    lines += ["", render("report.original", lang)]
    width = len(str(max((n for n, _ in original), default=1)))
    lines += [f"{n:>{width}} {t}" for n, t in original]
    return "\n".join(lines) + "\n"


def import_file(source: Path, titles: tuple[str, ...], categories: list[DeclaredCategory], out_dir: Path,
                category: DeclaredCategory | None = None, language: str | None = None) -> Imported:
    """Import one raw file into out_dir/<category folder>/<keyword>.md plus <keyword>.import-report.txt."""
    from .new import entry_filename
    from .rawsource import RawSourceError, read_lines

    source = Path(source)
    try:
        lines = read_lines(source)
    except RawSourceError as exc:
        return Imported(source, problem=str(exc))
    original, converter = lines, None
    script = detect_script("\n".join(t for _, t in lines)) if language else None
    if script and profile(script).script != profile(language).script:
        # a Simplified text for a zh-Hant book (or the reverse): the entry gets the converted text,
        # the report keeps every original line
        converter = Converter(script, language)
        lines = [(n, converter.convert_line(t, source, n)) for n, t in lines]
    result = analyse(lines, titles, categories, source.stem)
    if category is not None:
        result.category = category
    folder = Path(out_dir) / result.category.folder if result.category else Path(out_dir)
    entry = folder / entry_filename(result.keyword)
    if entry.exists():
        return Imported(source, entry=entry, analysis=result, problem="ui.import-exists")
    report = entry.with_name(entry.stem + ".import-report.txt")
    folder.mkdir(parents=True, exist_ok=True)
    entry.write_text(render_entry(result, titles, language), encoding="utf-8")
    text = render_report(result, source, entry)
    if converter is not None:
        text += converted_report(original, converter)
    report.write_text(text, encoding="utf-8")
    return Imported(source, entry, report, result)
