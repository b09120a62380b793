"""Subsets of one face joined into one font program, for writers/partfonts.py: glyph by glyph, in raw sfnt tables.

The subsets are desubroutinized, so a glyph's charstring (CFF) or glyf entry stands on its own and can be copied
byte for byte from one subset into another. TrueType subsets keep glyph ids (HarfBuzz, retain-gids), the codes
of their CIDFontType2 (CIDToGIDMap Identity), and are joined by glyph id here; CID-keyed CFF subsets keep CIDs,
the codes of their CIDFontType0, but not always glyph ids, and are joined by CID (cffjoin.py) into a font whose
glyph id is its CID. The biggest subset is the base; every glyph another subset draws and the base leaves empty
is copied in, with its metrics (hmtx, vmtx, VORG); the bounds in head, hhea, vhea and maxp are widened. Tables
with a row per glyph are read and written raw (fontTools would build an object per glyph of 60,000); fontTools
handles the small ones. Two subsets drawing one glyph differently raise Disagree.
"""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from .cffjoin import Disagree, join_cff, packed, remap_cmap, words

__all__ = ["Disagree", "join_programs"]


def _glyf(font: TTFont) -> list[bytes]:
    """Each glyph's glyf entry, by glyph id, from the raw loca and glyf tables."""
    glyphs, data = font["maxp"].numGlyphs, font.reader["glyf"]
    if font["head"].indexToLocFormat:
        offsets = words(font.reader["loca"][:4 * (glyphs + 1)], "I")
    else:
        offsets = [2 * n for n in words(font.reader["loca"][:2 * (glyphs + 1)], "H")]
    return [data[offsets[i]:offsets[i + 1]] for i in range(glyphs)]


def _join_glyf(base: TTFont, others: list[TTFont]) -> tuple[bytes, bytes, dict[int, tuple[int, int]]]:
    """Base's glyf and loca with each glyph another subset has and base leaves empty; and glyph id → (source,
    glyph id): a TrueType CIDFont's codes are glyph ids (CIDToGIDMap Identity), so glyphs keep their ids."""
    own, added = _glyf(base), {}
    for source, other in enumerate(others, 1):
        for gid, data in enumerate(_glyf(other)):
            if not data or data == own[gid]:
                continue
            if own[gid]:
                raise Disagree(f"outline of glyph {gid}")
            own[gid], added[gid] = data, (source, gid)
    own = [g + b"\0" * (len(g) % 4 and 4 - len(g) % 4) for g in own]
    offsets = [0]
    for g in own:
        offsets.append(offsets[-1] + len(g))
    return b"".join(own), packed(offsets, "I"), added


def _metrics(font: TTFont, tag: str, header: str, count: str) -> tuple[list[int], list[int]]:
    """(advances, side bearings) of every glyph from a raw hmtx or vmtx table."""
    glyphs, long = font["maxp"].numGlyphs, getattr(font[header], count)
    data = font.reader[tag]
    advances = words(data[:4 * long], "H")[0::2]
    bearings = words(data[:4 * long], "h")[1::2] + words(data[4 * long:4 * long + 2 * (glyphs - long)], "h")
    return advances + [advances[-1]] * (glyphs - long), bearings


_METRICS = (("hmtx", "hhea", "numberOfHMetrics"), ("vmtx", "vhea", "numberOfVMetrics"))


def _join_tables(base: TTFont, others: list[TTFont], rows: dict[int, tuple[int, int]], glyphs: int) -> dict[str, bytes]:
    """Metrics of the joined font's glyphs as raw tables (row target from font, glyph id: rows; else base's row
    at the same index); header fields that bound every glyph widened."""
    tables = {}
    fonts = [base, *others]
    base["maxp"].numGlyphs = glyphs
    for tag, header, count in _METRICS:
        if tag not in base:
            continue
        sources = {0, *(source for source, _ in rows.values())}
        metrics = [_metrics(font, tag, header, count) if n in sources else None for n, font in enumerate(fonts)]
        advances, bearings = metrics[0]
        advances = advances[:glyphs] + [advances[-1]] * (glyphs - len(advances))
        bearings = bearings[:glyphs] + [0] * (glyphs - len(bearings))
        for target, (source, gid) in rows.items():  # read from metrics[n], never from the lists being written
            advances[target], bearings[target] = metrics[source][0][gid], metrics[source][1][gid]
        setattr(base[header], count, len(advances))
        wide, side = packed(advances, "H"), packed(bearings, "h")
        table = bytearray(4 * len(advances))
        table[0::4], table[1::4], table[2::4], table[3::4] = wide[0::2], wide[1::2], side[0::2], side[1::2]
        tables[tag] = bytes(table)
    if "VORG" in base.reader:
        tables["VORG"] = _join_vorg([font.reader["VORG"] for font in fonts], rows, glyphs)
    for other in others:
        head, ohead = base["head"], other["head"]
        head.xMin, head.yMin = min(head.xMin, ohead.xMin), min(head.yMin, ohead.yMin)
        head.xMax, head.yMax = max(head.xMax, ohead.xMax), max(head.yMax, ohead.yMax)
        for header in ("hhea", "vhea"):
            if header in base and header in other:
                table, theirs = base[header], other[header]
                for field in ("advanceWidthMax", "advanceHeightMax", "xMaxExtent", "yMaxExtent"):
                    if hasattr(table, field):
                        setattr(table, field, max(getattr(table, field), getattr(theirs, field)))
                for field in ("minLeftSideBearing", "minRightSideBearing", "minTopSideBearing",
                              "minBottomSideBearing"):
                    if hasattr(table, field):
                        setattr(table, field, min(getattr(table, field), getattr(theirs, field)))
        maxp, omaxp = base["maxp"], other["maxp"]
        for field in vars(omaxp):
            if field.startswith("max") and isinstance(getattr(omaxp, field), int):
                setattr(maxp, field, max(getattr(maxp, field, 0), getattr(omaxp, field)))
    return tables


def _join_vorg(tables: list[bytes], rows: dict[int, tuple[int, int]], glyphs: int) -> bytes:
    """VORG (vertical origins) of the joined font: base's records, and for each row taken elsewhere that font's."""
    def records(data: bytes) -> dict[int, int]:
        count = int.from_bytes(data[6:8], "big")
        values = words(data[8:8 + 4 * count], "h")
        return {g & 0xFFFF: y for g, y in zip(values[0::2], values[1::2])}

    found = [records(data) for data in tables]  # small: a record only where the origin is not the default
    own = {gid: y for gid, y in found[0].items() if gid not in rows and gid < glyphs}
    for target, (source, gid) in rows.items():
        if gid in found[source]:
            own[target] = found[source][gid]
    pairs = [v for gid in sorted(own) for v in (gid - 0x10000 if gid > 0x7FFF else gid, own[gid])]
    return tables[0][:6] + len(own).to_bytes(2, "big") + packed(pairs, "h")


def join_programs(programs: list[bytes]) -> bytes:
    """One font program holding every glyph any of the programs (subsets of one face, glyph ids kept) holds.

    Tables are read and written raw where glyphs are many (CFF, glyf and loca, hmtx, vmtx); fontTools handles
    the small ones.
    """
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    fonts = [TTFont(io.BytesIO(p), lazy=True, recalcBBoxes=False, recalcTimestamp=False) for p in programs]
    fonts.sort(key=lambda f: -f["maxp"].numGlyphs)
    base, others = fonts[0], fonts[1:]
    for other in others:
        if sorted(other.reader.keys()) != sorted(base.reader.keys()):
            raise Disagree("tables")
    raw, glyphs = {}, base["maxp"].numGlyphs
    if "CFF " in base.reader:
        raw["CFF "], rows, glyphs, moved = join_cff(base, others)
        remap_cmap(base, moved, glyphs)
    elif "glyf" in base.reader:
        raw["glyf"], raw["loca"], rows = _join_glyf(base, others)
        base["head"].indexToLocFormat = 1
    else:
        raise Disagree("outline format")
    raw.update(_join_tables(base, others, rows, glyphs))
    # maxp counts the glyph order; names matter only to a cmap rewritten above (glyph ids as names); post is raw
    base.setGlyphOrder(list(map(str, range(glyphs))))
    for tag, data in raw.items():
        table = DefaultTable(tag)
        table.data = data
        base[tag] = table
    out = io.BytesIO()
    base.save(out, reorderTables=False)
    return out.getvalue()
