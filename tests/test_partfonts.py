"""The merged PDF embeds one font per face, as the single document does, and the joined fonts draw every glyph the
parts drew: same outlines, widths and text, the same pixels on every page."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from test_parts import page_texts

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


@pytest.fixture(scope="module")
def merged_pair(built151, book151_dir, tmp_path_factory) -> tuple[Path, Path]:
    """The screen PDF merged from the cached parts of built151 with the fonts joined, and without (the merge as
    it was before): (joined, apart)."""
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers import partmerge
    from kwbook.writers.partbuild import PartBuilder

    out = tmp_path_factory.mktemp("merged_pair")
    book, _ = load_book(book151_dir)
    builder = PartBuilder(book, api.styles_dir(book151_dir), built151["pdf"].parent)
    builder.write(out / "joined.pdf")
    assert builder.laid_out == 0  # every part from the cache
    keep = partmerge.dedupe_fonts
    partmerge.dedupe_fonts = lambda pdf, fonts=None: {}
    try:
        builder.write(out / "apart.pdf")
    finally:
        partmerge.dedupe_fonts = keep
    return out / "joined.pdf", out / "apart.pdf"


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


def test_joined_fonts_draw_every_glyph_of_every_part(merged_pair):
    joined, apart = merged_pair
    with pikepdf.open(joined) as done, pikepdf.open(apart) as before:
        after, parts = faces(done), faces(before)
        assert sorted(after) == sorted(parts) and all(len(v) == 1 for v in after.values())
        glyphs = 0
        for name, (font,) in after.items():
            merged = program(font)
            drawn, order = merged.getGlyphSet(), merged.getGlyphOrder()
            merged_widths, merged_text = widths(font), to_unicode(font)
            for part in parts[name]:
                sub = program(part)
                theirs, their_order = sub.getGlyphSet(), sub.getGlyphOrder()
                for gid, their_name in enumerate(their_order):
                    pen = RecordingPen()
                    theirs[their_name].draw(pen)
                    if not pen.value:
                        continue
                    ours = RecordingPen()
                    drawn[order[gid]].draw(ours)
                    assert ours.value == pen.value, f"{name}: glyph {gid} drawn differently"
                    assert drawn[order[gid]].width == theirs[their_name].width
                    glyphs += 1
                assert widths(part).items() <= merged_widths.items()
                assert to_unicode(part).items() <= merged_text.items()
        assert glyphs > 3000


def test_pages_render_as_before_the_join(merged_pair, tmp_path):
    joined, apart = merged_pair
    pages = len(page_texts(joined))
    assert pages == len(page_texts(apart)) > 400
    for n in range(1, pages + 1, 3):  # every third page, at a resolution where a missing glyph shows
        shots = []
        for pdf in (joined, apart):
            prefix = tmp_path / pdf.stem
            subprocess.run(["pdftoppm", "-r", "24", "-gray", "-f", str(n), "-l", str(n), "-singlefile", str(pdf),
                            str(prefix)], check=True)
            shots.append(prefix.with_suffix(".pgm").read_bytes())
        assert shots[0] == shots[1], f"page {n} renders differently once the fonts are joined"


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


def test_font_cache_is_reused_and_a_broken_one_costs_only_time(merged_pair, tmp_path):
    from kwbook.writers.partfonts import dedupe_fonts

    cache = tmp_path / "fonts"

    def join(target: Path) -> bytes:
        with pikepdf.open(merged_pair[1]) as pdf:
            dedupe_fonts(pdf, cache)
            pdf.save(target, deterministic_id=True)
        return target.read_bytes()

    cold = join(tmp_path / "cold.pdf")
    files = sorted(cache.glob("*.bin"))
    assert len(files) == 4
    stamps = [f.stat().st_mtime_ns for f in files]
    assert join(tmp_path / "warm.pdf") == cold
    files[0].write_bytes(files[0].read_bytes()[:1000])  # truncated
    files[1].write_bytes(b"garbage")
    files[2].unlink()
    assert join(tmp_path / "repaired.pdf") == cold
    assert len(list(cache.glob("*.bin"))) == 4 and stamps
