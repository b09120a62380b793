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
    """@page rules: size from the trim, mirrored margins around a 38 × 32 grid of 10.5 pt characters; then language_css."""
    width, height = config.trim.width, config.trim.height
    m = margins_mm(config)
    top, bottom, inner, outer = m["top"], m["bottom"], m["inner"], m["outer"]
    return (
        f"@page {{ size: {width}mm {height}mm; margin: {top:.2f}mm {outer:.2f}mm {bottom:.2f}mm {inner:.2f}mm; }}\n"
        f"@page :left {{ margin-left: {outer:.2f}mm; margin-right: {inner:.2f}mm; }}\n"
        f"@page :right {{ margin-left: {inner:.2f}mm; margin-right: {outer:.2f}mm; }}\n"
    ) + language_css(config) + spacing_css(config)


def spacing_css(config: BookConfig) -> str:
    """The margin of the CJK–Latin spacing spans (render/autospace.py), book.yaml typography.latin_spacing."""
    if not config.latin_spacing:
        return ""
    return f".ls-l {{ margin-left: {config.latin_spacing:g}em; }}\n.ls-r {{ margin-right: {config.latin_spacing:g}em; }}\n"


# Selectors print.css sets in the sans face (headings, running heads, folios, see-also line, index).
SANS = (".half-title-text", ".book-title", ".subtitle", ".publisher", ".front-title", ".toc-title", ".front h2",
        ".toc-category > a", ".category-title", ".keyword", ".section-title", ".see-also-line", ".index-title",
        ".index-group", ".colophon th")
MARGIN_BOXES = ("top-left", "top-right", "bottom-left", "bottom-right")


def language_css(config: BookConfig) -> str:
    """Faces, glyph forms and book words chosen by book.yaml's language (loaded after print.css).

    zh-Hans: Noto Serif/Sans CJK SC with mainland glyphs and corner punctuation, the quote in a Simplified Kai
    face (AR PL KaitiM GB), compressed consecutive punctuation (span.pc, render/punctuation.py). zh-Hant: the
    TC faces with centred punctuation and AR PL UKai TW.
    """
    from ..lang import profile
    from .punctuation import emulated_css, has_halt

    p = profile(config.language)
    serif, sans, kai = f'"{p.serif}", serif', f'"{p.sans}", sans-serif', f'"{p.kai}", "{p.serif}", serif'
    boxes = " ".join(f"@{b} {{ font-family: {sans}; }}" for b in MARGIN_BOXES)
    words = p.words
    return (
        f"html {{ font-family: {serif}; }}\n"
        f"@page {{ {boxes} }}\n"
        f"{', '.join(SANS)} {{ font-family: {sans}; }}\n"
        f"blockquote.quote p {{ font-family: {kai}; }}\n"
        # the halt feature gives a mark its half-width form: the blank half beside its neighbour goes
        ".pc { font-feature-settings: \"halt\"; }\n"
        + (emulated_css("blockquote.quote") if p.compress and not has_halt(p.kai) else "")
        + f'.see-also::after {{ content: "（第 " target-counter(attr(href url), page) " {words["page"]}）"; }}\n'
        f'@page index:right {{ @top-right {{ content: "{words["index"]}"; }} }}\n'
    )
