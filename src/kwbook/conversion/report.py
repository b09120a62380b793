"""The conversion report (dist/<slug>-conversion.txt, `kwbook convert --report`): every decision, for review.

First a summary per character (which forms were chosen how often), then one line per place:
`file:line:col  发 → 發  rule  …context…`, ordered by file and position, so an editor can check each
one-to-many character of an edition without re-reading the book.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from ..diagnostics import display_path
from ..messages import render
from . import Decision, Rename


def rule_text(d: Decision, lang: str | None = None) -> str:
    if d.phrase:
        return render(f"convert.rule-{d.rule}", lang, phrase=d.phrase)
    return render(f"convert.rule-{d.rule}", lang)


def report_text(decisions: list[Decision], title: str, cwd: Path | None = None, lang: str | None = None,
                renames: list[Rename] = ()) -> str:
    """The whole report as text (renames: the file names kwbook convert --to wrote, before the places)."""
    lines = [title, render("convert.report-count", lang, count=len(decisions)), ""]
    if renames:
        lines.append(render("convert.report-names", lang, count=len(renames)))
        for r in sorted(renames, key=lambda r: str(r.source)):
            chosen = "  ".join(render("convert.name-decision", lang, source=d.source, chosen=d.chosen,
                                      rule=rule_text(d, lang)) for d in r.decisions)
            lines.append(f"  {r.source.as_posix()} → {r.target.as_posix()}" + (f"  {chosen}" if chosen else ""))
        lines.append("")
    by_char: dict[str, Counter] = defaultdict(Counter)
    for d in decisions:
        by_char[d.source][d.chosen] += 1
    if by_char:
        lines.append(render("convert.report-summary", lang))
        for ch in sorted(by_char, key=lambda c: (-sum(by_char[c].values()), c)):
            forms = "  ".join(f"{form} {n}" for form, n in by_char[ch].most_common())
            lines.append(f"  {ch} → {forms}")
        lines.append("")
        lines.append(render("convert.report-places", lang))
    for d in sorted(decisions, key=lambda d: (str(d.path), d.line, d.col)):
        where = f"{display_path(d.path, cwd)}:{d.line}:{d.col}"
        lines.append(f"{where}  {d.source} → {d.chosen}  {rule_text(d, lang)}  …{d.context}…")
    return "\n".join(lines) + "\n"
