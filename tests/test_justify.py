"""Chinese justification and line breaking in the PDF, measured on the 151-entry book."""

from __future__ import annotations

from collections import defaultdict

import weasyprint
from pdfread import body_lines, line_texts

from kwbook.writers import justify

NO_LINE_START = set("、。，．：；！？」』）》〉】〕…")
NO_LINE_END = set("「『（《〈【〔")


def test_pinned_to_the_reviewed_weasyprint():
    assert weasyprint.__version__ == justify.PINNED_WEASYPRINT, "review writers/justify.py for this WeasyPrint"
    assert justify.install() is True


def test_expansion_opportunities():
    assert justify.expansion_opportunities("一二三") == 2  # two inner gaps
    assert justify.expansion_opportunities("ab cd") == 1  # one space, letters never spaced
    assert justify.expansion_opportunities("2013年2月，") == 2.5  # 年 月 ， (， at the box end counts ½)


def test_non_final_lines_are_flush_right(built151):
    lines = body_lines(built151["pdf"])
    right: dict[int, float] = defaultdict(float)
    for page, _, _, x1, _, _ in lines:
        right[page] = max(right[page], x1)
    non_final = [line for line in lines if line[5]]
    assert len(non_final) > 5000
    ragged = [line for line in non_final if right[line[0]] - line[3] > 0.5]
    assert len(ragged) / len(non_final) <= 0.01, ragged[:5]


def test_no_kinsoku_violation(built151):
    lines = line_texts(built151["pdf"]) + line_texts(built151["pdf"], font="UKai-TW")
    assert len(lines) > 9000
    bad = [text for text in lines if text.strip() and (text.strip()[0] in NO_LINE_START or text.strip()[-1] in NO_LINE_END)]
    assert bad == []
