"""After pandoc: a section per category with the category as running head, and page numbers in the contents.

Word's STYLEREF field would repeat the current category in the header, but LibreOffice (7.4) shows it empty, so
each category becomes a section with its own header part. As in the PDF, the category page itself carries no
running head or folio. Pages are numbered straight through (LibreOffice would show a PAGEREF to a page
numbered i, ii … in arabic digits, so the contents would disagree with the folios).
"""

from __future__ import annotations

import copy
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..model import Book
from .docxref import R, W, header_footer_xml
from .stamp import source_date, write_zip

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _run(parent: ET.Element, child: str, **attrs) -> ET.Element:
    element = ET.SubElement(ET.SubElement(parent, _w("r")), _w(child))
    for key, value in attrs.items():
        element.set(_w(key), value)
    return element


def _ppr(p: ET.Element) -> ET.Element:
    """The paragraph's properties (w:pPr), made first among its children if it has none."""
    ppr = p.find(_w("pPr"))
    if ppr is None:
        ppr = ET.Element(_w("pPr"))
        p.insert(0, ppr)
    return ppr


def _style(p: ET.Element) -> str:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style.get(_w("val"), "") if style is not None else ""


def add_page_numbers(document: ET.Element, style_ids: set[str]) -> int:
    """After each contents line's link: a tab (dot leader in the style) and a PAGEREF field to its bookmark.

    LibreOffice computes the page at layout; Word fills it when it updates fields (settings.xml asks it to).
    Returns the number of fields added.
    """
    added = 0
    for p in document.iter(_w("p")):
        link = p.find(_w("hyperlink"))
        if _style(p) not in style_ids or link is None or not link.get(_w("anchor")):
            continue
        _run(p, "tab")
        _run(p, "fldChar", fldCharType="begin")
        instr = _run(p, "instrText")
        instr.text = f" PAGEREF {link.get(_w('anchor'))} \\h "
        instr.set(XML_SPACE, "preserve")
        _run(p, "fldChar", fldCharType="separate")
        _run(p, "t").text = ""
        _run(p, "fldChar", fldCharType="end")
        added += 1
    return added


def keep_with_next(document: ET.Element, style_ids: set[str]) -> int:
    """The paragraph before each paragraph of these styles kept on its page (keepNext), as the PDF keeps the
    參見 line with the text before it. Returns the number of paragraphs given keepNext."""
    kept, previous = 0, None
    for p in document.iter(_w("p")):
        if previous is not None and _style(p) in style_ids:
            ppr = _ppr(previous)
            if ppr.find(_w("keepNext")) is None:
                ET.SubElement(ppr, _w("keepNext"))
                _order_ppr(ppr)
            kept += 1
        previous = p
    return kept


def category_starts(body: ET.Element, anchors: dict[str, str]) -> list[tuple[int, str]]:
    """(index in body, category title) of each category's heading paragraph, found by its bookmark (cat-N)."""
    starts, pending = [], None
    for i, child in enumerate(body):
        if child.tag == _w("bookmarkStart") and child.get(_w("name")) in anchors:
            pending = anchors[child.get(_w("name"))]
        elif child.tag == _w("p"):
            if pending is not None and _style(child) == "Heading1":
                starts.append((i, pending))
            pending = None
    return starts


def _section_end(body: ET.Element, index: int) -> ET.Element:
    """The paragraph that ends the section before body[index] (a new empty one if no paragraph precedes it)."""
    i = index - 1
    while i >= 0 and body[i].tag in (_w("bookmarkStart"), _w("bookmarkEnd")):
        i -= 1
    if i >= 0 and body[i].tag == _w("p"):
        return body[i]
    p = ET.Element(_w("p"))
    body.insert(index, p)
    return p


def _sect(template: ET.Element, header_id: str | None) -> ET.Element:
    """A copy of the document's section properties, its odd-page header replaced by header_id."""
    sect = copy.deepcopy(template)
    if header_id is not None:
        for ref in sect.findall(_w("headerReference")):
            if ref.get(_w("type")) == "default":
                ref.set(f"{{{R}}}id", header_id)
    return sect


def split_sections(document: ET.Element, book: Book) -> list[tuple[str, str]]:
    """One section per category; returns (relationship id, category title) of the header parts to add."""
    body = document.find(_w("body"))
    template = body.find(_w("sectPr"))
    for notes in template.findall(_w("footnotePr")) if template is not None else ():
        # Restarting the footnote numbers in each section makes LibreOffice 7.4 number every note 0: number them
        # through the document, as Word does by default.
        template.remove(notes)
    anchors = {c.anchor: c.title for c in book.categories if c.entries}
    starts = category_starts(body, anchors)
    if template is None or not starts:
        return []
    headers = [(f"rIdKwbookCat{n}", title) for n, (_i, title) in enumerate(starts, 1)]
    # Walk backwards so the indexes of earlier headings stay valid while paragraphs are inserted.
    for n in range(len(starts) - 1, -1, -1):
        index, _title = starts[n]
        heading = body[index]
        ppr = _ppr(heading)
        ET.SubElement(ppr, _w("pageBreakBefore")).set(_w("val"), "0")  # the section break starts the page
        _order_ppr(ppr)
        previous = headers[n - 1][0] if n else None
        end = _section_end(body, index)
        _ppr(end).append(_sect(template, previous))
    last = _sect(template, headers[-1][0])
    body.remove(template)
    body.append(last)
    return headers


def _order_ppr(ppr: ET.Element) -> None:
    """Keep pStyle first and pageBreakBefore right after keepNext/keepLines, as the schema requires."""
    rank = {"pStyle": 0, "keepNext": 1, "keepLines": 2, "pageBreakBefore": 3}
    ppr[:] = sorted(ppr, key=lambda c: rank.get(c.tag.rpartition("}")[2], 10))


def finish_docx(path: Path, book: Book, contents_styles: list[str], kept_after: tuple[str, ...] = ()) -> None:
    """Rewrite pandoc's output in place: category sections with their headers, contents page numbers, the
    paragraph before each paragraph styled as one of kept_after (style names) kept with it.

    Every part is stamped with the book's source date (stamp.py), so the same sources give the same bytes.
    """
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    parts = {info.filename: data for info, data in items}
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(parts["word/document.xml"]), events=("start-ns",)):
        ET.register_namespace(prefix, uri)
    document = ET.fromstring(parts["word/document.xml"])
    add_page_numbers(document, _style_ids(parts["word/styles.xml"], contents_styles))
    keep_with_next(document, _style_ids(parts["word/styles.xml"], list(kept_after)))
    headers = split_sections(document, book)
    new = {"word/document.xml": _xml(document)}
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for n, (rid, title) in enumerate(headers, 1):
        name = f"header-category{n}.xml"
        new[f"word/{name}"] = header_footer_xml("header", "right", text=title)
        rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{R}/header" Target="{name}"/>'
                                                 "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/word/{name}" ContentType="application/'
                                          'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')
    new["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    new["[Content_Types].xml"] = types.encode("utf-8")
    when = source_date(book.config)
    if when is not None and "docProps/core.xml" in parts:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        core = re.sub(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", lambda m: m[1] + stamp,
                      parts["docProps/core.xml"].decode("utf-8"))
        new["docProps/core.xml"] = core.encode("utf-8")
    members = [(info.filename, new.pop(info.filename, data)) for info, data in items]
    write_zip(path, members + list(new.items()), when)


def _style_ids(styles_xml: bytes, names: list[str]) -> set[str]:
    wanted = {n.lower() for n in names}
    ids = set()
    for style in ET.fromstring(styles_xml).iter(_w("style")):
        name = style.find(_w("name"))
        if name is not None and name.get(_w("val"), "").lower() in wanted:
            ids.add(style.get(_w("styleId")))
    return ids


def _xml(root: ET.Element) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root, encoding="unicode")).encode()

