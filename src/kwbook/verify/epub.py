"""Read entries back from the EPUB: its XHTML documents in spine order, by the renderer's classes."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..errors import MessageError
from ..model import Book
from .found import FoundEntry, FoundSection

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"


class EpubReadError(MessageError):
    """The EPUB is not a readable zip with a container, a package document and its spine."""


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def spine_documents(archive: zipfile.ZipFile) -> list[str]:
    """Names inside the zip of the spine's documents, in reading order."""
    container = ET.fromstring(archive.read("META-INF/container.xml"))
    rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
    if rootfile is None:
        raise EpubReadError("verify.epub-no-opf")
    opf_path = rootfile.get("full-path", "")
    package = ET.fromstring(archive.read(opf_path))
    base = posixpath.dirname(opf_path)
    manifest = {item.get("id"): item.get("href") for item in package.iter(f"{{{OPF}}}item")}
    names = []
    for ref in package.iter(f"{{{OPF}}}itemref"):
        href = manifest.get(ref.get("idref"))
        if href:
            names.append(posixpath.normpath(posixpath.join(base, href)))
    return names


def _note(aside: ET.Element) -> str:
    """A footnote's text without the number the renderer puts before it."""
    parts = [aside.text or ""]
    for child in aside:
        if "note-number" not in _classes(child):
            parts.append(_note(child) if len(child) else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _entry(article: ET.Element, category: str, where: str) -> FoundEntry:
    """keyword, quote, sections, footnotes and see-also line of one <article class="entry">."""
    found = FoundEntry("", category=category, see_also=[], where=where, marks=frozenset({"calls"}))
    for child in article:
        classes = _classes(child)
        if "keyword" in classes:
            found.keyword = _text(child)
        elif "quote" in classes:
            found.quote.append(_text(child))
        elif "section" in classes:
            section = FoundSection("", where=where)
            for part in child:
                if "section-title" in _classes(part):
                    section.title = _text(part)
                elif _local(part) == "aside" and "footnote" in _classes(part):
                    found.notes.append(_note(part))
                else:
                    section.lines.append(_text(part))
            found.sections.append(section)
        elif "see-also-line" in classes:
            found.see_also = [_text(a) for a in child.iter() if "see-also" in _classes(a)]
        else:  # text the renderer did not put in a known place still counts, in the last section
            found.add_line(_text(child))
    return found


def extract(path: Path, book: Book) -> list[FoundEntry]:
    """The entries of the EPUB at path, in spine order."""
    entries: list[FoundEntry] = []
    try:
        with zipfile.ZipFile(path) as archive:
            category = ""
            for name in spine_documents(archive):
                root = ET.fromstring(archive.read(name))
                for element in root.iter():
                    classes = _classes(element)
                    if _local(element) == "section" and "category" in classes:
                        category = _text(element).strip()
                    elif _local(element) == "article" and "entry" in classes:
                        entries.append(_entry(element, category, name))
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError) as exc:
        raise EpubReadError("verify.epub-unreadable", reason=exc) from None
    return entries
