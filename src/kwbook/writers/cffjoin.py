"""CID-keyed CFF subsets of one face joined by CID, for writers/fontjoin.py: raw CFF tables read and written.

A PDF CIDFontType0 finds a code's glyph through the CFF charset (CID → glyph id). WeasyPrint's subsets keep every
glyph's CID but not always its glyph id, so their charstrings (desubroutinized: each stands alone) are joined by
CID into one table whose glyph id is its CID, font dicts matched by name, FDSelect rewritten.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from itertools import accumulate, compress
from operator import ne, sub

from fontTools.ttLib import TTFont


class Disagree(Exception):
    """The parts' subsets of a face cannot be joined into one font."""


def _offsets(data: bytes, size: int) -> list[int]:
    """Big-endian unsigned integers of size bytes each."""
    wide = bytearray(len(data) // size * 4)
    for i in range(size):
        wide[4 - size + i::4] = data[i::size]
    return words(bytes(wide), "I")


def _read_index(data: bytes, pos: int) -> tuple[list[bytes], int]:
    """A CFF INDEX at pos: its entries and the position after it."""
    count = int.from_bytes(data[pos:pos + 2], "big")
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    start = pos + 3
    offsets = _offsets(data[start:start + (count + 1) * size], size)
    base = start + (count + 1) * size - 1
    return [data[base + offsets[i]:base + offsets[i + 1]] for i in range(count)], base + offsets[-1]


def _write_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\0\0"
    offsets = list(accumulate(map(len, items), initial=1))
    size = 1 if offsets[-1] < 1 << 8 else 2 if offsets[-1] < 1 << 16 else 3 if offsets[-1] < 1 << 24 else 4
    wide = packed(offsets, "I")
    narrow = bytearray(len(offsets) * size)
    for i in range(size):
        narrow[i::size] = wide[4 - size + i::4]
    return len(items).to_bytes(2, "big") + bytes([size]) + bytes(narrow) + b"".join(items)


_EMPTY = b"\x0e"  # endchar alone: the charstring of a glyph a subset left out (no other program is 1 byte long)


def _read_charstrings(data: bytes, pos: int) -> tuple[int, dict[int, bytes]]:
    """The CharStrings INDEX at pos: how many glyphs, and the charstring of each glyph that is drawn."""
    count, size = int.from_bytes(data[pos:pos + 2], "big"), data[pos + 2]
    start = pos + 3
    offsets = _offsets(data[start:start + (count + 1) * size], size)
    base = start + (count + 1) * size - 1
    drawn = compress(range(count), map((1).__ne__, map(sub, offsets[1:], offsets[:-1])))
    return count, {i: data[base + offsets[i]:base + offsets[i + 1]] for i in drawn}


def _read_dict(data: bytes) -> list[tuple[bytes, bytes, list]]:
    """A CFF DICT as (operator, operand bytes, integer operands or None for a real) in order."""
    entries, pos, start, operands = [], 0, 0, []
    while pos < len(data):
        b0 = data[pos]
        if b0 <= 21:
            op = data[pos:pos + 2] if b0 == 12 else data[pos:pos + 1]
            pos += len(op)
            entries.append((op, data[start:pos - len(op)], operands))
            start, operands = pos, []
        elif b0 == 28:
            operands.append(int.from_bytes(data[pos + 1:pos + 3], "big", signed=True))
            pos += 3
        elif b0 == 29:
            operands.append(int.from_bytes(data[pos + 1:pos + 5], "big", signed=True))
            pos += 5
        elif b0 == 30:  # a real: nibbles up to the 0xf end nibble
            pos += 1
            while data[pos] & 0x0F != 0x0F and data[pos] >> 4 != 0x0F:
                pos += 1
            pos += 1
            operands.append(None)
        elif b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif b0 <= 250:
            operands.append((b0 - 247) * 256 + data[pos + 1] + 108)
            pos += 2
        else:
            operands.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
            pos += 2
    return entries


def _int5(value: int) -> bytes:
    return b"\x1d" + value.to_bytes(4, "big", signed=True)


_CHARSET, _CHARSTRINGS, _PRIVATE, _SUBRS = b"\x0f", b"\x11", b"\x12", b"\x13"
_FDSELECT, _FDARRAY = b"\x0c\x25", b"\x0c\x24"


def _charset(data: bytes, pos: int, glyphs: int) -> tuple[bytes, array]:
    """The charset at pos: its bytes and the CID of each glyph but .notdef (2 bytes each: a merge of a large
    book holds every part's charsets of a face at once)."""
    fmt, at = data[pos], pos + 1
    if fmt == 0:
        table = array("H", data[at:at + 2 * (glyphs - 1)])
        if sys.byteorder == "little":
            table.byteswap()
        return data[pos:at + 2 * (glyphs - 1)], table
    step, cids = (3 if fmt == 1 else 4), array("H")
    while len(cids) < glyphs - 1:
        first, left = int.from_bytes(data[at:at + 2], "big"), int.from_bytes(data[at + 2:at + step], "big")
        cids.extend(range(first, first + left + 1))
        at += step
    return data[pos:at], cids[:glyphs - 1]


def _read_fdselect(data: bytes, pos: int, glyphs: int) -> bytes:
    """Each glyph's font dict index, a byte each."""
    if data[pos] == 0:
        return bytes(data[pos + 1:pos + 1 + glyphs])
    if data[pos] != 3:
        raise Disagree("FDSelect format")
    count, at, select = int.from_bytes(data[pos + 1:pos + 3], "big"), pos + 3, bytearray()
    for i in range(count):
        first, fd = int.from_bytes(data[at:at + 2], "big"), data[at + 2]
        end = int.from_bytes(data[at + 3:at + 5], "big")
        select += bytes([fd]) * (end - first)
        at += 3
    return bytes(select)


def _write_fdselect(select: list[int]) -> bytes:
    ranges = [(gid, select[gid]) for gid in [0, *compress(range(1, len(select)), map(ne, select[1:], select))]]
    return b"\x03" + len(ranges).to_bytes(2, "big") + b"".join(
        g.to_bytes(2, "big") + bytes([fd]) for g, fd in ranges) + len(select).to_bytes(2, "big")


_FONTNAME = b"\x0c\x26"
_OFFSETS = (_CHARSET, _CHARSTRINGS, _FDSELECT, _FDARRAY)


class _CFF:
    """The parts of a CID-keyed CFF table the join reads and rewrites; the rest is kept as bytes."""

    def __init__(self, data: bytes):
        _, head_end = _read_index(data, data[2])  # header, names
        self.head = data[:head_end]  # kept alone: the table's bytes are not held once read
        tops, pos = _read_index(data, head_end)
        self.strings, pos = _read_index(data, pos)
        subrs, _ = _read_index(data, pos)  # global subroutines
        if len(tops) != 1 or subrs:
            raise Disagree("CFF layout")
        self.top = _read_dict(tops[0])
        ops = {op: operands for op, _, operands in self.top}
        if _FDARRAY not in ops or _FDSELECT not in ops or any(op == _PRIVATE for op in ops):
            raise Disagree("not CID-keyed")
        glyphs, self.drawn = _read_charstrings(data, ops[_CHARSTRINGS][0])
        self.glyphs = glyphs
        self.charset, self.cids = _charset(data, ops[_CHARSET][0], glyphs)
        self.select = _read_fdselect(data, ops[_FDSELECT][0], glyphs)
        self.fds = []  # (font dict entries but FontName and Private, Private dict bytes, FontName)
        for raw in _read_index(data, ops[_FDARRAY][0])[0]:
            entries = _read_dict(raw)
            size, offset = next(operands for op, _, operands in entries if op == _PRIVATE)
            private = data[offset:offset + size]
            if any(op == _SUBRS for op, _, _ in _read_dict(private)):
                raise Disagree("subroutines")
            sid = next((operands[0] for op, _, operands in entries if op == _FONTNAME), None)
            name = self.string(sid) if sid is not None else b""
            rest = b"".join(b + op for op, b, _ in entries if op not in (_PRIVATE, _FONTNAME))
            self.fds.append((rest, private, name))

    def string(self, sid: int) -> bytes:
        if sid < 391:
            raise Disagree("standard string as a font dict name")
        return self.strings[sid - 391]

    def compile(self) -> bytes:
        """The table with the (joined) charstrings, FDSelect and font dicts; offsets as 5-byte integers."""
        strings = list(self.strings)
        sids = []
        for _, _, name in self.fds:
            if name not in strings:
                strings.append(name)
            sids.append(391 + strings.index(name))
        middle = _write_index(strings) + b"\0\0"  # no global subroutines

        def top_dict(charset: int, fdselect: int, charstrings: int, fdarray: int) -> bytes:
            kept = b"".join(b + op for op, b, _ in self.top if op not in _OFFSETS)
            return kept + _int5(charset) + _CHARSET + _int5(fdselect) + _FDSELECT \
                + _int5(charstrings) + _CHARSTRINGS + _int5(fdarray) + _FDARRAY

        def font_dicts(at: int) -> list[bytes]:
            found = []
            for (rest, private, _), sid in zip(self.fds, sids):
                found.append(_int5(sid) + _FONTNAME + rest + _int5(len(private)) + _int5(at) + _PRIVATE)
                at += len(private)
            return found

        head = self.head
        items = [_EMPTY] * self.glyphs
        for gid, program in self.drawn.items():
            items[gid] = program
        fdselect, charstrings = _write_fdselect(self.select), _write_index(items)
        charset_at = len(head) + len(_write_index([top_dict(0, 0, 0, 0)])) + len(middle)
        fdselect_at = charset_at + len(self.charset)
        charstrings_at = fdselect_at + len(fdselect)
        fdarray_at = charstrings_at + len(charstrings)
        private_at = fdarray_at + len(_write_index(font_dicts(0)))
        return head + _write_index([top_dict(charset_at, fdselect_at, charstrings_at, fdarray_at)]) + middle \
            + self.charset + fdselect + charstrings + _write_index(font_dicts(private_at)) \
            + b"".join(private for _, private, _ in self.fds)


def join_cff(base: TTFont, others: list[TTFont]) -> tuple[bytes, dict[int, tuple[int, int]], int, dict[int, int]]:
    """One CID-keyed CFF table drawing every CID any subset draws, at glyph id = CID (an identity charset).

    A PDF CIDFontType0 finds a code's glyph through the charset (CID → glyph id), and a subset's glyph ids need
    not be its CIDs: a glyph HarfBuzz adds by closure (a cmap 14 variation of a kept character) past the last
    glyph id asked for is renumbered by WeasyPrint's second, gid-trimming pass and keeps its CID. So glyphs are
    joined by CID. Returns the table; target glyph id → (font, glyph id) for each metrics row that is not the
    base's at the same index; the number of glyphs; base glyph id → CID where they differ.
    """
    fonts = [_CFF(base.reader["CFF "]), *(_CFF(other.reader["CFF "]) for other in others)]
    cff = fonts[0]
    fds = {name: n for n, (_, _, name) in enumerate(cff.fds)}
    glyphs: dict[int, tuple[bytes, int, int, int]] = {}  # CID → (charstring, font dict, font, glyph id)
    for source, theirs in enumerate(fonts):
        where = []
        for n, (_, _, name) in enumerate(theirs.fds):
            if name not in fds:
                cff.fds.append(theirs.fds[n])
                fds[name] = len(cff.fds) - 1
            if cff.fds[fds[name]] != theirs.fds[n]:
                raise Disagree(f"font dict {name!r}")
            where.append(fds[name])
        cids = [0, *theirs.cids]
        if len(set(cids)) != len(cids):
            twice = {cids[gid] for gid in theirs.drawn} & {c for c, k in Counter(cids).items() if k > 1}
            if twice:  # which glyph a reader takes for such a CID is not ours to guess
                raise Disagree(f"CID {min(twice)} twice in one charset")
        for gid, program in theirs.drawn.items():
            drawn = (program, where[theirs.select[gid]])
            known = glyphs.setdefault(cids[gid], (*drawn, source, gid))
            if known[:2] != drawn:
                raise Disagree(f"outline of CID {cids[gid]}")
    count = max(cff.glyphs, max(cff.cids, default=0) + 1, max(glyphs, default=0) + 1)  # every base CID has a place
    if not 2 <= count <= 0xFFFF:
        raise Disagree(f"{count} glyphs")
    base_cids = [0, *cff.cids]
    own = {cid: gid for gid, cid in enumerate(base_cids)}
    rows, select = {}, []
    for target in range(count):
        if target in glyphs:
            _, fd, source, gid = glyphs[target]
        else:  # drawn by no subset: the base's row for that CID, or .notdef's
            source, gid = 0, own.get(target, 0)
            fd = cff.select[gid] if target in own else 0
        select.append(fd)
        if (source, gid) != (0, target):
            rows[target] = (source, gid)
    cff.glyphs, cff.select = count, select
    cff.drawn = {cid: found[0] for cid, found in glyphs.items()}
    cff.charset = b"\x02\x00\x01" + (count - 2).to_bytes(2, "big")  # one range: CIDs 1 … count-1 at their ids
    moved = {gid: cid for gid, cid in enumerate(base_cids) if gid != cid}
    return cff.compile(), rows, count, moved


def remap_cmap(base: TTFont, moved: dict[int, int], glyphs: int) -> None:
    """Point base's cmap at the glyph ids the join moved base's glyphs to (CFF: the glyphs' CIDs)."""
    if not moved:
        return
    base.setGlyphOrder(list(map(str, range(glyphs))))  # before the cmap is read: names are glyph ids

    def to(name: str) -> str:
        return str(moved.get(int(name), name))

    for table in base["cmap"].tables:
        if table.format == 14:
            for pairs in table.uvsDict.values():
                pairs[:] = [(uv, None if name is None else to(name)) for uv, name in pairs]
        else:
            table.cmap = {code: to(name) for code, name in table.cmap.items()}


def words(data: bytes, code: str) -> list[int]:
    table = array(code, data)
    if sys.byteorder == "little":
        table.byteswap()
    return table.tolist()


def packed(values: list[int], code: str) -> bytes:
    table = array(code, values)
    if sys.byteorder == "little":
        table.byteswap()
    return table.tobytes()
