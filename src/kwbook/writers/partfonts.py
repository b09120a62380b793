"""One font per face in the merged book (writers/partmerge.py): the parts' subsets of a face joined into one.

Every part embeds its own subset of each face it uses. WeasyPrint writes Identity-H codes that are CIDs (the
original font's glyph ids: a TrueType subset keeps them as glyph ids, CIDToGIDMap Identity; a CID-keyed CFF
subset keeps them in its charset) and names a subset after the font description (`WPRGRP+Noto-Serif-CJK-TC`),
so the subsets of one face in different parts share a name and codes and differ only in which glyphs they hold.
For each such name the merge keeps one font dictionary: its program is the union of the parts' programs, glyph
by glyph (the parts' own charstrings or glyf entries, copied unchanged by writers/fontjoin.py and cffjoin.py, so
every outline is the one its part drew for that code), its /W and ToUnicode map the union of theirs, and every
part's resources point at it. A face whose parts do not agree (another encoding, a glyph drawn or mapped
differently, other metrics) is left as it was. The joined programs are cached by the digest of the parts'
programs (dist/.build/<slug>/fonts/), since the screen and the press PDF, and the next build, usually share them.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import cffjoin, fontjoin
from .blobcache import BlobCache
from .fontjoin import Disagree, join_programs

FORMAT = b"kwbook-fonts-1"
_FIXED_PITCH = 1
_SAME = ("/Ascent", "/Descent", "/CapHeight", "/ItalicAngle", "/StemV", "/StemH", "/FontFamily")


def resources(pdf: pikepdf.Pdf) -> list[Dictionary]:
    """Every resource dictionary of the pages, of the form XObjects they draw and of annotation appearances."""
    found, seen = [], set()

    def walk(res):
        if not isinstance(res, Dictionary) or res.objgen in seen and res.objgen != (0, 0):
            return
        seen.add(res.objgen)
        found.append(res)
        for xobject in (res.get("/XObject") or {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", []):
            for appearance in (annot.get("/AP") or {}).values():
                if isinstance(appearance, pikepdf.Stream):
                    walk(appearance.get("/Resources"))
    return found


def _font_dicts(pdf: pikepdf.Pdf) -> list[tuple[Dictionary, str]]:
    """Every (resource /Font dictionary, key) pair."""
    found = []
    for res in resources(pdf):
        fonts = res.get("/Font")
        if isinstance(fonts, Dictionary):
            found.extend((fonts, key) for key in fonts.keys())
    return found


def _program(font: Dictionary) -> tuple[pikepdf.Stream, str]:
    descriptor = font.DescendantFonts[0].FontDescriptor
    for key in ("/FontFile3", "/FontFile2"):
        if key in descriptor:
            return descriptor[key], key
    raise Disagree("no embedded program")


def _check(fonts: list[Dictionary]) -> None:
    """Raise Disagree unless the fonts are CID fonts of one face, codes kept, that one dictionary can stand for."""
    first = fonts[0]
    for font in fonts:
        if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H" \
                or len(font.get("/DescendantFonts", [])) != 1:
            raise Disagree("encoding")
        cid, cid0 = font.DescendantFonts[0], first.DescendantFonts[0]
        if cid.get("/CIDToGIDMap") != "/Identity" or cid.get("/Subtype") != cid0.get("/Subtype") \
                or "/W2" in cid or "/DW" in cid or "/DW" in cid0:
            raise Disagree("descendant")
        descriptor, descriptor0 = cid.FontDescriptor, cid0.FontDescriptor
        if any(str(descriptor.get(k)) != str(descriptor0.get(k)) for k in _SAME) \
                or int(descriptor.Flags) & ~_FIXED_PITCH != int(descriptor0.Flags) & ~_FIXED_PITCH:
            raise Disagree("descriptor")
        if _program(font)[1] != _program(first)[1] or _program(font)[0].get("/Subtype") != _program(first)[0].get("/Subtype"):
            raise Disagree("program type")


def _widths(cid: Dictionary) -> dict[int, float]:
    """/W as glyph id → width (both the `c [w …]` and the `c_first c_last w` forms)."""
    widths, items, i = {}, list(cid.get("/W", [])), 0
    while i < len(items):
        start = int(items[i])
        if isinstance(items[i + 1], Array):
            for n, width in enumerate(items[i + 1]):
                widths[start + n] = float(width)
            i += 2
        else:
            for gid in range(start, int(items[i + 1]) + 1):
                widths[gid] = float(items[i + 2])
            i += 3
    return widths


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _w_array(widths: dict[int, float]) -> Array:
    result, run, previous = [], None, None
    for gid in sorted(widths):
        if previous is None or gid != previous + 1:
            run = []
            result += [gid, run]
        run.append(_number(widths[gid]))
        previous = gid
    return Array([Array(x) if isinstance(x, list) else x for x in result])


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def _to_unicode(font: Dictionary) -> dict[int, str]:
    data = font.ToUnicode.read_bytes()
    if b"beginbfrange" in data:
        raise Disagree("bfrange")
    return {int(g, 16): t.decode("ascii").lower() for block in _BFCHAR.findall(data) for g, t in _PAIR.findall(block)}


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{text}>".encode() for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _union(maps: list[dict], what: str) -> dict:
    merged: dict = {}
    for mapping in maps:
        for key, value in mapping.items():
            if merged.setdefault(key, value) != value:
                raise Disagree(f"{what} of glyph {key}")
    return merged


class FontCache(BlobCache):
    """Joined programs (Flate-compressed) under a folder, keyed by the digest of the programs joined and of
    this module and the joining ones; the newest LIMIT files are kept."""

    LIMIT = 48

    def __init__(self, root: Path | None):
        super().__init__(root, FORMAT, self.LIMIT)
        code = b"".join(Path(m.__file__).read_bytes() for m in (fontjoin, cffjoin))
        self.code = hashlib.sha256(FORMAT + Path(__file__).read_bytes() + code).digest()

    def key(self, programs: list[bytes]) -> str:
        digests = sorted(hashlib.sha256(p).digest() for p in programs)
        return hashlib.sha256(self.code + b"".join(digests)).hexdigest()


def _join_face(pdf: pikepdf.Pdf, fonts: list[Dictionary], cache: FontCache) -> Dictionary:
    """Make fonts[0] stand for all of fonts (program, widths, ToUnicode, descriptor); returns it."""
    _check(fonts)
    keep = fonts[0]
    cid, descriptor = keep.DescendantFonts[0], keep.DescendantFonts[0].FontDescriptor
    widths = _union([_widths(f.DescendantFonts[0]) for f in fonts], "width")
    mapping = _union([_to_unicode(f) for f in fonts], "text")
    streams = [_program(f)[0] for f in fonts]
    digest = cache.key([s.read_raw_bytes() for s in streams])
    packed = cache.get(digest)
    if packed is None:
        programs = sorted((s.read_bytes() for s in streams), key=lambda p: hashlib.sha256(p).digest())
        packed = zlib.compress(join_programs(programs), 6)
        cache.put(digest, packed)
    program, key = _program(keep)
    extra = {k: v for k, v in program.items() if k not in ("/Length", "/Filter", "/DecodeParms", "/Length1")}
    joined = pikepdf.Stream(pdf, packed)
    joined.Filter = Name.FlateDecode
    for k, v in extra.items():
        joined[k] = v
    if key == "/FontFile2":
        joined.Length1 = len(zlib.decompress(packed))
    descriptor[key] = pdf.make_indirect(joined)
    cid.W = _w_array(widths)
    flags = int(descriptor.Flags) & ~_FIXED_PITCH
    if len(widths) > 1 and len(set(widths.values())) == 1:
        flags |= _FIXED_PITCH
    descriptor.Flags = flags
    bbox = list(descriptor.FontBBox)
    descriptor.FontBBox = Array([bbox[0], bbox[1], _number(max(widths.values(), default=0)), bbox[3]])
    if "/CIDSet" in descriptor:
        bits = bytearray((max(widths) // 8 + 1) if widths else 1)
        for gid in widths:
            bits[gid // 8] |= 0x80 >> (gid % 8)
        descriptor.CIDSet = pdf.make_indirect(pikepdf.Stream(pdf, bytes(bits)))
    keep.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, _cmap_stream(mapping)))
    return keep


def dedupe_fonts(pdf: pikepdf.Pdf, cache_dir: Path | None = None) -> dict[str, int]:
    """Join the subsets of each face embedded more than once; returns face name → number of subsets joined."""
    entries = _font_dicts(pdf)
    faces: dict[str, list[Dictionary]] = {}
    seen: set[tuple[int, int]] = set()
    for fonts, key in entries:
        font = fonts[key]
        if isinstance(font, Dictionary) and "/BaseFont" in font and font.objgen not in seen:
            seen.add(font.objgen)
            faces.setdefault(str(font.BaseFont), []).append(font)
    cache = FontCache(cache_dir)
    joined: dict[str, int] = {}
    for name, fonts in faces.items():
        if len(fonts) < 2:
            continue
        try:
            keep = _join_face(pdf, fonts, cache)
        except Disagree:
            continue
        members = {f.objgen for f in fonts}
        for resources, key in entries:
            if resources[key].objgen in members:
                resources[key] = keep
        joined[name] = len(fonts)
    return joined
