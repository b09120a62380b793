"""The message catalog: every diagnostic and command message as a Traditional Chinese and an English template.

A message is looked up by its id (a diagnostic's code, or `code/variant` where one code has several wordings)
and filled with named placeholders. The language is Traditional Chinese unless `--lang en` (or the environment
variable KWBOOK_LANG=en) selects English; codes are the same in both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ERROR, WARNING, Diagnostic

LANGS = ("zh", "en")

# id: (Traditional Chinese, English)
CATALOG: dict[str, tuple[str, str]] = {
    # reading: files, YAML, book.yaml
    "file-unreadable": ("無法讀取檔案：{reason}", "cannot read the file: {reason}"),
    "encoding": ("檔案不是有效的 UTF-8 編碼（第 {offset} 位元組：0x{byte}）", "the file is not valid UTF-8 (byte {offset}: 0x{byte})"),
    "empty-file": ("檔案是空的", "the file is empty"),
    "yaml-syntax": ("YAML 格式錯誤：{problem}", "YAML syntax error: {problem}"),
    "yaml-syntax/unknown": ("無法解析", "cannot be parsed"),
    "yaml-not-mapping": ("YAML 內容必須是「鍵: 值」的對應表", "the YAML must be a mapping of “key: value” pairs"),
    "frontmatter-unclosed": ("前置資料（front matter）缺少結尾的 --- 行", "the front matter has no closing --- line"),
    "book-missing": ("找不到 book.yaml（書稿設定檔）", "book.yaml (the book's settings) not found"),
    "entries-dir-missing": ("找不到 entries/ 資料夾", "the entries/ folder is missing"),
    "config-unknown-key": ("未知的設定「{key}」，將被忽略", "unknown setting “{key}”, ignored"),
    "config-missing-key": ("book.yaml 缺少必填設定「{key}」", "book.yaml lacks the required setting “{key}”"),
    "config-type/strings": ("「{key}」必須是字串或字串清單", "“{key}” must be a string or a list of strings"),
    "config-type/length": ("「{key}」必須是以毫米為單位的長度，例如 185mm", "“{key}” must be a length in millimetres, e.g. 185mm"),
    "config-type/title": ("「title」必須是字串", "“title” must be a string"),
    "config-type/report": ("「report」需要 full（全稱）與 short（簡稱），例如 short: 《報告》", "“report” needs full and short names, e.g. short: 《報告》"),
    "config-type/categories": ("「categories」必須是清單，每項有 title 與 folder", "“categories” must be a list of items with title and folder"),
    "config-type/category": ("第 {n} 個分類必須有 title（如 脫貧類）與 folder（資料夾名）", "category {n} needs a title (e.g. 脫貧類) and a folder"),
    "config-type/planned": ("「planned_entries」必須是非負整數", "“planned_entries” must be a non-negative integer"),
    "config-type/trim": ("「trim」必須有 width 與 height，例如 185mm × 260mm", "“trim” needs width and height, e.g. 185mm × 260mm"),
    "config-type/isbn": ("「isbn」必須是字串，或依格式分列（pdf、epub …）", "“isbn” must be a string, or one per format (pdf, epub …)"),
    "config-slug": ("「slug」只能用英文字母、數字、點、底線和連字號：{slug}", "“slug” may only use letters, digits, dot, underscore and hyphen: {slug}"),
    "config-sections": ("「sections」中有重複的章節標題", "“sections” repeats a section title"),
    "config-category-duplicate": ("分類資料夾「{folder}」重複宣告", "the category folder “{folder}” is declared twice"),
    "config-type/epub": ("「epub」必須是設定表（embed_fonts、font_format、writing_mode、page_list）", "“epub” must be a mapping (embed_fonts, font_format, writing_mode, page_list)"),
    "config-type/epub-flag": ("「epub.{key}」必須是 true 或 false", "“epub.{key}” must be true or false"),
    "config-type/epub-choice": ("「epub.{key}」只能是 {choices}，不是「{value}」", "“epub.{key}” must be one of {choices}, not “{value}”"),
    # one entry
    "frontmatter-missing": ("缺少前置資料：檔案須以 --- 開頭，寫明 keyword 與 quote", "no front matter: the file must start with --- and give keyword and quote"),
    "keyword-missing": ("缺少關鍵詞「keyword」或其內容為空", "the keyword (“keyword”) is missing or empty"),
    "quote-missing": ("缺少報告原文引文「quote」或其內容為空", "the report quote (“quote”) is missing or empty"),
    "keyword-type": ("關鍵詞「keyword」必須是一段文字", "the keyword (“keyword”) must be text"),
    "quote-type": ("報告原文引文「quote」必須是一段文字", "the report quote (“quote”) must be text"),
    "unknown-key": ("未知的欄位「{key}」，將被忽略", "unknown field “{key}”, ignored"),
    "order-type": ("「order」必須是整數", "“order” must be an integer"),
    "see-also-type": ("「see_also」必須是關鍵詞清單", "“see_also” must be a list of keywords"),
    "heading-level1": ("詞條內不可使用一級標題「# {title}」；關鍵詞寫在 keyword 欄位", "no level-1 heading “# {title}” in an entry; the keyword goes in the keyword field"),
    "heading-unknown": ("「{title}」不是本書的章節標題；二級標題只能是：{expected}", "“{title}” is not a section of this book; level-2 headings can only be: {expected}"),
    "section-level": ("章節「{title}」須用二級標題「## {title}」", "the section “{title}” must be a level-2 heading “## {title}”"),
    "section-duplicate": ("章節「{title}」重複出現（第一次在第 {first} 行）", "the section “{title}” appears again (first on line {first})"),
    "content-outside-section": ("這段文字不屬於任何章節；請放在 {expected} 之下", "this text belongs to no section; put it under {expected}"),
    "section-empty": ("章節「{title}」沒有內容", "the section “{title}” is empty"),
    "section-missing": ("缺少章節「{title}」（應為「## {title}」）", "missing section “{title}” (expected “## {title}”)"),
    "section-order": ("章節順序錯誤：「{title}」出現在「{want}」的位置；順序應為 {expected}", "sections out of order: “{title}” stands where “{want}” belongs; the order is {expected}"),
    "unassigned-content": ("這段文字尚未歸入章節（在「## {marker}」之下）；請移到 {expected} 之一", "this paragraph is not assigned to a section yet (under “## {marker}”); move it under one of {expected}"),
    "unassigned-content/empty": ("「## {marker}」標題下已無文字，請刪除此標題", "nothing is left under “## {marker}”; delete the heading"),
    # the whole book
    "category-unknown/folder": ("資料夾「{folder}」不是 book.yaml 宣告的分類；可用的分類資料夾：{folders}", "the folder “{folder}” is not a category declared in book.yaml; declared folders: {folders}"),
    "category-unknown/root": ("entries/ 根目錄不是 book.yaml 宣告的分類；可用的分類資料夾：{folders}", "the entries/ folder itself is not a category declared in book.yaml; declared folders: {folders}"),
    "keyword-duplicate": ("關鍵詞「{keyword}」重複，已見於 {first}", "the keyword “{keyword}” is used twice, first in {first}"),
    "see-also-self": ("「see_also」指向詞條自己：{target}", "“see_also” names the entry itself: {target}"),
    "see-also-unknown": ("「see_also」中的關鍵詞「{target}」在書中不存在", "the keyword “{target}” in “see_also” is not in the book"),
    "front-missing": ("front 所列的檔案不存在：{rel}", "a file listed in front does not exist: {rel}"),
    "entries-missing": ("已有詞條 {count} 條，計劃 {planned} 條，尚缺 {missing} 條", "{count} entries written of {planned} planned, {missing} missing"),
    "entries-extra": ("已有詞條 {count} 條，超過計劃的 {planned} 條", "{count} entries written, more than the {planned} planned"),
    # lint (editorial warnings)
    "punct-halfwidth": ("中文之間用了半形標點「{char}」，應為全形「{full}」", "half-width “{char}” in Chinese text; use the full-width “{full}”"),
    "quote-halfwidth": ("報告引文中有半形標點「{char}」，應為全形", "the report quote contains the half-width “{char}”; use full-width punctuation"),
    "simplified-char": ("繁體書稿中「{char}」應為「{trad}」{how}", "a zh-Hant book wants “{trad}” for “{char}”{how}"),
    "simplified-char/fixable": ("（簡化字；kwbook fix 可自動改正）", " (a simplified form; kwbook fix corrects it)"),
    "simplified-char/context": ("（依上下文判斷，請人工確認；刻意的用法可加入 book.yaml 的 lint.allow）", " (judged from the context: check it by hand; list deliberate uses in lint.allow in book.yaml)"),
    "bracket-unclosed": ("「{char}」沒有對應的「{close}」", "“{char}” has no matching “{close}”"),
    "bracket-unopened": ("「{char}」之前沒有對應的「{open}」", "“{char}” has no matching “{open}” before it"),
    "web-residue": ("疑似網頁殘留文字：{text}", "looks like web-page residue: {text}"),
    "html-entity": ("HTML 實體「{entity}」殘留{how}", "HTML entity “{entity}” left in the text{how}"),
    "html-entity/fixable": ("，應為「{char}」（kwbook fix 可自動改正）", "; it stands for “{char}” (kwbook fix corrects it)"),
    "html-entity/manual": ("，代表「{char}」（請人工改正）", "; it stands for “{char}” (correct it by hand)"),
    "html-entity/bare": ("（實體的 & 與 ; 已遺失，請人工改正）", " (its & and ; are lost: correct it by hand)"),
    "punct-doubled": ("標點重複：「{text}」", "doubled punctuation: “{text}”"),
    "lint-allow-type": ("「lint.allow」必須是字或詞的清單", "“lint.allow” must be a list of characters or words"),
    # command line
    "ui.summary": ("共 {errors} 個錯誤、{warnings} 個警告。", "{errors} errors, {warnings} warnings."),
    "ui.error": ("kwbook: 錯誤：{message}", "kwbook: error: {message}"),
    "ui.interrupted": ("kwbook: 已中斷；dist/ 中原有的檔案保持不變。", "kwbook: interrupted; files already in dist/ are unchanged."),
    "ui.build-refused": ("書稿有錯誤，未建置任何檔案；dist/ 中原有的檔案保持不變。", "the manuscript has errors: nothing was built, files already in dist/ are unchanged."),
    "ui.written": ("已寫出 {path}", "wrote {path}"),
    "ui.sample-entries": ("kwbook: --entries 必須是正整數", "kwbook: --entries must be a positive integer"),
    "ui.sample-done": ("已產生 {count} 條詞條的書稿：{path}", "wrote a manuscript of {count} entries: {path}"),
    "ui.no-manuscript": ("找不到書稿：{path} 之中沒有 book.yaml", "no manuscript: {path} has no book.yaml"),
    "ui.lint-clean": ("沒有發現編輯問題。", "no editorial problems found."),
    "ui.fix-none": ("沒有需要自動修正的地方。", "nothing to fix automatically."),
    "ui.fix-would": ("可自動修正 {files} 個檔案中的 {changes} 處（用 --write 寫入）。", "{changes} fixes in {files} files can be applied (use --write)."),
    "ui.fix-wrote": ("已修正 {path}（{changes} 處；原檔備份於 {backup}）", "fixed {path} ({changes} changes; original kept in {backup})"),
    "ui.fix-dirty": ("{path} 有尚未提交的修改，未改寫；確認後可加 --force", "{path} has uncommitted changes and was not rewritten; use --force to rewrite it anyway"),
    "ui.fix-unreadable": ("{path} 無法讀取或不是 UTF-8，已略過", "{path} cannot be read or is not UTF-8; skipped"),
    "ui.fix-not-found": ("找不到檔案或書稿：{path}", "no such file or manuscript: {path}"),
    "ui.new-category": ("分類「{category}」不在 book.yaml 中；可用的分類：{choices}", "the category “{category}” is not in book.yaml; categories: {choices}"),
    "ui.new-exists": ("{path} 已存在，不會覆寫", "{path} exists and is not overwritten"),
    "ui.new-duplicate": ("關鍵詞「{keyword}」已見於 {path}", "the keyword “{keyword}” is already used in {path}"),
    "ui.new-keyword": ("關鍵詞不可為空，也不可含換行", "the keyword must be non-empty and on one line"),
    "ui.new-done": ("已建立 {path}", "created {path}"),
    "ui.import-done": ("已匯入 {source} → {entry}（報告：{report}）", "imported {source} → {entry} (report: {report})"),
    "ui.import-unassigned": ("  {count} 段文字尚未歸入章節，見 kwbook check 的 unassigned-content", "  {count} paragraphs are not assigned to a section: see unassigned-content in kwbook check"),
    "ui.import-failed": ("無法匯入 {source}：{reason}", "cannot import {source}: {reason}"),
    "ui.import-exists": ("{path} 已存在，不會覆寫", "{path} exists and is not overwritten"),
    "ui.import-no-category": ("  未辨識出分類，詞條放在 {path}；請移到正確的分類資料夾", "  no category recognised; the entry is in {path}: move it to its category folder"),
    "ui.schema-done": ("已寫出 {path}", "wrote {path}"),
    # status table
    "status.category": ("分類", "category"),
    "status.folder": ("資料夾", "folder"),
    "status.written": ("已寫", "written"),
    "status.planned": ("計劃", "planned"),
    "status.problems": ("有問題", "problems"),
    "status.chars": ("總字數", "characters"),
    "status.total": ("合計", "total"),
    "status.undeclared": ("（未宣告）", "(undeclared)"),
    # import report
    "report.title": ("kwbook import 報告", "kwbook import report"),
    "report.source": ("來源：{path}", "source: {path}"),
    "report.entry": ("詞條：{path}", "entry: {path}"),
    "report.keyword": ("關鍵詞：{keyword}（{how}）", "keyword: {keyword} ({how})"),
    "report.category": ("分類：{category}", "category: {category}"),
    "report.category-none": ("分類：未辨識", "category: not recognised"),
    "report.quote": ("引文：第 {line} 行", "quote: line {line}"),
    "report.quote-none": ("引文：未找到「《…報告》指出：「…」」，quote 留空", "quote: no “《…報告》指出：「…」” found, quote left empty"),
    "report.placed": ("放入詞條的段落：{placed}（其中未歸類 {unassigned}）", "paragraphs placed in the entry: {placed} ({unassigned} unassigned)"),
    "report.kept": ("未放入詞條的文字（原文照錄；行號為原檔行號）：", "text not placed in the entry (verbatim; line numbers of the source):"),
    "report.nothing": ("（無）", "(none)"),
    "how.tag": ("取自分類標記第 {line} 行", "from the category tag, line {line}"),
    "how.hint": ("取自第 {line} 行的 keyword 註記", "from the keyword note on line {line}"),
    "how.title": ("取自第 {line} 行的標題", "from the title on line {line}"),
    "how.file": ("取自檔名", "from the file name"),
    "reason.preamble": ("分類標記之前的網頁內容", "web page before the category tag"),
    "reason.tag": ("分類標記", "category tag"),
    "reason.intro": ("標記與標題之間的全書說明（編寫說明）", "the book's introduction between tag and title"),
    "reason.title": ("詞條標題", "entry title"),
    "reason.quote": ("報告引文（已寫入 quote）", "report quote (now in quote)"),
    "reason.marker": ("章節標記", "section marker"),
    "reason.residue": ("網頁殘留", "web residue"),
    "reason.tail": ("網頁尾部殘留", "web page tail"),
    "reason.foreign": ("不含中文的段落（外文或網頁殘留）", "paragraph without Chinese (foreign text or residue)"),
    "reason.meta": ("來源註記", "source note"),
    "import.docx-bad": ("不是有效的 DOCX 檔案", "not a valid DOCX file"),
    "import.undecodable": ("無法辨識文字編碼（試過 UTF-8、UTF-16、GB18030、Big5）", "unknown text encoding (tried UTF-8, UTF-16, GB18030, Big5)"),
    "import.empty": ("檔案沒有文字", "the file has no text"),
}

_lang = os.environ.get("KWBOOK_LANG", "zh") if os.environ.get("KWBOOK_LANG") in LANGS else "zh"


def set_lang(lang: str) -> None:
    """Choose the language of every message from now on ("zh" or "en")."""
    global _lang
    _lang = lang if lang in LANGS else "zh"


def current_lang() -> str:
    return _lang


def take_lang_option(argv: list[str]) -> list[str]:
    """Remove `--lang X` / `--lang=X` from argv wherever it stands, apply it, and return the rest."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            set_lang(argv[i + 1])
            i += 2
            continue
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            set_lang(arg.split("=", 1)[1])
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


@dataclass(frozen=True)
class Ref:
    """A placeholder value that is itself a catalog message (rendered in the same language, same params)."""

    msgid: str


def render(msgid: str, lang: str | None = None, **params) -> str:
    """The message msgid in lang (default: the current language), its placeholders filled."""
    templates = CATALOG.get(msgid)
    if templates is None:
        return msgid
    lang = lang or _lang
    template = templates[1] if lang == "en" else templates[0]
    plain = {k: v for k, v in params.items() if not isinstance(v, Ref)}
    for key, value in params.items():
        if isinstance(value, Ref):
            plain[key] = render(value.msgid, lang, **plain)
    try:
        return template.format(**plain)
    except (KeyError, IndexError, ValueError):
        return template


def text(msgid: str, **params) -> str:
    """A command-line message in the current language."""
    return render(msgid, **params)


def diagnostic(severity: str, code: str, path: Path, line: int = 1, col: int = 1, *, msgid: str | None = None, **params) -> Diagnostic:
    """A Diagnostic whose message comes from the catalog; it keeps msgid and params to be shown in English."""
    key = msgid or code
    message = render(key, "zh", **params)
    return Diagnostic(severity, code, message, Path(path), line, col, msgid=key, params=tuple(sorted(params.items())))


def error(code: str, path: Path, line: int = 1, col: int = 1, *, msgid: str | None = None, **params) -> Diagnostic:
    return diagnostic(ERROR, code, path, line, col, msgid=msgid, **params)


def warning(code: str, path: Path, line: int = 1, col: int = 1, *, msgid: str | None = None, **params) -> Diagnostic:
    return diagnostic(WARNING, code, path, line, col, msgid=msgid, **params)
