"""Preflight, document level: PDF/X metadata, printing condition, box nesting, security, and qpdf and Ghostscript."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf

from . import printcond
from .model import BookConfig
from .preflight import _finding

PDFXID = "http://www.npes.org/pdfx/ns/id/"
PDF_NS = "http://ns.adobe.com/pdf/1.3/"
BOX_TOLERANCE_PT = 0.01
TOOL_TIMEOUT_S = 600


def _xmp_value(xmp: str, ns: str, name: str) -> str | None:
    """A simple XMP property, written as an element or as an attribute of rdf:Description."""
    prefixes = set(re.findall(r'xmlns:([\w-]+)="' + re.escape(ns) + '"', xmp))
    for prefix in prefixes:
        m = re.search(rf"<{prefix}:{name}>([^<]*)</{prefix}:{name}>", xmp) or re.search(rf'{prefix}:{name}="([^"]*)"', xmp)
        if m:
            return m.group(1).strip()
    return None


def _xmp(pdf: pikepdf.Pdf) -> str:
    meta = pdf.Root.get("/Metadata")
    return meta.read_bytes().decode("utf-8", "replace") if meta is not None else ""


def check_pdfx_version(pdf: pikepdf.Pdf) -> list:
    version = _xmp_value(_xmp(pdf), PDFXID, "GTS_PDFXVersion")
    if not version or not version.startswith("PDF/X-"):
        return [_finding("error", "pdfx-version")]
    return [_finding("ok", "pdfx-version", "found", version=version)]


def check_condition(pdf: pikepdf.Pdf, config: BookConfig | None) -> list:
    """The PDF/X output intent names a registered printing condition, and its profile is for that condition."""
    intent = next((i for i in pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"), None)
    if intent is None or intent.get("/DestOutputProfile") is None:
        return []  # check_output_intent reports the missing intent
    condition = str(intent.get("/OutputConditionIdentifier", ""))
    if condition not in printcond.CONDITIONS:
        return [_finding("error", "print-condition", "unknown", condition=condition, known="、".join(printcond.CONDITIONS))]
    description = printcond.profile_description(intent.DestOutputProfile.read_bytes())
    if not printcond.profile_matches(condition, description):
        return [_finding("error", "print-condition", "profile", condition=condition, description=description or "?")]
    if config is not None and condition != config.print.condition:
        return [_finding("error", "print-condition", "config", condition=condition, wanted=config.print.condition)]
    return [_finding("ok", "print-condition", condition=condition, description=description)]


def _rect(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(inner, outer) -> bool:
    a, b = _rect(inner), _rect(outer)
    t = BOX_TOLERANCE_PT
    return a[0] >= b[0] - t and a[1] >= b[1] - t and a[2] <= b[2] + t and a[3] <= b[3] + t


def check_box_nesting(pdf: pikepdf.Pdf) -> list:
    """TrimBox inside BleedBox inside MediaBox on every page (pages lacking boxes are check_boxes' finding)."""
    for n, page in enumerate(pdf.pages, 1):
        media, trim, bleed = page.obj.get("/MediaBox"), page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
        if trim is None or bleed is None or media is None:
            continue
        if not _inside(trim, bleed):
            return [_finding("error", "box-nesting", "trim", page=n)]
        if not _inside(bleed, media):
            return [_finding("error", "box-nesting", "bleed", page=n)]
    return [_finding("ok", "box-nesting")]


def check_document(pdf: pikepdf.Pdf) -> list:
    """No encryption, a document /ID, and the trapping state declared (True or False) in Info and XMP."""
    out = []
    out.append(_finding("error", "encrypted") if pdf.is_encrypted else _finding("ok", "encrypted", "none"))
    ident = pdf.trailer.get("/ID")
    has_id = isinstance(ident, pikepdf.Array) and len(ident) == 2 and all(len(bytes(x)) > 0 for x in ident)
    out.append(_finding("ok", "document-id") if has_id else _finding("error", "document-id", "missing"))
    info = str(pdf.trailer.get("/Info", {}).get("/Trapped", "")).lstrip("/")
    xmp = _xmp_value(_xmp(pdf), PDF_NS, "Trapped") or ""
    if info in ("True", "False") and xmp == info:
        out.append(_finding("ok", "trapped", value=info))
    else:
        out.append(_finding("error", "trapped", "unset", info=info or "-", xmp=xmp or "-"))
    return out


def _tool(name: str, args: list[str]) -> tuple[int, str] | None:
    """Run an external checker; None when it is not installed."""
    exe = shutil.which(name)
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, *args], capture_output=True, text=True, errors="replace", timeout=TOOL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return 124, "timeout"
    return done.returncode, (done.stdout + "\n" + done.stderr).strip()


def _first_problem(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else "?"


def check_qpdf(path: Path) -> list:
    """`qpdf --check`: structure, cross-reference table and content streams, without a warning."""
    result = _tool("qpdf", ["--check", str(path)])
    if result is None:
        return [_finding("error", "tool-missing", tool="qpdf")]
    code, text = result
    problems = [line for line in text.splitlines() if line.startswith(("WARNING", "ERROR", "qpdf:"))]
    if code != 0 or problems:
        return [_finding("error", "qpdf", reason=_first_problem("\n".join(problems) or text))]
    return [_finding("ok", "qpdf", "clean")]


def check_ghostscript(path: Path, pages: int) -> list:
    """Ghostscript interprets every page (to the null device) without printing an error or a warning."""
    args = ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", "-dPDFSTOPONERROR", str(path)]
    result = _tool("gs", args)
    if result is None:
        return [_finding("error", "tool-missing", tool="gs")]
    code, text = result
    if code != 0 or text:
        return [_finding("error", "ghostscript", reason=_first_problem(text) if text else f"exit {code}")]
    return [_finding("ok", "ghostscript", "clean", pages=pages)]


def check_all(pdf: pikepdf.Pdf, path: Path, config: BookConfig | None) -> list:
    """Every document-level check; the PDF is open in pikepdf, the external tools read the file."""
    findings = check_pdfx_version(pdf) + check_condition(pdf, config) + check_box_nesting(pdf) + check_document(pdf)
    return findings + check_qpdf(path) + check_ghostscript(path, len(pdf.pages))
