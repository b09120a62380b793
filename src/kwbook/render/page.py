"""Page geometry from book.yaml: trim size and a text block a whole number of characters wide."""

from __future__ import annotations

from ..model import BookConfig

PT_PER_MM = 72 / 25.4
BODY_PT = 10.5
LINE_PITCH = 1.75
CHARS_PER_LINE = 38
LINES_PER_PAGE = 32
INNER_SHARE = 0.55  # of the horizontal white space, on the binding side


def margins_mm(config: BookConfig) -> dict[str, float]:
    """The PDF's page margins in mm (top, bottom, inner, outer); the DOCX writer and `kwbook verify` reuse them."""
    block_w = CHARS_PER_LINE * BODY_PT / PT_PER_MM
    block_h = LINES_PER_PAGE * BODY_PT * LINE_PITCH / PT_PER_MM
    spare_w = max(config.trim.width - block_w, 20.0)
    spare_h = max(config.trim.height - block_h, 30.0)
    return {"top": spare_h * 0.45, "bottom": spare_h * 0.55,
            "inner": spare_w * INNER_SHARE, "outer": spare_w * (1 - INNER_SHARE)}


def page_css(config: BookConfig) -> str:
    """@page rules: size from the trim, mirrored margins around a 38 × 32 grid of 10.5 pt characters."""
    width, height = config.trim.width, config.trim.height
    m = margins_mm(config)
    top, bottom, inner, outer = m["top"], m["bottom"], m["inner"], m["outer"]
    return (
        f"@page {{ size: {width}mm {height}mm; margin: {top:.2f}mm {outer:.2f}mm {bottom:.2f}mm {inner:.2f}mm; }}\n"
        f"@page :left {{ margin-left: {outer:.2f}mm; margin-right: {inner:.2f}mm; }}\n"
        f"@page :right {{ margin-left: {inner:.2f}mm; margin-right: {outer:.2f}mm; }}\n"
    )
