"""kwbook lint: each editorial warning with its code, line and column; part of `kwbook check` as warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_root, run_kwbook

from kwbook import api
from kwbook.editorial.lint import lint_manuscript, lint_text
from kwbook.text import fullwidth_punctuation, halfwidth_marks

ENTRY = Path("entries/tuopin/010-產業扶貧.md")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_root("editorial", tmp_path)


def found(manuscript: Path) -> list[tuple[str, int, int, str]]:
    return [(d.path.relative_to(manuscript.resolve()).as_posix(), d.line, d.col, d.code) for d in lint_manuscript(manuscript)]


def write_body(manuscript: Path, body: str, quote: str = "發展特色產業，帶動貧困群眾穩定增收。") -> None:
    (manuscript / ENTRY).write_text(f"---\nkeyword: 產業扶貧\nquote: {quote}\n---\n{body}", encoding="utf-8")


def lint(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.code) for d in lint_text(text, Path("x.md"))]


def test_the_editorial_root_is_clean(book):
    assert lint_manuscript(book) == []


def test_halfwidth_punctuation_between_chinese_characters(book):
    write_body(book, "## 概念內涵\n\n產業扶貧,是一種方式:以市場為導向;行嗎?好!(見下文)\n")
    got = found(book)
    assert [(line, col, code) for _, line, col, code in got] == [
        (7, 5, "punct-halfwidth"), (7, 11, "punct-halfwidth"), (7, 18, "punct-halfwidth"),
        (7, 21, "punct-halfwidth"), (7, 23, "punct-halfwidth"), (7, 24, "punct-halfwidth"), (7, 28, "punct-halfwidth"),
    ]


def test_latin_digits_code_links_and_yaml_lists_are_left_alone():
    text = ("---\nkeyword: 甲\nquote: 乙。\nsee_also: [丙,丁]\n---\n"
            "人口3,000人，時間10:30，Hello, world。\n\n用 `a,b` 表示，見[連結](http://例.com/a,b)。\n\n```\n中文,中文\n```\n")
    assert lint(text) == []


def test_a_chain_of_marks_and_a_parenthesis_pair_are_converted_together():
    assert halfwidth_marks("號),對") == [1, 2]
    assert fullwidth_punctuation("字,(1)") == "字，（1）"
    once = fullwidth_punctuation("甲,(乙) GDP(2016)增長; Latin (x)")
    assert fullwidth_punctuation(once) == once
    assert once == "甲，（乙） GDP（2016）增長； Latin (x)"


def test_simplified_characters_judged_in_context(book):
    write_body(book, "## 概念內涵\n\n實現先富幫后富，後來者居上，皇后不變，线路通暢。\n")
    got = lint_manuscript(book)
    assert [(d.line, d.col, d.code) for d in got] == [(7, 6, "simplified-char"), (7, 20, "simplified-char")]
    after, line = got
    assert "「后」應為「後」" in after.message and "人工確認" in after.message
    assert "「线」應為「線」" in line.message and "kwbook fix" in line.message


def test_allow_list_in_book_yaml(book):
    write_body(book, "## 概念內涵\n\n搭建平台，產業布局，先富幫后富。\n")
    assert [d.col for d in lint_manuscript(book) if d.code == "simplified-char"] == [4, 8, 14]
    with open(book / "book.yaml", "a", encoding="utf-8") as f:
        f.write("lint:\n  allow: [平台, 布局]\n")
    assert [d.col for d in lint_manuscript(book) if d.code == "simplified-char"] == [14]
    _, diags = api.check(book)
    assert not any(d.code == "config-unknown-key" for d in diags), "lint is a known book.yaml key"


def test_an_unreadable_book_yaml_leaves_the_script_unjudged(book):
    """book.yaml that does not parse: its language and allow-list are unknown, so no character is judged (nor fixed)
    by a guessed script; the rest of lint goes on, and check reports book.yaml's own error."""
    write_body(book, "## 概念內涵\n\n搭建平台，產業布局,线路通暢。\n")
    with open(book / "book.yaml", "a", encoding="utf-8") as f:
        f.write("lint:\n  allow: [平台, 布局]\nbroken: [\n")
    assert [code for *_, code in found(book)] == ["punct-halfwidth"]
    _, diags = api.check(book, lint=True)
    assert [d.code for d in diags if d.severity == "error"] == ["yaml-syntax"]
    assert not [d for d in diags if d.code in ("simplified-char", "traditional-char")]
    fixed = run_kwbook("fix", "--write", book / ENTRY, cwd=book)
    assert fixed.returncode == 0, fixed.stderr
    assert "產業布局，线路通暢" in (book / ENTRY).read_text(encoding="utf-8"), "the comma fixed, 线 left to an editor"


def test_allow_list_of_the_wrong_type(book):
    with open(book / "book.yaml", "a", encoding="utf-8") as f:
        f.write("lint: {allow: 3}\n")
    assert ("book.yaml", 15, 1, "lint-allow-type") in found(book)


def test_simplified_check_only_in_a_traditional_book(book):
    write_body(book, "## 概念內涵\n\n线路通暢。\n")
    assert [c for *_, c in found(book)] == ["simplified-char"]
    text = (book / "book.yaml").read_text(encoding="utf-8").replace("zh-Hant", "zh-Hans")
    (book / "book.yaml").write_text(text, encoding="utf-8")
    # a zh-Hans book: 线 is right, and its Traditional characters (暢, and the Traditional section titles) are flagged
    diags = [d for d in lint_manuscript(book) if d.path.name == ENTRY.name]
    assert {d.code for d in diags} == {"traditional-char"}
    assert any(d.message == "簡體書稿中「暢」應為「畅」（繁體字；kwbook fix 可自動改正）" for d in diags), diags
    with (book / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("lint:\n  allow: [暢]\n")   # the same allow-list serves a zh-Hans book's Traditional characters
    diags = [d for d in lint_manuscript(book) if d.path.name == ENTRY.name]
    assert diags and not [d for d in diags if "暢" in d.message], diags


def test_unbalanced_brackets_per_paragraph():
    text = "## 概念內涵\n\n他說「好，《報告》指出。\n\n多了一個》，還有（括號〈書名〉）。\n\n『引文』與「未閉合（」）。\n"
    assert lint(text) == [(3, 3, "bracket-unclosed"), (5, 5, "bracket-unopened"), (7, 10, "bracket-unclosed"), (7, 12, "bracket-unopened")]


def test_web_residue_entities_and_doubled_punctuation():
    text = ("## 概念內涵\n\n正文&ldquo;引文&rdquo;，A&amp;B。\n\n熱門推薦\n\n本文由 某站 提供 原文連結\n\n"
            "寫了12篇文章,獲得3次喜歡\n\n好，，很好。。真的嗎？？是的……——\n\n實施 ldquo 五個一批 rdquo 工程。\n")
    got = lint(text)
    assert [g for g in got if g[2] == "html-entity"] == [(3, 3, "html-entity"), (3, 12, "html-entity"), (3, 21, "html-entity"),
                                                        (13, 4, "html-entity"), (13, 15, "html-entity")]
    assert [g[0] for g in got if g[2] == "web-residue"] == [5, 7, 9]
    assert [g[:2] for g in got if g[2] == "punct-doubled"] == [(11, 2), (11, 6), (11, 11)]


def test_quote_with_halfwidth_punctuation_is_reported_once(book):
    write_body(book, "## 概念內涵\n\n文字。\n\n## 緣由演進\n\n文字。\n\n## 實踐成效\n\n文字。\n", quote="發展產業,帶動增收(穩定)。")
    assert found(book) == [(ENTRY.as_posix(), 3, 12, "quote-halfwidth"), (ENTRY.as_posix(), 3, 17, "quote-halfwidth"),
                           (ENTRY.as_posix(), 3, 20, "quote-halfwidth")]


def test_check_shows_lint_warnings_and_stays_green(book):
    write_body(book, "## 概念內涵\n\n產業扶貧,是一種方式。\n\n## 緣由演進\n\n文字。\n\n## 實踐成效\n\n文字。\n")
    result = run_kwbook("check", book, cwd=book.parent)
    assert result.returncode == 0, result.stderr
    assert f"editorial/{ENTRY.as_posix()}:7:5: warning: 中文之間用了半形標點「,」，應為全形「，」 [punct-halfwidth]" in result.stderr
    assert "Traceback" not in result.stderr
    assert all(d.code != "punct-halfwidth" for d in api.check(book)[1]), "the library's check() is unchanged"
    assert any(d.code == "punct-halfwidth" for d in api.check(book, lint=True)[1])


def test_lint_command_exit_codes_and_english(book, tmp_path):
    clean = run_kwbook("lint", book)
    assert clean.returncode == 0 and clean.stdout == ""
    write_body(book, "## 概念內涵\n\n产业扶贫,是一种方式。\n")
    zh = run_kwbook("lint", book, cwd=book)
    en = run_kwbook("lint", ".", "--lang", "en", cwd=book)
    assert zh.returncode == en.returncode == 1
    codes = lambda out: [line.rsplit("[", 1)[1] for line in out.splitlines()]
    assert codes(zh.stdout) == codes(en.stdout) and len(codes(zh.stdout)) == 5  # 产 业 贫 种 and the comma
    assert "half-width “,” in Chinese text" in en.stdout and "繁體書稿" not in en.stdout and "繁體書稿" in zh.stdout
    missing = run_kwbook("lint", tmp_path / "nowhere")
    assert missing.returncode == 2 and "book.yaml" in missing.stderr and "Traceback" not in missing.stderr
