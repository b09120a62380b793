"""Validation: every rule of DESIGN.md reported with its code, file and line; all problems in one run."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import PROJECT, run_kwbook

from kwbook import check

ENTRY = Path("entries/alpha/010-綠色發展.md")


def codes(manuscript: Path) -> list[tuple[str, str, int, str]]:
    book, diags = check(manuscript)
    return [(d.severity, d.path.relative_to(manuscript.resolve()).as_posix(), d.line, d.code) for d in diags]


def edit(manuscript: Path, rel: Path, old: str, new: str) -> None:
    path = manuscript / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_basic_root_is_valid(basic):
    book, diags = check(basic)
    assert diags == []
    assert [c.title for c in book.categories] == ["甲類", "乙類"]
    assert [e.keyword for e in book.entries] == ["綠色發展", "數字經濟", "鄉村振興"]
    assert [s.title for s in book.entries[0].sections] == ["概念內涵", "緣由演進", "實踐成效"]
    assert book.entries[0].sections[0].location.line == 6


def test_missing_section_names_file_line_and_section(basic):
    edit(basic, ENTRY, "## 實踐成效\n", "")
    book, diags = check(basic)
    assert book is None
    [d] = diags
    assert (d.code, d.line, d.severity) == ("section-missing", 16, "error")
    assert "實踐成效" in d.message


def test_empty_duplicated_and_misordered_sections(basic):
    edit(basic, ENTRY, "這一理念在多年的實踐中逐步形成，並寫入多份規劃文件。\n", "")
    edit(basic, Path("entries/alpha/020-數字經濟.md"), "## 實踐成效", "## 概念內涵")
    text = (basic / "entries/beta/010-鄉村振興.md").read_text(encoding="utf-8")
    a, b = "## 緣由演進\n\n在脫貧攻堅取得成果之後，工作重心逐步轉向鄉村全面振興。\n\n", "## 實踐成效\n\n特色產業不斷壯大，農村居民收入穩定增長。\n"
    (basic / "entries/beta/010-鄉村振興.md").write_text(text.replace(a + b, b + "\n" + a), encoding="utf-8")
    assert codes(basic) == [
        ("error", "entries/alpha/010-綠色發展.md", 11, "section-empty"),
        ("error", "entries/alpha/020-數字經濟.md", 13, "section-duplicate"),
        ("error", "entries/alpha/020-數字經濟.md", 15, "section-missing"),
        ("error", "entries/beta/010-鄉村振興.md", 9, "section-order"),
    ]


def test_headings_outside_the_contract(basic):
    edit(basic, ENTRY, "## 概念內涵", "# 綠色發展\n\n## 概念內涵")
    edit(basic, ENTRY, "## 實踐成效", "## 延伸閱讀\n\n一些文字。\n\n## 實踐成效")
    got = codes(basic)
    assert ("error", ENTRY.as_posix(), 6, "heading-level1") in got
    assert ("error", ENTRY.as_posix(), 17, "heading-unknown") in got


def test_malformed_yaml_points_at_the_line(basic):
    edit(basic, ENTRY, "quote: 堅持綠色發展，守住生態底線。", "quote: [堅持綠色發展")
    assert codes(basic) == [("error", ENTRY.as_posix(), 4, "yaml-syntax")]


def test_front_matter_fields(basic):
    edit(basic, ENTRY, "quote: 堅持綠色發展，守住生態底線。\n", "editor: 某人\n")
    assert codes(basic) == [
        ("error", ENTRY.as_posix(), 1, "quote-missing"),
        ("warning", ENTRY.as_posix(), 3, "unknown-key"),
    ]


def test_missing_front_matter(basic):
    path = basic / ENTRY
    path.write_text(path.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    assert ("error", ENTRY.as_posix(), 1, "frontmatter-missing") in codes(basic)


def test_duplicate_keyword_and_unknown_see_also(basic):
    edit(basic, Path("entries/beta/010-鄉村振興.md"), "keyword: 鄉村振興", "keyword: 綠色發展")
    got = codes(basic)
    assert ("error", "entries/beta/010-鄉村振興.md", 2, "keyword-duplicate") in got
    edit(basic, ENTRY, "see_also: [數字經濟]", "see_also: [不存在的詞]")
    assert ("error", ENTRY.as_posix(), 4, "see-also-unknown") in codes(basic)


def test_unknown_category_folder(basic):
    (basic / "entries/gamma").mkdir()
    (basic / ENTRY).rename(basic / "entries/gamma/x.md")
    got = codes(basic)
    assert ("error", "entries/gamma/x.md", 1, "category-unknown") in got
    assert ("error", "entries/alpha/020-數字經濟.md", 4, "see-also-unknown") not in got


def test_markdown_named_otherwise_than_md_is_said_to_be_left_out(basic):
    for name in ("030-大寫.MD", "040-長名.markdown"):
        (basic / "entries/alpha" / name).write_bytes((basic / ENTRY).read_bytes())
    (basic / "entries/alpha/notes.txt").write_text("not Markdown", encoding="utf-8")
    book, diags = check(basic)
    assert [e.keyword for e in book.entries] == ["綠色發展", "數字經濟", "鄉村振興"], "neither is read"
    assert codes(basic) == [("warning", "entries/alpha/030-大寫.MD", 1, "entry-suffix"),
                            ("warning", "entries/alpha/040-長名.markdown", 1, "entry-suffix")]


def test_invalid_utf8_and_empty_file(basic):
    (basic / "entries/alpha/030-壞.md").write_bytes("---\nkeyword: 壞\n".encode("utf-8") + b"quote: \xff\xfe\n")
    (basic / "entries/beta/020-空.md").write_bytes(b"  \n")
    got = codes(basic)
    assert ("error", "entries/alpha/030-壞.md", 3, "encoding") in got
    assert ("error", "entries/beta/020-空.md", 1, "empty-file") in got


def test_bom_and_crlf_are_accepted(basic):
    path = basic / ENTRY
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    book, diags = check(basic)
    assert diags == [] and book.entries[0].keyword == "綠色發展"


def test_front_file_missing_and_fewer_entries_than_planned(basic):
    (basic / "front/說明.md").unlink()
    edit(basic, Path("book.yaml"), "planned_entries: 3", "planned_entries: 151")
    got = codes(basic)
    assert ("error", "book.yaml", 15, "front-missing") in got
    assert ("warning", "book.yaml", 14, "entries-missing") in got
    assert any("尚缺 148 條" in d.message for d in check(basic)[1])


def test_every_problem_of_the_book_in_one_run(basic):
    edit(basic, ENTRY, "## 概念內涵", "## 概念")
    edit(basic, Path("entries/beta/010-鄉村振興.md"), "quote: 實施鄉村振興戰略，加快農業農村現代化。", "quote: ''")
    (basic / "entries/beta/020-空.md").write_text("", encoding="utf-8")
    got = {(p, c) for _, p, _, c in codes(basic)}
    assert got >= {
        (ENTRY.as_posix(), "heading-unknown"),
        (ENTRY.as_posix(), "section-missing"),
        ("entries/beta/010-鄉村振興.md", "quote-missing"),
        ("entries/beta/020-空.md", "empty-file"),
    }


def test_cli_check_format_and_exit_code(basic):
    edit(basic, ENTRY, "## 實踐成效\n", "")
    result = run_kwbook("check", basic, cwd=basic.parent)
    assert result.returncode == 1
    line = result.stderr.splitlines()[0]
    assert line == "basic/entries/alpha/010-綠色發展.md:16:1: error: 缺少章節「實踐成效」（應為「## 實踐成效」） [section-missing]"
    assert "Traceback" not in result.stderr


def test_cli_check_broken_book_yaml_without_traceback(basic):
    (basic / "book.yaml").write_text("title: [未閉合\nslug: x\n", encoding="utf-8")
    result = run_kwbook("check", basic, cwd=basic)
    assert result.returncode == 1
    assert "book.yaml:2:" in result.stderr and "[yaml-syntax]" in result.stderr
    assert "Traceback" not in result.stderr


def test_conversion_file_outside_is_refused_unread(basic, tmp_path):
    """`conversion:` naming a file outside (absolute, ../, ~, or a link out) is refused without being opened."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("祕密: [1, 2\n", encoding="utf-8")  # read, it would be a yaml-syntax error quoting it
    (basic / "link.yaml").symlink_to(secret)
    book_yaml = basic / "book.yaml"
    base = book_yaml.read_text(encoding="utf-8")
    for value in (str(secret), "../secret.yaml", "~/secret.yaml", "link.yaml"):
        book_yaml.write_text(f"{base}conversion: {value}\n", encoding="utf-8")
        book, diags = check(basic)
        assert book is None
        assert [(d.code, d.msgid, d.path.name, d.line) for d in diags] == [
            ("config-conversion", "config-conversion/outside", "book.yaml", 16)], value
        assert "祕密" not in diags[0].localized("zh")
    # a file in the manuscript, or a link to one, is read as before
    (basic / "phrases.yaml").write_text("綠色: 綠色\n", encoding="utf-8")
    (basic / "inside.yaml").symlink_to("phrases.yaml")
    for value in ("phrases.yaml", "inside.yaml"):
        book_yaml.write_text(f"{base}conversion: {value}\n", encoding="utf-8")
        assert check(basic)[1] == [], value


def test_edition_outputs_never_share_a_name(basic):
    """output_names covers every file a book writes to dist/; an edition slug that would reuse one is refused."""
    from kwbook import a11y, api
    from kwbook.load.editions import output_names

    dist = basic / "dist"
    written = {api.output_path(basic, dist, fmt, "x").name for fmt in api.SUFFIX}
    written |= {api.conversion_report_path(dist, "x").name, api.page_map_path(basic, dist, "x").name,
                a11y.reports_dir(api.output_path(basic, dist, "epub", "x")).name}
    assert written == set(output_names("x").values())
    book_yaml = basic / "book.yaml"
    base = book_yaml.read_text(encoding="utf-8")
    for slug in ("basic-print", "basic-cover", "Basic"):
        book_yaml.write_text(f"{base}editions:\n  - {{language: zh-Hans, slug: {slug}}}\n", encoding="utf-8")
        assert [(d.code, d.msgid, d.line) for d in check(basic)[1]] == [("config-edition", "config-edition/slug-clash", 17)]
    book_yaml.write_text(f"{base}editions:\n  - {{language: zh-Hans, slug: basic-hans}}\n", encoding="utf-8")
    assert [d for d in check(basic)[1] if d.severity == "error"] == []


def test_category_folder_is_one_name(basic):
    book_yaml = basic / "book.yaml"
    base = book_yaml.read_text(encoding="utf-8")
    for folder in ("../../outdir", "/tmp/outdir", '""', ".", "..", "beta/sub", "beta\\\\sub"):
        book_yaml.write_text(base.replace("folder: beta", f"folder: {folder}"), encoding="utf-8")
        assert [(d.code, d.line) for d in check(basic)[1]] == [("config-category-folder", 13)], folder
    result = run_kwbook("new", "新詞", "--category", "乙類", basic)
    assert result.returncode == 2 and not (basic.parent / "outdir").exists()  # book.yaml has an error: nothing written


def test_keyword_on_one_line_as_kwbook_new_requires(basic):
    for escaped, char in (("\\n", "U+000A"), ("\\t", "U+0009"), ("\\L", "U+2028")):
        edit(basic, ENTRY, "keyword: 綠色發展", f'keyword: "綠色{escaped}發展"')
        book, diags = check(basic)
        assert [(d.code, d.line, dict(d.params)["char"]) for d in diags] == [("keyword-line", 2, char)]
        edit(basic, ENTRY, f'keyword: "綠色{escaped}發展"', "keyword: 綠色發展")
    edit(basic, ENTRY, "quote: 堅持綠色發展，守住生態底線。", 'quote: "堅持綠色發展，\\n守住生態底線。"')
    assert check(basic)[1] == []  # a quote is running text: its line break is a space, the same in every output
    for keyword in ("多行\n關鍵詞", "定位\t字元"):
        result = run_kwbook("new", keyword, "--category", "甲類", basic)
        assert result.returncode == 2, keyword
    assert sorted(p.name for p in (basic / "entries/alpha").iterdir()) == ["010-綠色發展.md", "020-數字經濟.md"]


def test_own_styles_folder_must_be_complete(basic, tmp_path):
    """With its own styles/, a manuscript gets none of kwbook's: each file the build reads must be there."""
    shutil.copytree(PROJECT / "styles", basic / "styles")
    assert check(basic)[1] == []
    (basic / "styles/docx-styles.yaml").unlink()
    (basic / "styles/epub-vertical.css").unlink()
    assert codes(basic) == [("error", "styles/docx-styles.yaml", 1, "styles-missing")]
    book_yaml = basic / "book.yaml"
    book_yaml.write_text(book_yaml.read_text(encoding="utf-8") + "epub: {writing_mode: vertical}\n", encoding="utf-8")
    assert sorted(codes(basic)) == [("error", "styles/docx-styles.yaml", 1, "styles-missing"),
                                    ("error", "styles/epub-vertical.css", 1, "styles-missing")]
    dist = tmp_path / "dist"
    result = run_kwbook("build", basic, "-o", dist)
    assert result.returncode == 1 and "Traceback" not in result.stderr and not dist.exists()
