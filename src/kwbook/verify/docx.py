"""Read entries back from the DOCX: paragraphs of word/document.xml by their heading styles.

pandoc writes heading levels as the styles Heading1 (category), Heading2 (keyword) and Heading3 (section title);
the paragraphs between a keyword and its first section title are the quote, and a paragraph made of 「參見：」
and links to other entries is the see-also line. The contents list has no heading style and is passed over.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..errors import MessageError
from ..messages import message
from ..model import Book
from .found import FoundEntry, FoundSection, squeeze

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = {"Heading1": 1, "Heading2": 2, "Heading3": 3}


class DocxReadError(MessageError):
    """The DOCX is not a readable zip with word/document.xml."""


def paragraph_text(p: ET.Element) -> str:
    """The text a reader sees: runs' text, tabs and breaks; field codes and deleted text left out."""
    out = []
    for element in p.iter():
        tag = element.tag
        if tag == f"{W}t":
            out.append(element.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _style(p: ET.Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def see_also(p: ET.Element) -> list[str] | None:
    """The linked keywords when p is a see-also line (參見： then links separated by 、), else None."""
    links = [link for link in p if link.tag == f"{W}hyperlink"]
    if not links or not squeeze(paragraph_text(p)).startswith(("參見：", "参见：")):
        return None
    outside = "".join(paragraph_text(child) for child in p if child.tag == f"{W}r")
    if squeeze(outside).replace("參見：", "", 1).replace("参见：", "", 1) != "、" * (len(links) - 1):
        return None
    return [paragraph_text(link) for link in links]


def footnotes(archive: zipfile.ZipFile) -> dict[str, str]:
    """Footnote id → its text (paragraphs joined by line breaks), from word/footnotes.xml if there is one."""
    if "word/footnotes.xml" not in archive.namelist():
        return {}
    notes = {}
    for note in ET.fromstring(archive.read("word/footnotes.xml")).iter(f"{W}footnote"):
        notes[note.get(f"{W}id")] = "\n".join(paragraph_text(p) for p in note.iter(f"{W}p"))
    return notes


def extract(path: Path, book: Book) -> list[FoundEntry]:
    """The entries of the DOCX at path, in document order; each footnote call adds its note to the entry."""
    try:
        with zipfile.ZipFile(path) as archive:
            document = ET.fromstring(archive.read("word/document.xml"))
            notes = footnotes(archive)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError) as exc:
        raise DocxReadError("verify.docx-unreadable", reason=exc) from None
    body = document.find(f"{W}body")
    entries: list[FoundEntry] = []
    category, current = "", None
    for n, p in enumerate(body.iter(f"{W}p") if body is not None else (), 1):
        level, text = HEADINGS.get(_style(p)), paragraph_text(p)
        where = message("verify.where-docx", n=n)
        if level == 1:
            category, current = text, None
        elif level == 2:
            current = FoundEntry(text, category=category, see_also=[], where=where, marks=frozenset({"repeats"}))
            entries.append(current)
        elif current is None:
            continue
        if current is not None:
            current.notes += [notes.get(ref.get(f"{W}id"), "") for ref in p.iter(f"{W}footnoteReference")]
        if level in (1, 2):
            continue
        elif level == 3:
            current.sections.append(FoundSection(text, where=where))
        elif (links := see_also(p)) is not None and current.sections:
            current.see_also = links
        elif text.strip():
            current.add_line(text)
    return entries
