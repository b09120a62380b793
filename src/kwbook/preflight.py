"""`kwbook preflight`: read a PDF back and check what a print shop's preflight checks, one line each."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .messages import render
from .model import BookConfig

PT_PER_MM = 72 / 25.4
TOLERANCE_MM = 0.1
MIN_DPI = 300
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}


@dataclass(frozen=True)
class Finding:
    """One preflight result: severity is ok, warning or error."""

    severity: str
    code: str
    message: str
    # Set when the message comes from kwbook.messages, as in Diagnostic: shown in the current language.
    msgid: str = field(default="", compare=False)
    params: tuple = field(default=(), compare=False)

    def localized(self, lang: str | None = None) -> str:
        return render(self.msgid, lang, **dict(self.params)) if self.msgid else self.message

    def format(self, lang: str | None = None) -> str:
        return f"{self.severity}: {self.localized(lang)} [{self.code}]"


def _finding(severity: str, code: str, variant: str = "", **params) -> Finding:
    """A Finding whose message is the catalog's preflight.<code> (or preflight.<code>/<variant>)."""
    msgid = f"preflight.{code}" + (f"/{variant}" if variant else "")
    return Finding(severity, code, render(msgid, "zh", **params), msgid, tuple(sorted(params.items())))


def _mm(box) -> tuple[float, ...]:
    return tuple(float(v) / PT_PER_MM for v in box)


def _size_mm(box) -> tuple[float, float]:
    x0, y0, x1, y1 = _mm(box)
    return abs(x1 - x0), abs(y1 - y0)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE_MM


def check_boxes(pdf: pikepdf.Pdf, config: BookConfig | None) -> list[Finding]:
    out = []
    for n, page in enumerate(pdf.pages, 1):
        trim, bleed = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
        if trim is None or bleed is None:
            return [_finding("error", "boxes-missing", page=n)]
        if config is None:
            continue
        w, h = _size_mm(trim)
        bw, bh = _size_mm(bleed)
        b = config.print.bleed
        if not (_close(w, config.trim.width) and _close(h, config.trim.height)):
            return [_finding("error", "trimbox", page=n, width=w, height=h, trim_width=config.trim.width, trim_height=config.trim.height)]
        if not (_close(bw, w + 2 * b) and _close(bh, h + 2 * b)):
            return [_finding("error", "bleedbox", page=n, width=bw, height=bh, bleed=b)]
    if config is None:
        return [_finding("ok", "boxes")]
    return [_finding("ok", "boxes", "sized", width=config.trim.width, height=config.trim.height, bleed=config.print.bleed)]


def check_output_intent(pdf: pikepdf.Pdf) -> list[Finding]:
    intents = pdf.Root.get("/OutputIntents")
    if not intents:
        return [_finding("error", "output-intent", "none")]
    for intent in intents:
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFX" and profile is not None and int(profile.get("/N", 0)) == 4:
            name = str(intent.get("/OutputConditionIdentifier", ""))
            return [_finding("ok", "output-intent", name=name)]
    return [_finding("error", "output-intent", "not-cmyk")]


def _fonts(resources, seen: set) -> list[tuple[str, bool]]:
    found = []
    if resources is None:
        return found
    for _, font in (resources.get("/Font") or {}).items():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        embedded = font.get("/Subtype") == "/Type3" or (
            desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
        found.append((str(font.get("/BaseFont", "?")).lstrip("/"), embedded))
    for _, xobj in (resources.get("/XObject") or {}).items():
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            found += _fonts(xobj.get("/Resources"), seen)
    return found


def check_fonts(pdf: pikepdf.Pdf) -> list[Finding]:
    seen: set = set()
    fonts = [f for page in pdf.pages for f in _fonts(page.obj.get("/Resources"), seen)]
    missing = sorted({name for name, embedded in fonts if not embedded})
    if missing:
        return [_finding("error", "font-not-embedded", fonts="、".join(missing))]
    return [_finding("ok", "fonts", count=len(fonts))]


def _is_rgb(space, resources) -> bool:
    if isinstance(space, pikepdf.Name) and str(space) in RGB_SPACES:
        return True
    if isinstance(space, pikepdf.Name) and resources is not None and str(space) in (resources.get("/ColorSpace") or {}):
        space = resources.ColorSpace[str(space)]
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        kind = str(space[0])
        if kind in RGB_SPACES:
            return True
        if kind == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if kind in ("/Indexed", "/Separation", "/DeviceN") and len(space) > 1:
            return _is_rgb(space[1] if kind == "/Indexed" else space[2], resources)
    return False


def _walk(stream_owner, resources, ctm, report, seen) -> None:
    """Follow the graphics state through a content stream: RGB colour operators and drawn images."""
    stack = []
    for operands, op in pikepdf.parse_content_stream(stream_owner):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif op in ("rg", "RG"):
            report["rgb"] += 1
        elif op in ("cs", "CS") and _is_rgb(operands[0], resources):
            report["rgb"] += 1
        elif op == "Do" and resources is not None:
            xobj = (resources.get("/XObject") or {}).get(str(operands[0]))
            if xobj is None:
                continue
            if xobj.get("/Subtype") == "/Image":
                if _is_rgb(xobj.get("/ColorSpace"), resources):
                    report["rgb"] += 1
                wide = math.hypot(ctm[0], ctm[1]) / 72
                high = math.hypot(ctm[2], ctm[3]) / 72
                if wide > 0 and high > 0:
                    report["dpi"].append(min(int(xobj.Width) / wide, int(xobj.Height) / high))
            elif xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                matrix = [float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                a, b, c, d, e, f = matrix
                A, B, C, D, E, F = ctm
                inner = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
                _walk(xobj, xobj.get("/Resources") or resources, inner, report, seen)


def check_colour_and_images(pdf: pikepdf.Pdf) -> list[Finding]:
    report = {"rgb": 0, "dpi": []}
    for page in pdf.pages:
        _walk(page, page.obj.get("/Resources"), (1, 0, 0, 1, 0, 0), report, set())
    out = []
    if report["rgb"]:
        out.append(_finding("error", "rgb-colour", count=report["rgb"]))
    else:
        out.append(_finding("ok", "colour"))
    low = [d for d in report["dpi"] if d < MIN_DPI]
    if low:
        out.append(_finding("error", "image-resolution", "low", count=len(low), min_dpi=MIN_DPI, lowest=min(low)))
    elif report["dpi"]:
        out.append(_finding("ok", "image-resolution", count=len(report["dpi"]), lowest=min(report["dpi"])))
    else:
        out.append(_finding("ok", "image-resolution", "none"))
    return out


def check_pages(pdf: pikepdf.Pdf, config: BookConfig | None) -> list[Finding]:
    count = len(pdf.pages)
    signature = config.print.signature if config else 16
    if count % signature:
        extra = signature - count % signature
        return [_finding("warning", "signature", count=count, signature=signature, extra=extra)]
    return [_finding("ok", "pages", count=count, signatures=count // signature)]


def preflight(path: Path, config: BookConfig | None = None, cover: bool = False) -> list[Finding]:
    """Every check on the PDF at path; config (from book.yaml) gives trim, bleed and signature.

    A cover sheet is as wide as back, spine and front together, and has one page: its boxes are checked for
    presence only and its page count not at all.
    """
    from .preflight_doc import check_all

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [_finding("error", "unreadable", reason=exc)]
    with pdf:
        findings = check_boxes(pdf, None if cover else config) + check_output_intent(pdf) + check_fonts(pdf)
        findings += check_colour_and_images(pdf) + check_all(pdf, Path(path), config)
        return findings if cover else findings + check_pages(pdf, config)
