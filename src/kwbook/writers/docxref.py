"""The reference.docx pandoc takes its look from: styles from docx-styles.yaml, the PDF's page, running heads, folios."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..model import Book
from ..render.page import margins_mm
from .output import BuildError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
TWIPS_PER_MM = 1440 / 25.4
_TIMEOUT = 300

# Schema order of the children we may add (WordprocessingML sequences are strict; Word rejects other orders).
_STYLE_ORDER = ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
                "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "rsid", "pPr", "rPr"]
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr"]
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang"]
_DEFAULTS_ORDER = ["rPrDefault", "pPrDefault"]
SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"]
_SETTINGS_ORDER = ["writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                   "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                   "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
                   "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
                   "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
                   "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
                   "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
                   "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                   "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
                   "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
                   "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
                   "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
                   "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                   "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                   "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
                   "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
                   "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema",
                   "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
                   "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
                   "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
                   "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping"]

# Running heads and folios, mirrored like the PDF's: the book title on even pages, page numbers on the outer
# side, nothing on a section's first page (the title page, each category's page). The category heads of odd
# pages are added per section after pandoc (docxpost.py); before the first category the odd head is empty.
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_PARTS = [  # (part, kind, type of page, alignment, content: "title", "page" or "")
    ("header1.xml", "header", "default", "right", ""),
    ("header2.xml", "header", "even", "left", "title"),
    ("header3.xml", "header", "first", None, ""),
    ("footer1.xml", "footer", "default", "right", "page"),
    ("footer2.xml", "footer", "even", "left", "page"),
    ("footer3.xml", "footer", "first", None, ""),
]

def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _child(parent: ET.Element, name: str, order: list[str]) -> ET.Element:
    """The w:name child of parent, created at its schema position when missing."""
    found = parent.find(_w(name))
    if found is not None:
        return found
    rank = order.index(name) if name in order else len(order)
    index = len(parent)
    for i, child in enumerate(parent):
        local = child.tag.rpartition("}")[2]
        if (order.index(local) if local in order else len(order)) > rank:
            index = i
            break
    element = ET.Element(_w(name))
    parent.insert(index, element)
    return element


def _set(element: ET.Element, replace: bool = False, **attrs) -> None:
    if replace:
        element.attrib.clear()
    for key, value in attrs.items():
        element.set(_w(key), str(value))


def text_width_twips(book: Book) -> int:
    m = margins_mm(book.config)
    return round((book.config.trim.width - m["inner"] - m["outer"]) * TWIPS_PER_MM)


def _apply(ppr: ET.Element, rpr: ET.Element, spec: dict, fonts: dict, base_pt: float, width: int) -> None:
    """Write one style's settings from the yaml into its w:pPr and w:rPr."""
    if "font" in spec:
        face = fonts.get(spec["font"])
        if not face:
            raise BuildError("build.docx-font-role", role=spec["font"])
        rfonts = _child(rpr, "rFonts", _RPR_ORDER)
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme"):
            rfonts.attrib.pop(_w(theme), None)
        _set(rfonts, ascii=face, hAnsi=face, eastAsia=face)
    if "size_pt" in spec:
        for name in ("sz", "szCs"):
            _set(_child(rpr, name, _RPR_ORDER), val=round(float(spec["size_pt"]) * 2))
    if "bold" in spec:
        for name in ("b", "bCs"):
            _set(_child(rpr, name, _RPR_ORDER), val="1" if spec["bold"] else "0")
    if "color" in spec:
        _set(_child(rpr, "color", _RPR_ORDER), replace=True, val=spec["color"])
    for key, name in (("page_break_before", "pageBreakBefore"), ("keep_next", "keepNext")):
        if key in spec:
            _set(_child(ppr, name, _PPR_ORDER), val="1" if spec[key] else "0")
    if "right_tab" in spec:  # a right-aligned tab at the text block's edge, e.g. dot leaders before page numbers
        tabs = _child(ppr, "tabs", _PPR_ORDER)
        tabs.clear()
        _set(ET.SubElement(tabs, _w("tab")), val="right", leader=spec["right_tab"], pos=width)
    if "align" in spec:
        _set(_child(ppr, "jc", _PPR_ORDER), val=spec["align"])
    spacing = {}
    if "line_spacing" in spec:
        spacing.update(line=round(240 * float(spec["line_spacing"])), lineRule="auto")
    for key, attr in (("space_before_pt", "before"), ("space_after_pt", "after")):
        if key in spec:
            spacing[attr] = round(float(spec[key]) * 20)
    if spacing:
        _set(_child(ppr, "spacing", _PPR_ORDER), **spacing)
    size_pt = float(spec.get("size_pt", base_pt))
    indent = {}
    if "first_line_chars" in spec:  # Word uses the *Chars value; the twips value is for other readers
        chars = float(spec["first_line_chars"])
        indent.update(firstLineChars=round(chars * 100), firstLine=round(chars * size_pt * 20))
    if "indent_chars" in spec:
        chars = float(spec["indent_chars"])
        twips = round(chars * size_pt * 20)
        indent.update(leftChars=round(chars * 100), left=twips, rightChars=round(chars * 100), right=twips)
    if "left_indent_chars" in spec:
        chars = float(spec["left_indent_chars"])
        indent.update(leftChars=round(chars * 100), left=round(chars * size_pt * 20))
    if indent:
        _set(_child(ppr, "ind", _PPR_ORDER), **indent)


def _patch_styles(xml: bytes, settings: dict, book: Book) -> bytes:
    root = ET.fromstring(xml)
    fonts, specs = settings.get("fonts") or {}, settings["styles"]
    base_pt = float((specs.get("defaults") or {}).get("size_pt", 12))
    width = text_width_twips(book)
    by_id = {s.get(_w("styleId")): s for s in root.findall(_w("style"))}
    for style_id, spec in specs.items():
        spec = spec or {}
        if style_id == "defaults":
            defaults = _child(root, "docDefaults", ["docDefaults", "latentStyles", "style"])
            rpr = _child(_child(defaults, "rPrDefault", _DEFAULTS_ORDER), "rPr", [])
            ppr = _child(_child(defaults, "pPrDefault", _DEFAULTS_ORDER), "pPr", [])
            _set(_child(rpr, "lang", _RPR_ORDER), eastAsia=settings.get("language", "zh-TW"))
        else:
            style = by_id.get(style_id)
            if style is None:
                style = ET.SubElement(root, _w("style"))
                _set(style, type="paragraph", customStyle="1", styleId=style_id)
                _set(_child(style, "basedOn", _STYLE_ORDER), val=spec.get("based_on", "Normal"))
                _set(_child(style, "qFormat", _STYLE_ORDER))
            if spec.get("name"):
                _set(_child(style, "name", _STYLE_ORDER), val=spec["name"])
            ppr, rpr = _child(style, "pPr", _STYLE_ORDER), _child(style, "rPr", _STYLE_ORDER)
        _apply(ppr, rpr, spec, fonts, base_pt, width)
        if style_id != "defaults":
            for part in (ppr, rpr):
                if len(part) == 0:  # drop the empty containers _child created
                    style.remove(part)
    return _serialize(root)


def _patch_document(xml: bytes, settings: dict, book: Book) -> bytes:
    """Page size from the trim, the PDF's mirrored margins, and the running heads and folios."""
    root = ET.fromstring(xml)
    sect = _child(_child(root, "body", []), "sectPr", [])  # the last child of the body
    for old in sect.findall(_w("headerReference")) + sect.findall(_w("footerReference")):
        sect.remove(old)
    trim, m = book.config.trim, margins_mm(book.config)
    _set(_child(sect, "pgSz", SECT_ORDER), replace=True, w=round(trim.width * TWIPS_PER_MM),
         h=round(trim.height * TWIPS_PER_MM))
    # With mirrorMargins (settings.xml) Word's left margin is the inner one, as in the PDF.
    gap = settings.get("running_gap_mm") or {}
    head_pt = float((settings["styles"].get("Header") or {}).get("size_pt", 9))
    head_mm = head_pt * 1.3 * 25.4 / 72  # one line of the running head
    header = m["top"] - float(gap.get("header", 4)) - head_mm
    footer = m["bottom"] - float(gap.get("footer", 5)) - head_mm
    _set(_child(sect, "pgMar", SECT_ORDER), replace=True, top=round(m["top"] * TWIPS_PER_MM),
         bottom=round(m["bottom"] * TWIPS_PER_MM), left=round(m["inner"] * TWIPS_PER_MM),
         right=round(m["outer"] * TWIPS_PER_MM), header=round(max(header, 5) * TWIPS_PER_MM),
         footer=round(max(footer, 5) * TWIPS_PER_MM), gutter=0)
    for n, (_part, kind, page, _align, _instr) in enumerate(_PARTS):
        ref = ET.Element(_w(f"{kind}Reference"))
        _set(ref, type=page)
        ref.set(f"{{{R}}}id", f"rIdKwbook{n + 1}")
        sect.insert(n, ref)
    _child(sect, "titlePg", SECT_ORDER)
    return _serialize(root)


def _patch_settings(xml: bytes) -> bytes:
    """Mirrored margins, different odd and even running heads, and fields updated when Word opens the file."""
    root = ET.fromstring(xml)
    for name in ("mirrorMargins", "evenAndOddHeaders"):
        _child(root, name, _SETTINGS_ORDER)
    _set(_child(root, "updateFields", _SETTINGS_ORDER), val="true")
    return _serialize(root)


def header_footer_xml(kind: str, align: str | None, text: str = "", instr: str = "") -> bytes:
    """A header or footer part: one paragraph with a text, a field (e.g. PAGE), or nothing."""
    root = ET.Element(_w("hdr" if kind == "header" else "ftr"))
    p = ET.SubElement(root, _w("p"))
    ppr = ET.SubElement(p, _w("pPr"))
    _set(ET.SubElement(ppr, _w("pStyle")), val="Header" if kind == "header" else "Footer")
    if align:
        _set(ET.SubElement(ppr, _w("jc")), val=align)
    if instr:
        field = ET.SubElement(p, _w("fldSimple"))
        _set(field, instr=instr)
        ET.SubElement(ET.SubElement(field, _w("r")), _w("t")).text = "1"
    elif text:
        ET.SubElement(ET.SubElement(p, _w("r")), _w("t")).text = text
    return _serialize(root)

def _patch_rels(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    for n, (part, kind, *_rest) in enumerate(_PARTS):
        rel = ET.SubElement(root, f"{{{PKG_REL}}}Relationship")
        rel.set("Id", f"rIdKwbook{n + 1}")
        rel.set("Type", f"{R}/{kind}")
        rel.set("Target", part)
    return _serialize(root)


def _patch_types(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    for part, kind, *_rest in _PARTS:
        item = ET.SubElement(root, f"{{{CONTENT_TYPES}}}Override")
        item.set("PartName", f"/word/{part}")
        item.set("ContentType", _HEADER_TYPE if kind == "header" else _FOOTER_TYPE)
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text).encode("utf-8")


def _register_namespaces(xml: bytes) -> None:
    # Keep the conventional prefixes (w:, r:, …) when ElementTree writes the parts back.
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xml), events=("start-ns",)):
        ET.register_namespace(prefix, uri)


def build_reference_docx(book: Book, settings: dict, target: Path, pandoc: str) -> Path:
    """pandoc's default reference.docx with styles, language, page geometry, running heads and folios patched."""
    try:
        default = subprocess.run([pandoc, "--print-default-data-file", "reference.docx"],
                                 capture_output=True, check=True, timeout=_TIMEOUT).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError("build.reference-docx", reason=exc) from None
    patch = {"word/styles.xml": lambda xml: _patch_styles(xml, settings, book),
             "word/document.xml": lambda xml: _patch_document(xml, settings, book),
             "word/settings.xml": _patch_settings,
             "word/_rels/document.xml.rels": _patch_rels,
             "[Content_Types].xml": _patch_types}
    ET.register_namespace("w", W)
    ET.register_namespace("r", R)
    try:
        with zipfile.ZipFile(io.BytesIO(default)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item)
                if item.filename in patch:
                    _register_namespaces(data)
                    data = patch[item.filename](data)
                out.writestr(item, data)
            for part, kind, _page, align, content in _PARTS:
                text = book.config.title if content == "title" else ""
                out.writestr(f"word/{part}", header_footer_xml(kind, align, text, " PAGE " if content == "page" else ""))
    except (zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
        raise BuildError("build.reference-docx-bad", reason=exc) from None
    except (TypeError, ValueError) as exc:
        raise BuildError("build.docx-styles-value", reason=exc) from None
    return target
