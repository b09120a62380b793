"""Compare what an output shows with the manuscript model and describe the first difference."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Book, Entry
from ..render.html import quote_text
from .found import FoundEntry, squeeze

QUOTE = "引文"
SEE_ALSO = "參見"
_CONTEXT = 12
_BEFORE = 6


@dataclass(frozen=True)
class Difference:
    """The first place an output differs from the manuscript: the entry, the section and what differs."""

    keyword: str
    section: str | None
    message: str
    where: str = ""

    def describe(self) -> str:
        place = f"詞條「{self.keyword}」" + (f"〈{self.section}〉" if self.section else "")
        where = f"（{self.where}）" if self.where else ""
        return f"{place}：{self.message}{where}"


def _snippet(text: str, at: int) -> str:
    """A few characters before `at` and more after it, so the place can be found in the file."""
    start = max(0, at - _BEFORE)
    piece = text[start:at + _CONTEXT]
    if not piece:
        return "（無）"
    return f"「{'…' if start else ''}{piece}{'…' if at + _CONTEXT < len(text) else ''}」"


def text_difference(expected: list[str], found: str) -> str | None:
    """None when the texts agree without whitespace; else where they part: paragraph, character, both texts."""
    want, got = squeeze("".join(expected)), squeeze(found)
    if want == got:
        return None
    at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    paragraph, before = len(expected), 0
    for n, para in enumerate(expected, 1):
        size = len(squeeze(para))
        if at < before + size:
            paragraph = n
            break
        before += size
    where = f"第 {paragraph} 段" if len(expected) > 1 else ""
    if at >= len(got):
        return f"{where or '文字'}起缺少文字：書稿有{_snippet(want, at)}，輸出到此為止"
    if at >= len(want):
        return f"{where or '文字'}之後多出文字{_snippet(got, at)}"
    return f"{where}第 {at - before + 1} 字起不同：書稿{_snippet(want, at)}，輸出{_snippet(got, at)}"


def compare_entry(entry: Entry, found: FoundEntry, book: Book) -> Difference | None:
    """The first difference inside one entry whose keyword matched: category, quote, sections, see-also."""
    categories = {c.folder: c.title for c in book.categories}
    if found.category and squeeze(found.category) != squeeze(categories[entry.category]):
        return Difference(entry.keyword, None, f"應屬「{categories[entry.category]}」，輸出中在「{found.category}」之下",
                          found.where)
    problem = text_difference([quote_text(entry, book.config)], "".join(found.quote))
    if problem:
        return Difference(entry.keyword, QUOTE, problem, found.where)
    for n, section in enumerate(entry.sections):
        if n >= len(found.sections):
            return Difference(entry.keyword, section.title, "輸出中缺少這一節", found.where)
        shown = found.sections[n]
        if squeeze(shown.title) != squeeze(section.title):
            return Difference(entry.keyword, section.title, f"第 {n + 1} 節應為「{section.title}」，輸出中是「{shown.title}」",
                              shown.where or found.where)
        problem = text_difference(section.text.split("\n"), shown.text)
        if problem:
            return Difference(entry.keyword, section.title, problem, shown.where or found.where)
    if len(found.sections) > len(entry.sections):
        extra = found.sections[len(entry.sections)]
        return Difference(entry.keyword, extra.title, "輸出中多出這一節", extra.where or found.where)
    if found.see_also is not None and found.see_also != list(entry.see_also):
        want = "、".join(entry.see_also) or "（無）"
        got = "、".join(found.see_also) or "（無）"
        return Difference(entry.keyword, SEE_ALSO, f"應為{want}，輸出中是{got}", found.where)
    return None


def compare(book: Book, found: list[FoundEntry]) -> Difference | None:
    """The first difference between the book's entries and the found ones: order, presence, then content."""
    expected = list(book.entries)
    known = {e.keyword for e in expected}
    shown = [squeeze(f.keyword) for f in found]
    for i, entry in enumerate(expected):
        if i >= len(found):
            rest = len(expected) - i
            return Difference(entry.keyword, None, f"輸出中缺少這一條" + (f"及其後 {rest - 1} 條" if rest > 1 else "")
                              + f"（書稿 {len(expected)} 條，輸出 {len(found)} 條）")
        got = found[i]
        if shown[i] != entry.keyword:
            position = f"第 {i + 1} 條應為「{entry.keyword}」，輸出中是「{got.keyword}」"
            if shown[i] in shown[:i]:
                message = f"{position}：「{got.keyword}」重複出現"
            elif entry.keyword not in shown:
                message = f"{position}：輸出中缺少「{entry.keyword}」"
            elif shown[i] not in known:
                message = f"{position}：「{got.keyword}」不是書稿中的詞條"
            else:
                message = f"{position}：詞條順序不同"
            return Difference(entry.keyword, None, message, got.where)
        difference = compare_entry(entry, got, book)
        if difference:
            return difference
    if len(found) > len(expected):
        extra = found[len(expected)]
        return Difference(extra.keyword, None, f"輸出中多出詞條（書稿 {len(expected)} 條，輸出 {len(found)} 條）", extra.where)
    return None
