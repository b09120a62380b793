"""kwbook status, new and schema; messages in Traditional Chinese by default and English with --lang en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_root, run_kwbook

from kwbook import api, messages
from kwbook.load.config import KNOWN_KEYS
from kwbook.validate.entry import ENTRY_KEYS


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_root("editorial", tmp_path)


def test_status_table_and_json(book):
    (book / "entries/tuopin/020-壞.md").write_text("---\nkeyword: 壞\nquote: 引文。\n---\n## 概念內涵\n\n一二三。\n", encoding="utf-8")
    result = run_kwbook("status", book, "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    rows = {r["folder"]: r for r in status["categories"]}
    assert [r["folder"] for r in status["categories"]] == ["zhanlue", "tuopin", "jingji"]
    assert rows["tuopin"]["planned"] == 3 and rows["zhanlue"]["planned"] is None
    assert (rows["tuopin"]["written"], rows["tuopin"]["with_errors"], rows["tuopin"]["with_problems"]) == (2, 1, 1)
    assert rows["tuopin"]["chars"] == {"概念內涵": 26 + 4, "緣由演進": 26, "實踐成效": 20}
    assert rows["jingji"]["total_chars"] == 46
    assert status["total"] == {"planned": 5, "written": 3, "with_errors": 1, "with_problems": 1,
                               "chars": {"概念內涵": 45, "緣由演進": 44, "實踐成效": 33}, "total_chars": 122}
    table = run_kwbook("status", book).stdout.splitlines()
    assert table[0].split() == ["分類", "資料夾", "已寫", "計劃", "有問題", "概念內涵", "緣由演進", "實踐成效", "總字數"]
    assert table[3].split() == ["脫貧類", "tuopin", "2", "3", "1", "30", "26", "20", "76"]
    assert table[-1].split() == ["合計", "3", "5", "1", "45", "44", "33", "122"]
    english = run_kwbook("status", book, "--lang", "en").stdout.splitlines()
    assert english[0].split()[:3] == ["category", "folder", "written"] and english[-1].startswith("total")


def test_status_of_a_folder_without_book_yaml(tmp_path):
    result = run_kwbook("status", tmp_path)
    assert result.returncode == 2 and "book.yaml" in result.stderr and "Traceback" not in result.stderr


def test_new_entry_skeleton(book):
    result = run_kwbook("new", "綠色金融", "--category", "經濟類", book)
    assert result.returncode == 0, result.stderr
    path = book / "entries/jingji/020-綠色金融.md"
    assert path.read_text(encoding="utf-8") == "---\nkeyword: 綠色金融\nquote: ''\n---\n## 概念內涵\n\n## 緣由演進\n\n## 實踐成效\n"
    _, diags = api.check(book)
    assert {(d.code, d.line) for d in diags if d.path == path.resolve()} == {
        ("quote-missing", 3), ("section-empty", 5), ("section-empty", 7), ("section-empty", 9)}
    by_folder = run_kwbook("new", "--category", "zhanlue", "新發展理念", book)
    assert by_folder.returncode == 0 and (book / "entries/zhanlue/新發展理念.md").is_file()


def test_new_refuses_to_overwrite_or_duplicate(book):
    path = book / "entries/jingji/020-綠色金融.md"
    path.write_text("原有內容", encoding="utf-8")
    exists = run_kwbook("new", "綠色金融", "--category", "經濟類", book)
    assert exists.returncode == 1 and "不會覆寫" in exists.stderr
    assert path.read_text(encoding="utf-8") == "原有內容"
    duplicate = run_kwbook("new", "產業扶貧", "--category", "經濟類", book)
    assert duplicate.returncode == 1 and "產業扶貧" in duplicate.stderr
    unknown = run_kwbook("new", "某詞", "--category", "不存在類", book)
    assert unknown.returncode == 2 and "脫貧類" in unknown.stderr and "Traceback" not in unknown.stderr


def test_schema_files(tmp_path):
    result = run_kwbook("schema", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    book = json.loads((tmp_path / "book.schema.json").read_text(encoding="utf-8"))
    entry = json.loads((tmp_path / "entry.schema.json").read_text(encoding="utf-8"))
    assert set(book["properties"]) == KNOWN_KEYS, "every key load/config.py knows, nothing more"
    assert set(entry["properties"]) == ENTRY_KEYS and entry["required"] == ["keyword", "quote"]
    assert book["properties"]["lint"]["properties"]["allow"]["type"] == "array"
    assert "planned" in book["properties"]["categories"]["items"]["properties"]
    run_kwbook("schema", "-o", tmp_path / "en", "--lang", "en")
    en = json.loads((tmp_path / "en/entry.schema.json").read_text(encoding="utf-8"))
    assert en["properties"]["keyword"]["description"] == "the keyword"


def test_every_catalog_message_renders_in_both_languages():
    for msgid, (zh, en) in messages.CATALOG.items():
        assert zh and en, msgid
        names = lambda t: sorted(set(__import__("re").findall(r"{(\w+)", t)))
        assert names(zh) == names(en), f"{msgid}: placeholders differ"


def test_check_in_english_keeps_codes_and_places(basic):
    entry = basic / "entries/alpha/010-綠色發展.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("## 實踐成效\n", ""), encoding="utf-8")
    zh = run_kwbook("check", basic, cwd=basic.parent)
    en = run_kwbook("--lang", "en", "check", basic, cwd=basic.parent)
    assert zh.returncode == en.returncode == 1
    assert zh.stderr.splitlines()[0] == "basic/entries/alpha/010-綠色發展.md:16:1: error: 缺少章節「實踐成效」（應為「## 實踐成效」） [section-missing]"
    assert en.stderr.splitlines()[0] == "basic/entries/alpha/010-綠色發展.md:16:1: error: missing section “實踐成效” (expected “## 實踐成效”) [section-missing]"
    assert en.stderr.splitlines()[-1] == "1 errors, 0 warnings."
