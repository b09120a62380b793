"""Every character of an entry's body reaches the parsed blocks, or a diagnostic names its line (load/account.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwbook.load.account import MAX_DEPTH, lost_characters, unexplained
from kwbook.load.entry import parse_source
from kwbook.render.markdown import markdown

PROJECT = Path(__file__).resolve().parents[1]
HEAD = "---\nkeyword: 甲\nquote: 乙\n---\n## 概念內涵\n\n"  # the body starts on line 5


def entry(tmp_path: Path, body: str, name: str = "e.md") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def codes(path: Path) -> list[tuple[str, int]]:
    _src, diags = parse_source(path)
    return sorted((d.code, d.line) for d in diags)


def markdown_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in Path(root).rglob("*.md"))


def test_valid_books_lose_nothing(book151_dir):
    """The shipped manuscript, the 151-entry sample and the valid test roots: no character is lost at all."""
    roots = [p for p in (PROJECT / "tests" / "roots").iterdir() if p.name != "bad"]
    files = markdown_files(PROJECT / "manuscript", book151_dir, *roots)
    assert len(files) > 150
    for path in files:
        src, _diags = parse_source(path)
        assert src is not None and src.lost == [], path
        assert unexplained(path) == [], path


def test_bad_manuscripts_lose_nothing_silently():
    """Every source of the bad-manuscript corpus: whatever is wrong, no character is lost without a diagnostic."""
    files = markdown_files(PROJECT / "tests" / "roots" / "bad")
    assert len(files) > 30
    for path in files:
        assert unexplained(path) == [], path


LOSSY = {
    # construct → (body from line 7, the code and line each diagnostic must have)
    "unused link definition": ("正文。\n\n[備註]: https://example.org \"標題\"\n", [("link-unused", 9)]),
    "unused footnote": ("正文。\n\n[^1]: 沒有人引用的註文\n", [("footnote-unused", 9)]),
    "words after a fence's language": ("```text 說明文字\n代碼\n```\n", [("text-dropped", 7)]),
    "undefined footnote": ("正文[^9]。\n", [("footnote-undefined", 7)]),
    "thousands of >": (">" * 3000 + " 很深的引文\n", [("nesting-too-deep", 7), ("nesting-too-deep", 7)]),
    "quote past the limit": ("\n".join(">" * n + " 第%d層" % n for n in range(1, 40)) + "\n",
                             [("nesting-too-deep", 7 + MAX_DEPTH)] + [("nesting-too-deep", 7 + 2 * MAX_DEPTH + 11)]),
    "list of 11 levels": ("\n".join("  " * i + "- 第%d層" % (i + 1) for i in range(MAX_DEPTH + 1)) + "\n",
                          [("nesting-too-deep", 7 + MAX_DEPTH)]),
    "list of 40 levels": ("\n".join("  " * i + "- 第%d層" % (i + 1) for i in range(40)) + "\n",
                          [("nesting-too-deep", 7 + MAX_DEPTH), ("nesting-too-deep", 7 + 15)]),
}


@pytest.mark.parametrize("case", sorted(LOSSY))
def test_lossy_constructs_are_reported_where_they_are(tmp_path, case):
    body, expected = LOSSY[case]
    path = entry(tmp_path, body)
    assert codes(path) == sorted(expected)
    assert unexplained(path) == []
    _src, diags = parse_source(path)
    assert all(d.severity == "error" for d in diags), "text that would not be printed stops the build"


LOSSLESS = {
    "footnotes": "正文[^1]，又一處[^note]，再引[^1]。\n\n[^1]: 第一條註文。\n[^note]: 第二條註文，\n    兩段之二。\n",
    "inline footnote": "正文^[行內註文]。\n",
    "used link definitions": "見[說明][ref]與[說明]。\n\n[ref]: https://example.org/a\n[說明]: https://example.org/b \"標題\"\n",
    "lists of ten levels": "\n".join("  " * i + "- 第%d層" % (i + 1) for i in range(MAX_DEPTH)) + "\n\n"
                           + "\n".join("   " * i + "1. 第%d層" % (i + 1) for i in range(MAX_DEPTH)) + "\n",
    "quotes of ten levels": "\n".join(">" * n + " 第%d層" % n for n in range(1, MAX_DEPTH + 1)) + "\n",
    "table": "| 年份 | 人數[^t] |\n|:---|---:|\n| 2013 | 9,899 萬 |\n| 2020 | 0 |\n\n[^t]: 表註。\n",
    "code and breaks": "```text\n代碼 x = 1\n```\n\n    縮排代碼\n\n***\n\n小標\n---\n\n**粗體**、*斜體*、~~刪除~~、`code`、\\*星號\\*、&amp;、<https://example.org>。\n",
    "raw html stays as text": "<div>這是 HTML</div>\n\n正文 <span>行內</span>。\n",
    "image": "![圖片說明](images/a.png \"標題\")\n",
}


@pytest.mark.parametrize("case", sorted(LOSSLESS))
def test_supported_constructs_lose_nothing(tmp_path, case):
    path = entry(tmp_path, LOSSLESS[case])
    src, diags = parse_source(path)
    assert src.lost == [] and unexplained(path) == []
    assert [d.code for d in diags if d.code in ("text-dropped", "link-unused", "footnote-unused", "nesting-too-deep")] == []


def test_the_check_finds_a_paragraph_that_does_not_reach_the_blocks(tmp_path):
    """The accounting is not vacuous: leave one paragraph's tokens out and its text is lost, on its lines."""
    body = "第一段文字。\n\n第二段，\n分兩行。\n\n- 清單項\n"
    env: dict = {}
    tokens = markdown().parse(body, env)
    assert lost_characters(body, tokens, env, 7) == []
    second = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content.startswith("第二段"))
    kept = tokens[:second] + tokens[second + 1:]
    lost = lost_characters(body, kept, env, 7)
    assert [(x.line, x.text) for x in lost] == [(9, "第二段，"), (10, "分兩行。")]


@pytest.mark.parametrize("blind", ["lost_characters", "body_diagnostics"])
def test_the_invariant_sees_a_loss_the_loader_misses(tmp_path, monkeypatch, blind):
    """`unexplained` counts on its own: with the loader's accounting or its diagnostics blinded, the text is found."""
    path = entry(tmp_path, LOSSY["unused footnote"][0] + "\n另起一段。\n")
    assert unexplained(path) == []
    monkeypatch.setattr(f"kwbook.load.entry.{blind}", lambda *a, **k: [])
    assert codes(path) == []
    assert [(x.line, x.text) for x in unexplained(path)] == [(9, "沒有人引用的註文")]


def test_footnotes_go_to_the_section_that_first_calls_them(tmp_path):
    body = ("正文[^b]，再[^a]。\n\n[^a]: 甲註。\n\n## 緣由演進\n\n後文[^a]又[^c]。\n\n[^b]: 乙註，\n\n    第二段。\n"
            "[^c]: 丙註。\n")
    path = entry(tmp_path, body)
    src, diags = parse_source(path)
    assert diags == []
    first, second = src.blocks
    assert [(n.number, n.text) for n in first.notes] == [(1, "乙註，\n第二段。"), (2, "甲註。")]
    assert [(n.number, n.text, n.location.line) for n in second.notes] == [(3, "丙註。", 18)]
    assert first.text == "正文，再。" and first.calls == ((2, 1), (4, 2))
    assert second.text == "後文又。" and second.calls == ((2, 2), (3, 3))
    assert "甲註" not in first.html and 'data-note="1"' in first.html
