"""DOCX writer: the shared HTML fragments through pandoc, with a reference.docx generated from styles/docx-styles.yaml."""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from html import escape
from pathlib import Path

import pypandoc
import yaml

from ..model import Book
from ..render.html import category_heading, entry_article, front_section
from .output import BuildError, atomic_output

STYLES_FILE = "docx-styles.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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
_SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar"]


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def bundled_pandoc() -> str:
    """The pandoc binary shipped inside pypandoc-binary, pinned for pypandoc as well."""
    exe = "pandoc.exe" if os.name == "nt" else "pandoc"
    path = str(Path(pypandoc.__file__).resolve().parent / "files" / exe)
    if not os.access(path, os.X_OK):
        raise BuildError(f"找不到 pypandoc-binary 內附的 pandoc：{path}")
    os.environ["PYPANDOC_PANDOC"] = path
    return path


def load_docx_styles(styles: Path) -> dict:
    path = Path(styles) / STYLES_FILE
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(f"找不到 DOCX 樣式設定檔：{path}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"無法讀取 DOCX 樣式設定檔 {path}：{exc}") from None
    if not isinstance(settings, dict) or not isinstance(settings.get("styles"), dict):
        raise BuildError(f"DOCX 樣式設定檔格式不正確（缺少 styles）：{path}")
    quote = settings.get("quote_style")
    if not isinstance(settings["styles"].get(quote), dict) or not settings["styles"][quote].get("name"):
        raise BuildError(f"DOCX 樣式設定檔的 quote_style 必須指向 styles 下有 name 的樣式：{path}")
    return settings


def docx_html(book: Book, quote_style: str) -> str:
    """One HTML document from the shared fragments, adapted for pandoc's HTML reader.

    The reader drops <article> and blockquote attributes, so entries become divs (their ids stay link targets)
    and the quote a div whose custom-style names the Word paragraph style. Front matter subheadings move one
    level down so they do not take the page-breaking keyword style.
    """
    anchors = {e.keyword: e.anchor for e in book.entries}
    quote_div = f'<div class="quote" data-custom-style="{escape(quote_style)}">'
    parts = [re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", front_section(d)) for d in book.front]
    for cat in (c for c in book.categories if c.entries):
        parts.append(category_heading(cat, level=1))
        for entry in cat.entries:
            html = entry_article(entry, book.config, level=2, href=lambda k: "#" + anchors[k])
            html = re.sub(r"^<article |</article>$", lambda m: "<div " if m[0] == "<article " else "</div>", html)
            html = re.sub(r'<blockquote class="quote">(.*?)</blockquote>', lambda m: f"{quote_div}{m[1]}</div>",
                          html, count=1, flags=re.S)
            parts.append(html)
    return '<!DOCTYPE html>\n<html><head><meta charset="utf-8"/></head><body>\n' + "\n".join(parts) + "\n</body></html>\n"


# --- reference.docx ---------------------------------------------------------------------------------------

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


def _apply(ppr: ET.Element, rpr: ET.Element, spec: dict, fonts: dict, base_pt: float) -> None:
    """Write one style's settings from the yaml into its w:pPr and w:rPr."""
    if "font" in spec:
        face = fonts.get(spec["font"])
        if not face:
            raise BuildError(f"DOCX 樣式設定檔沒有定義字型角色「{spec['font']}」")
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
    if indent:
        _set(_child(ppr, "ind", _PPR_ORDER), **indent)


def _patch_styles(xml: bytes, settings: dict) -> bytes:
    root = ET.fromstring(xml)
    fonts, specs = settings.get("fonts") or {}, settings["styles"]
    base_pt = float((specs.get("defaults") or {}).get("size_pt", 12))
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
        _apply(ppr, rpr, spec, fonts, base_pt)
        if style_id != "defaults":
            for part in (ppr, rpr):
                if len(part) == 0:  # drop the empty containers _child created
                    style.remove(part)
    return _serialize(root)


def _patch_document(xml: bytes, settings: dict, book: Book) -> bytes:
    """Page size from the book's trim and margins from the yaml, in the reference's section properties."""
    root = ET.fromstring(xml)
    sect = _child(_child(root, "body", []), "sectPr", [])  # the last child of the body
    mm, trim = 1440 / 25.4, book.config.trim
    _set(_child(sect, "pgSz", _SECT_ORDER), replace=True, w=round(trim.width * mm), h=round(trim.height * mm))
    margins = {"top": 25, "bottom": 22, "left": 22, "right": 20, **(settings.get("margins_mm") or {})}
    _set(_child(sect, "pgMar", _SECT_ORDER), replace=True, header=round(12 * mm), footer=round(12 * mm),
         gutter=0, **{k: round(float(margins[k]) * mm) for k in ("top", "bottom", "left", "right")})
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text).encode("utf-8")


def _register_namespaces(xml: bytes) -> None:
    # Keep the conventional prefixes (w:, r:, …) when ElementTree writes the parts back.
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xml), events=("start-ns",)):
        ET.register_namespace(prefix, uri)


def build_reference_docx(book: Book, settings: dict, target: Path) -> Path:
    """pandoc's default reference.docx with fonts, language, headings, quote style and page size patched."""
    try:
        default = subprocess.run([bundled_pandoc(), "--print-default-data-file", "reference.docx"],
                                 capture_output=True, check=True, timeout=_TIMEOUT).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"無法從 pandoc 取得預設的 reference.docx：{exc}") from None
    patch = {"word/styles.xml": lambda xml: _patch_styles(xml, settings),
             "word/document.xml": lambda xml: _patch_document(xml, settings, book)}
    try:
        with zipfile.ZipFile(io.BytesIO(default)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in src.infolist():
                data = src.read(item)
                if item.filename in patch:
                    _register_namespaces(data)
                    data = patch[item.filename](data)
                out.writestr(item, data)
    except (zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
        raise BuildError(f"pandoc 的預設 reference.docx 無法解讀：{exc}") from None
    except (TypeError, ValueError) as exc:
        raise BuildError(f"DOCX 樣式設定檔的數值不正確：{exc}") from None
    return target


# --- writer -----------------------------------------------------------------------------------------------

def write_docx(book: Book, target: Path, styles: Path) -> Path:
    """Write dist/<slug>.docx atomically."""
    settings = load_docx_styles(styles)
    quote_name = settings["styles"][settings["quote_style"]]["name"]
    config = book.config
    meta = {"title": config.title, "toc-title": "目錄", "lang": settings.get("language", "zh-TW")}
    if config.subtitle:
        meta["subtitle"] = config.subtitle
    if config.editors or config.authors:
        meta["author"] = "、".join(config.editors or config.authors) + ("　編" if config.editors else "　著")
    if config.date:
        meta["date"] = str(config.date)
    with tempfile.TemporaryDirectory(prefix="kwbook-docx-") as tmp:
        reference = build_reference_docx(book, settings, Path(tmp) / "reference.docx")
        args = ["--quiet", "--toc", "--toc-depth=2", f"--reference-doc={reference}"]
        args += [f"--metadata={key}:{value}" for key, value in meta.items()]
        with atomic_output(target) as out:
            try:
                pypandoc.convert_text(docx_html(book, quote_name), "docx", format="html+east_asian_line_breaks",
                                      outputfile=str(out), extra_args=args, sandbox=True)
            except (RuntimeError, OSError) as exc:
                raise BuildError(f"pandoc 產生 DOCX 失敗：{exc}") from None
    return target
