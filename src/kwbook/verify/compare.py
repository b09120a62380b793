"""Compare what an output shows with the manuscript model and describe the first difference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..messages import Message, Ref, message, render
from ..model import Book, Entry, Section
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


_ITEM = re.compile(r"[•◦▪‣⁃]|\d{1,4}[.)]")  # the list markers a printed list shows


def marks(section: Section, kinds: frozenset[str]) -> list[tuple[int, re.Pattern]]:
    """(offset in the squeezed text, pattern) of what an output printing `kinds` shows beside the text."""
    found = []
    if "calls" in kinds:
        found += [(offset, re.compile(re.escape(str(number)))) for offset, number in section.calls]
    if "items" in kinds:
        found += [(offset, _ITEM) for offset in section.items]
    return sorted(((len(squeeze(section.text[:offset])), pattern) for offset, pattern in found), key=lambda m: m[0])


def drop_marks(want: str, got: str, places: list[tuple[int, re.Pattern]]) -> str:
    """got (squeezed) less a note number or list marker at each place of want (squeezed) where one is printed.

    Walks both texts together up to the first difference; what follows is left as it is for text_difference.
    """
    kept, i, j = [], 0, 0
    for at, pattern in places:
        start = j
        while i < at and j < len(got) and i < len(want) and want[i] == got[j]:
            i += 1
            j += 1
        kept.append(got[start:j])
        if i < at:
            break
        match = pattern.match(got, j)
        if match:
            j = match.end()
    kept.append(got[j:])
    return "".join(kept)


def text_difference(expected: list[str], found: str, places: list[tuple[int, re.Pattern]] = ()) -> Message | None:
    """None when the texts agree without whitespace; else where they part: paragraph, character, both texts.

    places: note numbers and list markers the output may print beside the text (marks()).
    """
    want, got = squeeze("".join(expected)), squeeze(found)
    if places:
        got = drop_marks(want, got, places)
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
        problem = text_difference(section.text.split("\n"), shown.text, marks(section, found.marks))
        if problem:
            return Difference(entry.keyword, section.title, problem, shown.where or found.where)
    if len(found.sections) > len(entry.sections):
        extra = found.sections[len(entry.sections)]
        return Difference(entry.keyword, extra.title, message("verify.section-extra"), extra.where or found.where)
    notes = [note for section in entry.sections for note in section.notes]
    if "repeats" in found.marks:  # a note called twice is printed twice (DOCX)
        by_number = {note.number: note for note in notes}
        notes = [by_number[number] for section in entry.sections for _, number in section.calls if number in by_number]
    for n, note in enumerate(notes):
        label = message("verify.note", n=note.number)
        if n >= len(found.notes):
            return Difference(entry.keyword, label, message("verify.note-missing", n=note.number, want=len(notes),
                                                            got=len(found.notes)), found.where)
        problem = text_difference(note.text.split("\n"), found.notes[n])
        if problem:
            return Difference(entry.keyword, label, problem, found.where)
    if len(found.notes) > len(notes):
        return Difference(entry.keyword, None, message("verify.note-extra", want=len(notes), got=len(found.notes)),
                          found.where)
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
