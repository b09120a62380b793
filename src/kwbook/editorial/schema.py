"""`kwbook schema`: JSON Schemas (draft 2020-12) for book.yaml and an entry's front matter, for YAML editors."""

from __future__ import annotations

import json
from pathlib import Path

from ..lang import LANGUAGES
from ..load.config import KNOWN_KEYS, REQUIRED
from ..messages import simplified
from ..validate.entry import ENTRY_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_STRINGS = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_LENGTH = {"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(mm)?\s*$"}]}

# key: (schema, Chinese description, English description)
BOOK_KEYS: dict[str, tuple[dict, str, str]] = {
    "title": ({"type": "string", "minLength": 1}, "書名", "the book's title"),
    "subtitle": ({"type": "string"}, "副書名", "subtitle"),
    "authors": (_STRINGS, "作者（一個或清單）", "author or list of authors"),
    "editors": (_STRINGS, "編者（一個或清單）", "editor or list of editors"),
    "publisher": ({"type": "string"}, "出版者", "publisher"),
    "language": ({"type": "string", "enum": list(LANGUAGES)}, "語言：zh-Hant（臺灣繁體）、zh-Hant-TW、zh-Hant-HK 或 zh-Hans（簡體）",
                 "language: zh-Hant (Taiwan), zh-Hant-TW, zh-Hant-HK or zh-Hans (Simplified, mainland)"),
    "editions": ({"type": "array", "items": {"type": "object", "required": ["language", "slug"], "properties": {
        "language": {"type": "string", "enum": list(LANGUAGES)}, "slug": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"}}}},
        "另一種文字的版本，例如 {language: zh-Hant-TW, slug: book-tw}（可另設 title 等）",
        "editions in the other script, e.g. {language: zh-Hant-TW, slug: book-tw} (title etc. may be set)"),
    "conversion": ({"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]},
                   "簡繁轉換的書稿詞表「原詞: 轉換後」（字數相同），或其 YAML 檔名",
                   "the book's conversion phrases (phrase: converted, same length), or a YAML file holding them"),
    "slug": ({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"}, "輸出檔名：dist/<slug>.pdf …", "names the outputs: dist/<slug>.pdf …"),
    "date": ({"type": "string"}, "出版日期，例如 2017-05-01", "publication date, e.g. 2017-05-01"),
    "isbn": ({"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]},
             "ISBN，或依格式分列（pdf、epub …）", "ISBN, or one per format (pdf, epub …)"),
    "trim": ({"anyOf": [{"type": "string"}, {"type": "object", "properties": {"width": _LENGTH, "height": _LENGTH}, "additionalProperties": False}]},
             "成品尺寸，預設 185mm × 260mm", "trim size, 185mm × 260mm by default"),
    "report": ({"anyOf": [{"type": "string"}, {"type": "object", "required": ["full", "short"],
                "properties": {"full": {"type": "string"}, "short": {"type": "string"}}, "additionalProperties": False}]},
               "所解讀的報告：full 全稱、short 簡稱（如 《報告》）", "the report interpreted: full and short names (e.g. 《報告》)"),
    "sections": ({"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "uniqueItems": True},
                 "每個詞條的章節標題，依序", "the section titles of every entry, in order"),
    "categories": ({"type": "array", "items": {"type": "object", "required": ["title", "folder"], "properties": {
        "title": {"type": "string", "minLength": 1}, "folder": {"type": "string", "minLength": 1},
        "planned": {"type": "integer", "minimum": 0}}}},
        "分類，依序；folder 是 entries/ 下的資料夾，planned 是此分類計劃的詞條數（可省略）",
        "categories in order; folder is the folder under entries/, planned the entries planned for it (optional)"),
    "planned_entries": ({"type": "integer", "minimum": 0}, "全書計劃的詞條數", "how many entries the book will have"),
    "front": (_STRINGS, "前置文字檔（編寫說明 …），相對於書稿資料夾", "front-matter files, relative to the manuscript"),
    "identifier": ({"type": "string"}, "EPUB 識別碼（urn:uuid:…）", "the EPUB's identifier (urn:uuid:…)"),
    "lint": ({"type": "object", "properties": {"allow": {"type": "array", "items": {"type": "string", "minLength": 1}}},
              "additionalProperties": False},
             "kwbook lint 的設定：allow 列出刻意保留、不報簡化字的字或詞", "kwbook lint settings: allow lists characters or words kept on purpose"),
}

ENTRY_FIELDS: dict[str, tuple[dict, str, str]] = {
    "keyword": ({"type": "string", "minLength": 1}, "關鍵詞", "the keyword"),
    "quote": ({"type": "string", "minLength": 1}, "報告原文引文（印成《報告》指出：「…」）", "the report's words (printed as 《報告》指出：「…」)"),
    "order": ({"type": "integer"}, "分類內的排序（可省略，預設依檔名）", "order within the category (optional; file name order otherwise)"),
    "see_also": (_STRINGS, "參見的其他關鍵詞", "other keywords to see"),
}


def _schema(title: str, keys: dict, known: set[str], required: list[str], lang: str) -> dict:
    props = {}
    for key in sorted(known, key=lambda k: (k not in keys, list(keys).index(k) if k in keys else 0, k)):
        schema, zh, en = keys.get(key, ({}, "見 docs/manuscript.md", "see docs/manuscript.md"))
        props[key] = {**schema, "description": en if lang == "en" else simplified(zh) if lang == "zh-Hans" else zh}
    return {"$schema": DRAFT, "title": title, "type": "object", "required": required, "properties": props,
            "additionalProperties": False}


def book_schema(lang: str = "zh") -> dict:
    return _schema("kwbook book.yaml", BOOK_KEYS, set(KNOWN_KEYS), list(REQUIRED), lang)


def entry_schema(lang: str = "zh") -> dict:
    return _schema("kwbook entry front matter", ENTRY_FIELDS, set(ENTRY_KEYS), ["keyword", "quote"], lang)


def write_schemas(out_dir: Path, lang: str = "zh") -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (("book.schema.json", book_schema(lang)), ("entry.schema.json", entry_schema(lang))):
        path = out_dir / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
