"""Compare what an output shows with the manuscript model and describe the first difference."""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import Message, Ref, message, render
from ..model import Book, Entry
from ..render.html import quote_text
from .found import FoundEntry, squeeze

QUOTE = message("verify.quote")
SEE_ALSO = message("verify.see-also")
_CONTEXT = 12
_BEFORE = 6


@dataclass(frozen=True)
class Difference:
    """The first place an output differs from the manuscript: the entry, the section and what differs."""

    keyword: str
    section: str | Message | None  # a section title, or QUOTE or SEE_ALSO
    detail: Message
    where: str | Message = ""

    @property
    def message(self) -> str:
        """What differs, in Traditional Chinese (describe() gives the whole line in the current language)."""
        return self.detail.render("zh")

    def describe(self, lang: str | None = None) -> str:
        if self.section:
            place = render("verify.place/section", lang, keyword=self.keyword, section=self.section)
        else:
            place = render("verify.place", lang, keyword=self.keyword)
        if self.where:
            return render("verify.difference/where", lang, place=place, message=self.detail, where=self.where)
        return render("verify.difference", lang, place=place, message=self.detail)


def _snippet(text: str, at: int) -> Message:
    """A few characters before `at` and more after it, so the place can be found in the file."""
    start = max(0, at - _BEFORE)
    piece = text[start:at + _CONTEXT]
    if not piece:
        return message("verify.none")
    return message("verify.snippet", text=f"{'…' if start else ''}{piece}{'…' if at + _CONTEXT < len(text) else ''}")


def text_difference(expected: list[str], found: str) -> Message | None:
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
    variant = "/paragraph" if len(expected) > 1 else ""
    if at >= len(got):
        return message("verify.text-missing" + variant, paragraph=paragraph, want=_snippet(want, at))
    if at >= len(want):
        return message("verify.text-extra" + variant, paragraph=paragraph, got=_snippet(got, at))
    return message("verify.text-differs" + variant, paragraph=paragraph, char=at - before + 1,
                   want=_snippet(want, at), got=_snippet(got, at))


def compare_entry(entry: Entry, found: FoundEntry, book: Book) -> Difference | None:
    """The first difference inside one entry whose keyword matched: category, quote, sections, see-also."""
    categories = {c.folder: c.title for c in book.categories}
    if found.category and squeeze(found.category) != squeeze(categories[entry.category]):
        return Difference(entry.keyword, None, message("verify.category", want=categories[entry.category], got=found.category),
                          found.where)
    problem = text_difference([quote_text(entry, book.config)], "".join(found.quote))
    if problem:
        return Difference(entry.keyword, QUOTE, problem, found.where)
    for n, section in enumerate(entry.sections):
        if n >= len(found.sections):
            return Difference(entry.keyword, section.title, message("verify.section-missing"), found.where)
        shown = found.sections[n]
        if squeeze(shown.title) != squeeze(section.title):
            return Difference(entry.keyword, section.title, message("verify.section-order", n=n + 1, want=section.title, got=shown.title),
                              shown.where or found.where)
        problem = text_difference(section.text.split("\n"), shown.text)
        if problem:
            return Difference(entry.keyword, section.title, problem, shown.where or found.where)
    if len(found.sections) > len(entry.sections):
        extra = found.sections[len(entry.sections)]
        return Difference(entry.keyword, extra.title, message("verify.section-extra"), extra.where or found.where)
    if found.see_also is not None and found.see_also != list(entry.see_also):
        want = "、".join(entry.see_also) or message("verify.none")
        got = "、".join(found.see_also) or message("verify.none")
        return Difference(entry.keyword, SEE_ALSO, message("verify.see-also-differs", want=want, got=got), found.where)
    return None


def compare(book: Book, found: list[FoundEntry]) -> Difference | None:
    """The first difference between the book's entries and the found ones: order, presence, then content."""
    expected = list(book.entries)
    known = {e.keyword for e in expected}
    shown = [squeeze(f.keyword) for f in found]
    for i, entry in enumerate(expected):
        if i >= len(found):
            rest = len(expected) - i
            return Difference(entry.keyword, None, message("verify.entry-missing" + ("/more" if rest > 1 else ""),
                                                           rest=rest - 1, expected=len(expected), found=len(found)))
        got = found[i]
        if shown[i] != entry.keyword:
            if shown[i] in shown[:i]:
                variant = "repeated"
            elif entry.keyword not in shown:
                variant = "missing"
            elif shown[i] not in known:
                variant = "unknown"
            else:
                variant = "moved"
            detail = message(f"verify.order/{variant}", n=i + 1, want=entry.keyword, got=got.keyword,
                             position=Ref("verify.position"))
            return Difference(entry.keyword, None, detail, got.where)
        difference = compare_entry(entry, got, book)
        if difference:
            return difference
    if len(found) > len(expected):
        extra = found[len(expected)]
        return Difference(extra.keyword, None, message("verify.entry-extra", expected=len(expected), found=len(found)), extra.where)
    return None
