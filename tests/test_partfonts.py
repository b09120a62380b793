"""The merged PDF embeds one font per face, as the single document does, and the joined fonts draw every glyph the
parts drew: same outlines, widths and text, the same pixels on every page."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from conftest import run_kwbook
from pdfread import page_texts

# measured on the 151-entry book: screen 1.007×, press 1.004× the --single PDF (docs/performance.md)
SIZE_BOUND = 1.10


def pdffonts(pdf: Path) -> Counter:
    """Embedded font name → how many font dictionaries carry it, as poppler's pdffonts lists them."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert all(row[-5] == "yes" for row in rows), out  # the emb column
    return Counter(row[0] for row in rows)


def qpdf_clean(pdf: Path) -> None:
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr


def faces(pdf: pikepdf.Pdf) -> dict[str, list[pikepdf.Dictionary]]:
    """BaseFont → the distinct font dictionaries the pages use."""
    found: dict[str, list] = {}
    seen = set()
    for page in pdf.pages:
        for font in (page.obj.Resources.get("/Font") or {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                found.setdefault(str(font.BaseFont), []).append(font)
    return found


def program(font: pikepdf.Dictionary) -> TTFont:
    descriptor = font.DescendantFonts[0].FontDescriptor
    stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
    return TTFont(io.BytesIO(stream.read_bytes()))


def widths(font: pikepdf.Dictionary) -> dict[int, float]:
    from kwbook.writers.partfonts import _widths

    return _widths(font.DescendantFonts[0])


def to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    from kwbook.writers.partfonts import _to_unicode

    return _to_unicode(font)


def merge_both(book_dir: Path, dist: Path, out: Path) -> tuple[Path, Path]:
    """The screen PDF merged from the cached parts in dist with the fonts joined, and without (the merge as it
    was before the join): (joined, apart)."""
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers import partmerge
    from kwbook.writers.partbuild import PartBuilder

    book, _ = load_book(book_dir)
    builder = PartBuilder(book, api.styles_dir(book_dir), dist)
    builder.write(out / "joined.pdf")
    assert builder.laid_out == 0  # every part from the cache
    keep = partmerge.dedupe_fonts
    partmerge.dedupe_fonts = lambda pdf, fonts=None: {}
    try:
        builder.write(out / "apart.pdf")
    finally:
        partmerge.dedupe_fonts = keep
    return out / "joined.pdf", out / "apart.pdf"


@pytest.fixture(scope="module")
def merged_pair(built151, book151_dir, tmp_path_factory) -> tuple[Path, Path]:
    """merge_both on the cached parts of built151."""
    return merge_both(book151_dir, built151["pdf"].parent, tmp_path_factory.mktemp("merged_pair"))


@pytest.fixture(scope="module")
def seed2(tmp_path_factory) -> dict[str, Path]:
    """`kwbook sample --entries 20 --seed 2`, whose parts' subsets of Noto Sans CJK TC disagree on glyph ids:
    its screen PDF in parts and --single, and merge_both on its parts."""
    out = tmp_path_factory.mktemp("seed2")
    book = out / "book"
    assert run_kwbook("sample", "--entries", 20, "--seed", 2, book).returncode == 0
    found = {}
    for name, options in (("parts", ()), ("single", ("--single",))):
        result = run_kwbook("build", book, "--format", "pdf", *options, "-o", out / name)
        assert result.returncode == 0, result.stderr
        found[name] = out / name / "sample-20.pdf"
    found["joined"], found["apart"] = merge_both(book, out / "parts", out)
    return found


def test_screen_pdf_embeds_one_font_per_face(built151, screen_single151, merged_pair):
    parts, single = built151["pdf"], screen_single151
    fonts = pdffonts(parts)
    assert fonts == pdffonts(single) and len(fonts) == 4 and set(fonts.values()) == {1}, fonts
    assert sum(pdffonts(merged_pair[1]).values()) > 20  # the parts' subsets, side by side, before the join
    assert parts.stat().st_size <= SIZE_BOUND * single.stat().st_size, (parts.stat().st_size, single.stat().st_size)
    assert page_texts(parts) == page_texts(single)
    qpdf_clean(parts)


def test_press_pdf_embeds_one_font_and_one_profile(print151, single151):
    fonts = pdffonts(print151)
    assert fonts == pdffonts(single151) and set(fonts.values()) == {1}, fonts
    assert print151.stat().st_size <= SIZE_BOUND * single151.stat().st_size
    assert page_texts(print151) == page_texts(single151)
    with pikepdf.open(print151) as pdf:
        profiles = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/N" in o and "/Subtype" not in o
                    and "/Type" not in o]
        assert len(profiles) == 1  # the output intent's CMYK profile, named by every colour space
    qpdf_clean(print151)


def charstrings(font: TTFont) -> dict[str, bytes] | None:
    """Glyph name → its Type 2 charstring's bytes, read from the CFF table's CharStrings INDEX, when the program
    calls no subroutine (WeasyPrint's subsets are desubroutinized): the bytes are then the whole outline, so glyphs
    with the same bytes draw the same. None for a TrueType program or one with subroutines."""
    if "CFF " not in font:
        return None
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    if len(cff.GlobalSubrs) or any(getattr(fd.Private, "Subrs", None) for fd in getattr(top, "FDArray", [top])):
        return None
    index = top.CharStrings.charStringsIndex
    data, base, offsets = index.file.getvalue(), index.offsetBase, index.offsets
    return {name: data[base + offsets[i]:base + offsets[i + 1]] for name, i in top.CharStrings.charStrings.items()}


def glyphs_kept(joined: Path, apart: Path) -> int:
    """Assert the joined fonts draw every glyph any part's font draws, the same, with the same advance, /W and
    text; returns how many (glyph, part) pairs were compared. A CID-keyed CFF glyph is found by its CID (the
    code a page shows it by; fontTools names it cidNNNNN), a TrueType glyph by its glyph id."""
    with pikepdf.open(joined) as done, pikepdf.open(apart) as before:
        after, parts = faces(done), faces(before)
        assert sorted(after) == sorted(parts) and all(len(v) == 1 for v in after.values())
        glyphs = 0
        for name, (font,) in after.items():
            merged = program(font)
            drawn, order = merged.getGlyphSet(), merged.getGlyphOrder()
            merged_widths, merged_text = widths(font), to_unicode(font)
            ours: dict[str, list] = {}  # a joined glyph is drawn once, however many parts drew it
            for part in parts[name]:
                sub = program(part)
                theirs, their_order = sub.getGlyphSet(), sub.getGlyphOrder()
                raw, by_bytes = charstrings(sub), {}  # a part's 60,000 empty glyph slots are drawn once
                for gid, their_name in enumerate(their_order):
                    if raw is not None and raw[their_name] in by_bytes:
                        outline = by_bytes[raw[their_name]]
                    else:
                        pen = RecordingPen()
                        theirs[their_name].draw(pen)
                        outline = pen.value
                        if raw is not None:
                            by_bytes[raw[their_name]] = outline
                    if not outline:
                        continue
                    key = their_name if "CFF " in sub else order[gid]
                    if key not in ours:
                        recording = RecordingPen()
                        drawn[key].draw(recording)
                        ours[key] = recording.value
                    assert ours[key] == outline, f"{name}: glyph {gid} ({their_name}) drawn differently"
                    assert drawn[key].width == theirs[their_name].width
                    glyphs += 1
                assert widths(part).items() <= merged_widths.items()
                assert to_unicode(part).items() <= merged_text.items()
    return glyphs


def test_joined_fonts_draw_every_glyph_of_every_part(merged_pair):
    assert glyphs_kept(*merged_pair) > 3000


def pages_render_alike(joined: Path, apart: Path, dpi: int) -> int:
    """Assert every page renders pixel for pixel alike (pdftoppm, grey; one run a file, which costs less than a
    run a page once the book's fonts are large); returns the number of pages."""
    pages = len(page_texts(joined))
    assert pages == len(page_texts(apart))
    with tempfile.TemporaryDirectory() as tmp:
        shots = []
        for pdf in (joined, apart):
            folder = Path(tmp) / pdf.stem
            folder.mkdir()
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(folder / "p")], check=True)
            shots.append(sorted(folder.glob("p-*.pgm")))
        assert len(shots[0]) == len(shots[1]) == pages
        for n, (a, b) in enumerate(zip(*shots), start=1):
            assert a.read_bytes() == b.read_bytes(), f"page {n} renders differently once the fonts are joined"
    return pages


def test_pages_render_as_before_the_join(merged_pair):
    # every page, at a resolution where a missing glyph shows
    assert pages_render_alike(*merged_pair, dpi=24) > 400


def cid_gaps(pdf: Path, face: str) -> list[tuple[int, int]]:
    """(glyph id, CID) of each drawn glyph of the face's subsets whose glyph id is not its CID."""
    with pikepdf.open(pdf) as doc:
        return [gap for font in faces(doc)[face]
                for gap in cid_gaps_of(font.DescendantFonts[0].FontDescriptor.FontFile3.read_bytes())]


def test_subsets_that_number_glyphs_apart_join_by_cid(seed2):
    face = "/QTDUJF+Noto-Sans-CJK-TC"
    # the case: HarfBuzz renumbered a closure glyph (CID 63150, U+FF1A's variation) in some parts' subsets
    gaps = cid_gaps(seed2["apart"], face)
    assert gaps and {cid for _, cid in gaps} == {63150} and len({gid for gid, _ in gaps}) > 1, gaps
    assert pdffonts(seed2["apart"])[face.lstrip("/")] > 1
    for pdf in (seed2["parts"], seed2["joined"]):
        fonts = pdffonts(pdf)
        assert fonts == pdffonts(seed2["single"]) and len(fonts) == 4 and set(fonts.values()) == {1}, fonts
    assert cid_gaps(seed2["joined"], face) == []  # joined: glyph id = CID
    assert glyphs_kept(seed2["joined"], seed2["apart"]) > 300
    assert pages_render_alike(seed2["joined"], seed2["apart"], dpi=30) > 60
    assert page_texts(seed2["parts"]) == page_texts(seed2["single"])
    assert seed2["parts"].stat().st_size <= SIZE_BOUND * seed2["single"].stat().st_size
    qpdf_clean(seed2["parts"])


def test_faces_that_disagree_stay_apart(merged_pair, tmp_path):
    from kwbook.writers.partfonts import dedupe_fonts

    with pikepdf.open(merged_pair[1]) as pdf:
        before = faces(pdf)
        name = next(n for n, fonts in before.items() if "Serif" in n)
        descendant = before[name][1].DescendantFonts[0]
        w = list(descendant.W)
        w[1] = pikepdf.Array([float(w[1][0]) + 1, *list(w[1])[1:]])  # one glyph's width changed in one part
        descendant.W = pikepdf.Array(w)
        joined = dedupe_fonts(pdf, tmp_path / "fonts")
        assert name not in joined and len(joined) == len(before) - 1
        pdf.save(tmp_path / "out.pdf")
    fonts = pdffonts(tmp_path / "out.pdf")
    assert fonts[name.lstrip("/")] == len(before[name]) and sum(v == 1 for v in fonts.values()) == len(before) - 1


def test_font_cache_is_reused_and_a_broken_one_costs_only_time(merged_pair, tmp_path, monkeypatch):
    from kwbook.writers import partfonts

    cache = tmp_path / "fonts"
    joins, original = [], partfonts.join_programs
    monkeypatch.setattr(partfonts, "join_programs", lambda programs: joins.append(1) or original(programs))

    def join(target: Path) -> bytes:
        joins.clear()
        with pikepdf.open(merged_pair[1]) as pdf:
            partfonts.dedupe_fonts(pdf, cache)
            pdf.save(target, deterministic_id=True)
        return target.read_bytes()

    cold = join(tmp_path / "cold.pdf")
    files = sorted(cache.glob("*.bin"))
    assert len(files) == 4 and len(joins) == 4
    assert join(tmp_path / "warm.pdf") == cold and joins == []  # every face from the cache
    files[0].write_bytes(files[0].read_bytes()[:1000])  # truncated
    files[1].write_bytes(b"garbage")
    files[2].unlink()
    assert join(tmp_path / "repaired.pdf") == cold and len(joins) == 3  # the three broken entries joined again
    assert len(list(cache.glob("*.bin"))) == 4


def test_a_cid_named_twice_by_a_charset_is_not_joined(seed2):
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    from kwbook.writers.cffjoin import _CFF
    from kwbook.writers.fontjoin import Disagree, join_programs

    face = "/QTDUJF+Noto-Sans-CJK-TC"
    with pikepdf.open(seed2["apart"]) as doc:
        programs = [f.DescendantFonts[0].FontDescriptor.FontFile3.read_bytes() for f in faces(doc)[face]]
    assert len(join_programs(programs)) > 0
    renumbered = next(p for p in programs if cid_gaps_of(p))
    font = TTFont(io.BytesIO(renumbered), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    data = font.reader["CFF "]
    cff = _CFF(data)
    gid, cid = cid_gaps_of(renumbered)[0]
    other = max(g for g in cff.drawn if g != gid)  # another drawn glyph: its CID now named twice
    at = data.index(cff.charset)
    charset = cff.charset.replace(cid.to_bytes(2, "big") + b"\0", other.to_bytes(2, "big") + b"\0")
    assert charset != cff.charset and len(charset) == len(cff.charset)
    table = DefaultTable("CFF ")
    table.data = data[:at] + charset + data[at + len(charset):]
    font["CFF "] = table
    out = io.BytesIO()
    font.save(out)
    with pytest.raises(Disagree, match="twice"):
        join_programs([out.getvalue(), *[p for p in programs if p is not renumbered]])


def cid_gaps_of(data: bytes) -> list[tuple[int, int]]:
    from kwbook.writers.cffjoin import _CFF

    cff = _CFF(TTFont(io.BytesIO(data), lazy=True).reader["CFF "])
    return [(gid, cff.cids[gid - 1]) for gid in cff.drawn if gid and cff.cids[gid - 1] != gid]
