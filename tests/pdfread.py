"""Reading built PDFs back for tests: outline, fonts, text per page."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf


def outline(path: Path) -> list[tuple[str, int, list]]:
    """[(title, page index, children)] of the PDF's bookmarks."""
    with pikepdf.open(path) as pdf:
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def walk(items):
            out = []
            for item in items:
                dest = item.destination
                if dest is None and item.action is not None:
                    dest = item.action.get("/D")
                page = index.get(dest[0].objgen) if dest is not None else None
                out.append((str(item.title), page, walk(item.children)))
            return out

        with pdf.open_outline() as ol:
            return walk(ol.root)


def fonts(path: Path) -> dict[str, bool]:
    """Base font name → embedded, for every font used on any page."""
    found: dict[str, bool] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                name = str(font.get("/BaseFont"))
                desc = font.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in font:
                    desc = font.DescendantFonts[0].get("/FontDescriptor")
                embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[name] = embedded
    return found


def page_texts(pdf: Path) -> list[str]:
    """Text of each page as pdftotext -layout gives it (running head, body, folio where they stand). A file read
    before and not changed since (same size, mtime and inode) is not read again: poppler takes 10 s for a 457-page
    press PDF, and the shared 151-entry PDFs are compared by several tests of a worker."""
    stat = Path(pdf).stat()
    return list(_page_texts(str(pdf), (stat.st_size, stat.st_mtime_ns, stat.st_ino)))


@functools.lru_cache(maxsize=8)
def _page_texts(pdf: str, stamp: tuple[int, int, int]) -> tuple[str, ...]:
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return tuple(out.split("\f")[:-1])


def page_lines(path: Path, first: int = 0, last: int | None = None) -> list[list[str]]:
    """Text lines of each page (of pages[first:last] only, if given: pdfplumber takes 40 s for a 467-page book),
    top to bottom."""
    with pdfplumber.open(path) as pdf:
        return [(page.extract_text() or "").splitlines() for page in pdf.pages[first:last]]


def folio(path: Path, index: int) -> str:
    """The text printed in the bottom margin of page index (its page number)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        words = page.extract_words()
        return " ".join(w["text"] for w in words if w["top"] > page.height * 0.9)


CHAR_KEYS = ("text", "size", "fontname", "top", "x0", "x1")


@functools.lru_cache(maxsize=2)
def _chars(path: str, stamp: tuple[int, int]) -> tuple[tuple[dict, ...], ...]:
    """Every character of every page (the fields rows() reads), parsed once per file and kept for the next caller:
    pdfplumber's parse of a 470-page book is what the line checks spend their time on."""
    with pdfplumber.open(path) as pdf:
        return tuple(tuple({k: c[k] for k in CHAR_KEYS} for c in page.chars) for page in pdf.pages)


def rows(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC") -> dict[int, dict[float, list]]:
    """Characters of one size and font, grouped by page and by line (their top)."""
    out: dict[int, dict[float, list]] = {}
    info = Path(path).stat()
    for n, chars in enumerate(_chars(str(Path(path).resolve()), (info.st_mtime_ns, info.st_size))):
        for c in chars:
            if abs(c["size"] - size) < 0.05 and c["fontname"].endswith(font):
                out.setdefault(n, {}).setdefault(round(c["top"], 1), []).append(c)
    return out


def line_texts(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC") -> list[str]:
    return ["".join(c["text"] for c in sorted(r, key=lambda c: c["x0"])) for page in rows(path, size, font).values() for r in page.values()]


def body_lines(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC"):
    """Lines of body text: [(page, top, x0, x1, text, next_starts_flush)].

    Only lines with a successor: the next line on the same page within 1.5 line pitches. Lines without one
    (before a heading, at a page foot) are left out, being possibly paragraph-final.
    """
    out = []
    for n, page_rows in rows(path, size, font).items():
        tops = sorted(page_rows)
        left = min(min(c["x0"] for c in page_rows[t]) for t in tops)
        for a, b in zip(tops, tops[1:]):
            if b - a > size * 1.75 * 1.5:
                continue
            row = sorted(page_rows[a], key=lambda c: c["x0"])
            nxt = min(c["x0"] for c in page_rows[b])
            out.append((n, a, row[0]["x0"], row[-1]["x1"], "".join(c["text"] for c in row), nxt - left < size))
    return out


def flush_share(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC") -> tuple[int, int, list]:
    """(flush non-final body lines, all non-final body lines, the ragged ones) of a PDF.

    The right edge of a page is where most of its lines end. A line is flush when its last glyph's box ends
    there (±0.5 pt), or, for a mark set at half width (mainland compression: 》 before a （ that opens the next
    line), when the half-width advance ends there: pdfplumber gives every glyph its full-width box.
    """
    from collections import Counter

    lines = body_lines(path, size, font)
    ends: dict[int, Counter] = {}
    for page, _, _, x1, _, _ in lines:
        ends.setdefault(page, Counter())[round(x1, 1)] += 1
    right = {page: counts.most_common(1)[0][0] for page, counts in ends.items()}
    non_final = [line for line in lines if line[5]]
    ragged = [line for line in non_final
              if abs(right[line[0]] - line[3]) > 0.5 and abs(right[line[0]] - (line[3] - size / 2)) > 0.5]
    return len(non_final) - len(ragged), len(non_final), ragged


_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", "replace")


def unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    """The font's ToUnicode CMap as code → text (its bfchar and bfrange blocks)."""
    found: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return found
    data = font.ToUnicode.read_bytes()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                found.update((lo + n, _utf16(item)) for n, item in enumerate(_HEX.findall(dst)))
                continue
            first = bytes.fromhex(dst[1:-1].decode())
            for n in range(hi - lo + 1):
                last = (int.from_bytes(first[-2:], "big") + n).to_bytes(2, "big")
                found[lo + n] = (first[:-2] + last).decode("utf-16-be", "replace")
    return found


def mcid_texts(page: pikepdf.Page, fonts: dict) -> dict[int, str]:
    """The text each marked-content id of the page shows, read from its content stream and the form XObjects it
    draws (a string shown inside nested marked content belongs to the innermost sequence with an MCID), decoded
    through the fonts' ToUnicode maps; fonts caches them across pages. Read as pdfplumber reads the characters'
    MCIDs (the same text on every MCID of the 151-entry PDFs, checked), ten times faster."""
    texts: dict[int, str] = {}
    marks: list[int | None] = []  # each open marked-content sequence's MCID (None: it has none)

    def run(content, resources: pikepdf.Dictionary) -> None:
        font = [None]  # the current font, saved and restored with the graphics state
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op == "q":
                font.append(font[-1])
            elif op == "Q" and len(font) > 1:
                font.pop()
            elif op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = (resources.get("/Properties") or {}).get(props)
                marks.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None)
            elif op == "BMC":
                marks.append(None)
            elif op == "EMC" and marks:
                marks.pop()
            elif op == "Tf":
                font[-1] = resources.Font[operands[0]]
            elif op in ("Tj", "'", '"', "TJ"):
                mcid = next((m for m in reversed(marks) if m is not None), None)
                if mcid is None or font[-1] is None:
                    continue
                if font[-1].objgen not in fonts:
                    fonts[font[-1].objgen] = (2 if font[-1].get("/Subtype") == "/Type0" else 1, unicode_map(font[-1]))
                width, mapping = fonts[font[-1].objgen]
                shown = [s for s in operands[0] if isinstance(s, pikepdf.String)] if op == "TJ" else [operands[-1]]
                for string in shown:
                    raw = bytes(string)
                    codes = (int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width))
                    texts[mcid] = texts.get(mcid, "") + "".join(mapping.get(c, f"(cid:{c})") for c in codes)
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    run(xobject, xobject.get("/Resources", resources))

    run(page, page.obj.get("/Resources", pikepdf.Dictionary()))
    return texts


def structure(path: Path, roles: tuple[str, ...] = ()) -> list[tuple[str, int, str]]:
    """The tagged PDF's structure tree, depth first: [(role, depth, text)], text read through the MCIDs.

    With roles, only elements of those roles are listed (their text still includes all content below them).
    """
    with pikepdf.open(path) as pdf:
        page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
        texts: dict[int, dict[int, str]] = {}
        fonts: dict = {}

        def mcid_text(page: int, mcid: int) -> str:
            if page not in texts:
                texts[page] = mcid_texts(pdf.pages[page], fonts)
            return texts[page].get(mcid, "")

        out: list[tuple[str, int, str]] = []

        def walk(elem, depth: int, page) -> str:
            page = page_of.get(elem.Pg.objgen, page) if "/Pg" in elem else page
            role = str(elem.get("/S", "")).lstrip("/")
            slot = len(out)
            if not roles or role in roles:
                out.append((role, depth, ""))
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            text = ""
            for kid in kids:
                if isinstance(kid, int):
                    text += mcid_text(page, int(kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    text += mcid_text(page_of.get(kid.Pg.objgen, page) if "/Pg" in kid else page, int(kid.MCID))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    text += walk(kid, depth + 1, page)
            if not roles or role in roles:
                out[slot] = (role, depth, text)
            return text

        root = pdf.Root.StructTreeRoot.K
        for top in (list(root) if isinstance(root, pikepdf.Array) else [root]):
            walk(top, 0, None)
        return out


def paragraph_final_lines(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC") -> list[str]:
    """Text of body lines that end a paragraph: the next line on the page is indented or after a gap.

    Lines at a page foot are left out (their paragraph may go on overleaf).
    """
    out = []
    for page_rows in rows(path, size, font).values():
        tops = sorted(page_rows)
        left = min(min(c["x0"] for c in page_rows[t]) for t in tops)
        for a, b in zip(tops, tops[1:]):
            indented = min(c["x0"] for c in page_rows[b]) - left >= size
            if indented or b - a > size * 1.75 * 1.5:
                out.append("".join(c["text"] for c in sorted(page_rows[a], key=lambda c: c["x0"])))
    return out


def tag_problems(path: Path) -> list[str]:
    """What is wrong with the tagged PDF's structure references (empty when nothing is).

    Every marked-content id on a page is reached from the ParentTree (page /StructParents → array indexed by
    MCID) by an element that holds it; every /Pg is a page of the document; every OBJR names an annotation of
    its page whose /StructParent maps back to the OBJR's element; ParentTree keys are unique.
    """
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        if len(keys) != len(set(keys)):
            problems.append("ParentTree keys repeat")
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        seen: set = set()

        def walk(elem, page):
            if elem.objgen in seen:
                problems.append(f"element {elem.objgen} reached twice")
                return
            seen.add(elem.objgen)
            if "/Pg" in elem:
                if elem.Pg.objgen not in pages:
                    problems.append(f"element {elem.objgen}: /Pg is not a page of the document")
                page = elem.Pg
            kids = elem.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    where = kid.Pg if "/Pg" in kid else page
                    annots = [a.objgen for a in where.get("/Annots", [])]
                    if kid.Obj.objgen not in annots:
                        problems.append(f"OBJR {kid.Obj.objgen} is not an annotation of its page")
                    elif tree.get(int(kid.Obj.get("/StructParent", -1)), pikepdf.Dictionary()).objgen != elem.objgen:
                        problems.append(f"annotation {kid.Obj.objgen}: /StructParent does not lead to its element")
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.P.objgen != elem.objgen:
                        problems.append(f"element {kid.objgen}: /P is not its parent")
                    walk(kid, page)

        documents = {kid.objgen for kid in pdf.Root.StructTreeRoot.K}
        for kid in pdf.Root.StructTreeRoot.K:
            walk(kid, None)
        for n, page in enumerate(pdf.pages):
            mcids = [int(ops[1].MCID) for ops, op in pikepdf.parse_content_stream(page)
                     if str(op) == "BDC" and isinstance(ops[1], pikepdf.Dictionary) and "/MCID" in ops[1]]
            if not mcids:
                continue
            parents = tree.get(int(page.obj.get("/StructParents", -1)))
            if parents is None:
                problems.append(f"page {n + 1}: its /StructParents is not in the ParentTree")
                continue
            for mcid in mcids:
                elem = parents[mcid] if mcid < len(parents) else None
                if not isinstance(elem, pikepdf.Dictionary):
                    problems.append(f"page {n + 1}: MCID {mcid} is not in the ParentTree")
                    continue
                # WeasyPrint 70 tags margin boxes (running heads, folios) under the Document without making them
                # its kids: such an element must still name the document's one Document element as its parent
                up, steps = elem, 0
                while up.objgen not in seen and up.objgen not in documents and "/P" in up and steps < 50:
                    up, steps = up.P, steps + 1
                if up.objgen not in seen and up.objgen not in documents:
                    problems.append(f"page {n + 1}: MCID {mcid} maps to an element outside the tree")
                    continue
                kids = elem.get("/K")
                kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
                held = [int(k) for k in kids if isinstance(k, int)] + [
                    int(k.MCID) for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"
                    and k.get("/Pg", page).objgen == page.objgen]
                if mcid not in held:
                    problems.append(f"page {n + 1}: MCID {mcid} maps to an element that does not hold it")
    return problems
