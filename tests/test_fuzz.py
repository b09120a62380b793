"""Property-based test: valid manuscripts mutated at random never make kwbook raise, hang, or lose text silently.

Each example takes tests/roots/basic, applies a few mutations (bytes, lines, Unicode with control characters
and bidi marks, YAML values and tags, deep nesting) and checks the book. Whatever the input, kwbook may report
diagnostics but must not raise anything but its own MessageError, and a book it accepts renders to HTML.
A few hundred examples run in the normal suite; scripts/fuzz runs thousands (KWBOOK_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOTS, UNFILLED
from kwbook import api
from kwbook.errors import MessageError
from kwbook.load.account import unexplained

EXAMPLES = int(os.environ.get("KWBOOK_FUZZ_EXAMPLES", "300"))
FILES = ("book.yaml", "entries/alpha/010-綠色發展.md", "entries/alpha/020-數字經濟.md", "entries/beta/010-鄉村振興.md", "front/說明.md")

# Characters an editor's paste or a hostile contributor can bring: controls, bidi and zero-width marks,
# a BOM, non-characters, combining marks, astral characters, CJK punctuation, Markdown and YAML syntax.
ODD = (
    [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x85", "\x9f"]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
       "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\ufffe", "\uffff", "\u0301", "\u3000", "\U0001f600",
       "\U00020000", "「", "」", "《", "》", "，", "。"]
    + list("#>*-_`[]()!:&|{}\"'\\~%@^=+<>\t\n")
)
YAML_VALUES = [
    "!!float abc", '!!int "x"', "!!timestamp nope", "!!binary ===", "!!set {a, b}", "!!omap [a: 1]",
    "!!python/object:os.system x", "2017-02-30", "2017-05-01 25:61:61", "0o777", ".nan", "-.inf", "~", "[]", "{}",
    '"\\x01"', '"\\ud800"', '"\\u202e反轉"', "&a [1, *a]", "*undefined", "&x 1", "|\n  兩行\n  文字", ">-", "'unterminated",
    "[" * 60 + "]" * 60, "{a: " * 40 + "1" + "}" * 40, "0mm", "5000mm", "-3", "9" * 400, "null", "yes", "no",
]
MARKDOWN = [
    ">" * 300 + " 引用", "  " * 40 + "- 清單", "- " * 60 + "項", "[^1]", "[^1]: 註文", "[a]: http://example.com",
    "![圖](http://example.com/a.png)", "![圖](../../x.png)", "![圖](file:///etc/passwd)", "```", "    縮排程式碼",
    "<div>原始 HTML</div>", "&#0;&#xD800;&#x1F;", "| a | b |\n| - | - |\n| 1 | 2 |", "# 一級標題", "## 概念內涵",
    "## 未歸類", "---", "***", "\\", "`" * 50, "](" * 200, "中" * 3000,
]


@st.composite
def mutation(draw):
    kind = draw(st.sampled_from(["bytes", "line", "char", "yaml", "markdown", "nest"]))
    target = draw(st.sampled_from(FILES))
    position = draw(st.floats(min_value=0, max_value=1))
    if kind == "bytes":
        return kind, target, position, draw(st.binary(min_size=0, max_size=8)), draw(st.integers(0, 8))
    if kind == "line":
        return kind, target, position, draw(st.sampled_from(["delete", "duplicate", "swap", "blank"])), 0
    if kind == "char":
        return kind, target, position, draw(st.text(st.sampled_from(ODD) | st.characters(codec="utf-8"), min_size=1, max_size=6)), 0
    if kind == "yaml":
        key = draw(st.sampled_from(["keyword", "quote", "order", "see_also", "date", "trim", "title", "slug",
                                    "front", "planned_entries", "sections", "categories", "print", "epub", "extra"]))
        return kind, target, position, (key, draw(st.sampled_from(YAML_VALUES))), 0
    if kind == "markdown":
        return kind, target, position, draw(st.sampled_from(MARKDOWN)), 0
    return kind, target, position, draw(st.integers(1, 400)), 0


def _apply(root: Path, m) -> None:
    kind, target, position, value, extra = m
    path = root / target
    if not path.is_file():
        return
    data = path.read_bytes()
    at = int(position * len(data))
    if kind == "bytes":
        path.write_bytes(data[:at] + value + data[at + extra:])
        return
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    i = min(int(position * len(lines)), len(lines) - 1)
    if kind == "line":
        if value == "delete":
            del lines[i]
        elif value == "duplicate":
            lines.insert(i, lines[i])
        elif value == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        else:
            lines.insert(i, "")
    elif kind == "char":
        cut = int(position * len(text))
        text = text[:cut] + value + text[cut:]
        lines = text.split("\n")
    elif kind == "yaml":
        key, snippet = value
        found = [k for k, line in enumerate(lines) if line.startswith(key + ":")]
        line = f"{key}: {snippet}"
        if found:
            lines[found[0]] = line
        elif target == "book.yaml":
            lines.append(line)
        else:
            lines.insert(1, line)
    elif kind == "markdown":
        lines.insert(max(i, 5) if target != "book.yaml" else i, value)
    else:  # nesting: lists, quotes, YAML flow collections
        lines.insert(i, "> " * value + "深" if target != "book.yaml" else "deep: " + "[" * value + "]" * value)
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))


def _render(book) -> str:
    """What every writer starts from: the print document and the DOCX document (no layout, no tools)."""
    from kwbook.writers.docx import docx_html
    from kwbook.writers.pagemap import print_html

    return print_html(book) + docx_html(book, "Quote")


@settings(max_examples=EXAMPLES, deadline=datetime.timedelta(seconds=5), derandomize="KWBOOK_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(mutation(), min_size=1, max_size=4))
def test_mutated_manuscripts_are_checked_without_raising(mutations):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "m"
        shutil.copytree(ROOTS / "basic", root)
        for m in mutations:
            _apply(root, m)
        try:
            book, diags = api.check(root, lint=True)
        except MessageError:
            return
        assert (book is None) == any(d.severity == "error" for d in diags)
        for d in diags:
            assert not UNFILLED.search(d.localized("en")), d.localized("en")  # every placeholder filled
        for source in sorted(root.rglob("*.md")):  # the invariant: no body character lost without a diagnostic
            assert unexplained(source) == [], source
        if book is not None:
            html = _render(book)
            for entry in book.entries if hasattr(book, "entries") else [e for c in book.categories for e in c.entries]:
                assert entry.keyword in html
