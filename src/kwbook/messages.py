"""The message catalog: every diagnostic and command message as a Traditional Chinese and an English template.

A message is looked up by its id (a diagnostic's code, or `code/variant` where one code has several wordings)
and filled with named placeholders. The language is Traditional Chinese unless `--lang en` or `--lang zh-Hans`
(or the environment variable KWBOOK_LANG) selects English or Simplified Chinese; codes are the same in all.
The Simplified catalog is derived from the Traditional one: OpenCC tw2sp (mainland software vocabulary:
檔案 → 文件, 資料夾 → 文件夹), mainland quotation marks, and the few terms in SIMPLIFIED_TERMS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ERROR, WARNING, Diagnostic

LANGS = ("zh", "zh-Hans", "en")

# id: (Traditional Chinese, English)
CATALOG: dict[str, tuple[str, str]] = {
    # reading: files, YAML, book.yaml
    "file-unreadable": ("無法讀取檔案：{reason}", "cannot read the file: {reason}"),
    "encoding": ("檔案不是有效的 UTF-8 編碼（第 {offset} 位元組：0x{byte}）", "the file is not valid UTF-8 (byte {offset}: 0x{byte})"),
    "empty-file": ("檔案是空的", "the file is empty"),
    "yaml-syntax": ("YAML 格式錯誤：{problem}", "YAML syntax error: {problem}"),
    "yaml-syntax/unknown": ("無法解析", "cannot be parsed"),
    "yaml-not-mapping": ("YAML 內容必須是「鍵: 值」的對應表", "the YAML must be a mapping of “key: value” pairs"),
    "yaml-value": ("YAML 值「{value}」不是有效的 !!{tag}", "the YAML value “{value}” is not a valid !!{tag}"),
    "yaml-value/date": ("「{value}」不是有效的日期或時刻（須是真實存在的日子，時 0–23、分秒 0–59）", "“{value}” is not a valid date or time (it must be a real day, hours 0–23, minutes and seconds 0–59)"),
    "yaml-limit/depth": ("YAML 巢狀層次超過 {limit} 層", "the YAML is nested more than {limit} levels deep"),
    "yaml-limit/nodes": ("YAML 展開別名（*alias）後超過 {limit} 個值", "the YAML holds more than {limit} values once its aliases (*alias) are expanded"),
    "yaml-limit/recursive": ("YAML 別名（*alias）指向包含它自己的值", "a YAML alias (*alias) refers to a value that contains it"),
    "control-char": ("不可用的字元 {char}（看不見的控制字元或不成對的代理碼位）；請刪除或改為一般文字", "the character {char} is not allowed (an invisible control character or a lone surrogate): delete it or use ordinary text"),
    "file-too-large": ("檔案過大（{size} 位元組，上限 {limit} 位元組）", "the file is too large ({size} bytes; the limit is {limit})"),
    "line-too-long": ("此行過長（{length} 字，上限 {limit} 字）；請分段", "this line is too long ({length} characters; the limit is {limit}): split it into paragraphs"),
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
    "config-type/date": ("「date」必須是日期，寫成 2017-05-01、2017-05 或 2017，不是「{value}」", "“date” must be a date written 2017-05-01, 2017-05 or 2017, not “{value}”"),
    "config-range": ("「{key}」為 {value} mm，超出可用範圍 {low}–{high} mm", "“{key}” is {value} mm, outside the usable range {low}–{high} mm"),
    "config-slug": ("「slug」只能用英文字母、數字、點、底線和連字號：{slug}", "“slug” may only use letters, digits, dot, underscore and hyphen: {slug}"),
    "config-slug/long": ("「slug」太長（{length} 個字元，最多 {limit} 個）：以它命名的輸出檔名會超過檔案系統的限制", "“slug” is too long ({length} characters, at most {limit}): the output files named after it would exceed the file system’s limit"),
    "config-sections": ("「sections」中有重複的章節標題", "“sections” repeats a section title"),
    "config-category-duplicate": ("分類資料夾「{folder}」重複宣告", "the category folder “{folder}” is declared twice"),
    "config-category-folder": ("分類的 folder 必須是 entries/ 之下一個資料夾的名稱（不可含 / 或 \\，不可為 .、.. 或空字串）：「{folder}」", "a category’s folder must be the name of one folder in entries/ (no / or \\, not ., .. or empty): “{folder}”"),
    "config-type/epub": ("「epub」必須是設定表（embed_fonts、font_format、writing_mode、page_list）", "“epub” must be a mapping (embed_fonts, font_format, writing_mode, page_list)"),
    "config-type/typography": ("「typography」必須是設定表，例如 {{latin_spacing: 0.25em}}", "“typography” must be a mapping, e.g. {{latin_spacing: 0.25em}}"),
    "config-type/latin-spacing": ("「typography.latin_spacing」必須是 0 到 1em 之間以 em 為單位的長度（如 0.25em），或 0 表示不加間距，不是「{value}」", "“typography.latin_spacing” must be a length in em from 0 to 1em (e.g. 0.25em), or 0 for no spacing, not “{value}”"),
    "config-type/epub-flag": ("「epub.{key}」必須是 true 或 false", "“epub.{key}” must be true or false"),
    "config-type/epub-choice": ("「epub.{key}」只能是 {choices}，不是「{value}」", "“epub.{key}” must be one of {choices}, not “{value}”"),
    "config-type/print": ("「print」必須是設定表（bleed、icc_profile、signature、paper_thickness）", "“print” must be a mapping (bleed, icc_profile, signature, paper_thickness)"),
    "config-type/signature": ("「print.signature」必須是正整數（每台頁數，如 16）", "“print.signature” must be a positive integer (pages per signature, e.g. 16)"),
    "config-type/entry-start": ("「entry_start」只能是 page（新頁）或 right（新的右頁）", "“entry_start” can only be page (a new page) or right (a new right-hand page)"),
    "config-type/index-sort": ("「index.sort」只能是 strokes（筆畫）或 pinyin（拼音）", "“index.sort” can only be strokes (stroke count) or pinyin"),
    "config-language": ("「language」只能是 {choices}，不是「{value}」", "“language” must be one of {choices}, not “{value}”"),
    "config-type/editions": ("「editions」必須是清單，每項至少有 language 與 slug，例如 {{language: zh-Hant-TW, slug: book-tw}}", "“editions” must be a list of items with at least language and slug, e.g. {{language: zh-Hant-TW, slug: book-tw}}"),
    "config-edition/language": ("第 {n} 個版本的 language 必須是另一種文字（{choices}），不是「{value}」", "edition {n}: language must be the other script ({choices}), not “{value}”"),
    "config-edition/slug": ("第 {n} 個版本的 slug「{slug}」無效或與其他版本重複", "edition {n}: the slug “{slug}” is invalid or used by another edition"),
    "config-edition/slug-clash": ("第 {n} 個版本的 slug「{slug}」會寫出 {name}，與本書或其他版本的 {other} 同名，會互相覆寫；請換一個 slug", "edition {n}: the slug “{slug}” would write {name}, the same name as {other} of the book or another edition, which it would overwrite: choose another slug"),
    "config-edition/key": ("第 {n} 個版本不能設定「{key}」", "edition {n} cannot set “{key}”"),
    "config-conversion": ("「conversion」必須是「原詞: 轉換後的詞」對照表（或其 YAML 檔名），兩邊字數相同：{problems}", "“conversion” must map a phrase to its converted form (or name a YAML file with such a mapping), both the same length: {problems}"),
    "config-conversion/outside": ("「conversion」所指的檔案在書稿資料夾之外，拒絕讀取：{file}", "“conversion” names a file outside the manuscript folder, which is not read: {file}"),
    "config-icc": ("找不到 CMYK 色彩描述檔：{profile}", "CMYK colour profile not found: {profile}"),
    "config-icc/outside": ("CMYK 色彩描述檔須在書稿資料夾或 /usr/share/color/icc 之內：{profile}", "the CMYK colour profile must be in the manuscript folder or in /usr/share/color/icc: {profile}"),
    "config-icc/invalid": ("不是 ICC 色彩描述檔（或大於 16 MB）：{profile}", "not an ICC colour profile (or larger than 16 MB): {profile}"),
    "config-condition": ("「print.condition」不是登記的印刷條件：{condition}（可用：{known}）", "“print.condition” is not a registered printing condition: {condition} (known: {known})"),
    "config-icc-condition": ("色彩描述檔 {profile}（{description}）不是印刷條件 {condition} 的 CMYK 描述檔", "the colour profile {profile} ({description}) is not a CMYK profile for the printing condition {condition}"),
    # one entry
    "frontmatter-missing": ("缺少前置資料：檔案須以 --- 開頭，寫明 keyword 與 quote", "no front matter: the file must start with --- and give keyword and quote"),
    "keyword-missing": ("缺少關鍵詞「keyword」或其內容為空", "the keyword (“keyword”) is missing or empty"),
    "quote-missing": ("缺少報告原文引文「quote」或其內容為空", "the report quote (“quote”) is missing or empty"),
    "keyword-type": ("關鍵詞「keyword」必須是一段文字", "the keyword (“keyword”) must be text"),
    "quote-type": ("報告原文引文「quote」必須是一段文字", "the report quote (“quote”) must be text"),
    "keyword-line": ("關鍵詞必須是一行文字，不可含換行或定位字元（{char}）", "the keyword must be one line, without a line break or tab ({char})"),
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
    # text the Markdown parser would drop (load/account.py)
    "link-unused": ("連結定義「[{label}]」沒有被任何連結使用，其文字不會印出（至第 {last} 行）；註腳請寫成 [^1]: …", "the link definition “[{label}]” is used by no link, so its text would not be printed (to line {last}); write a footnote as [^1]: …"),
    "footnote-unused": ("註腳「[^{label}]」沒有在正文中引用，不會印出（至第 {last} 行）", "the footnote “[^{label}]” is not referred to in the text, so it would not be printed (to line {last})"),
    "footnote-undefined": ("引用的註腳「[^{label}]」沒有定義（應有一行 [^{label}]: 註文）", "the footnote “[^{label}]” is referred to but not defined (expected a line [^{label}]: …)"),
    "nesting-too-deep": ("引文區塊與清單最多巢狀 {limit} 層，此處更深", "block quotes and lists may be nested at most {limit} deep; this is deeper"),
    "nesting-too-deep/lost": ("巢狀超過 {limit} 層，這些文字不會印出（至第 {last} 行）：{text}", "nested more than {limit} deep, this text would not be printed (to line {last}): {text}"),
    "text-dropped": ("這段文字無法排入書中（至第 {last} 行）：{text}", "this text would not reach the book (to line {last}): {text}"),
    # the whole book
    "category-unknown/folder": ("資料夾「{folder}」不是 book.yaml 宣告的分類；可用的分類資料夾：{folders}", "the folder “{folder}” is not a category declared in book.yaml; declared folders: {folders}"),
    "category-unknown/root": ("entries/ 根目錄不是 book.yaml 宣告的分類；可用的分類資料夾：{folders}", "the entries/ folder itself is not a category declared in book.yaml; declared folders: {folders}"),
    "keyword-duplicate": ("關鍵詞「{keyword}」重複，已見於 {first}", "the keyword “{keyword}” is used twice, first in {first}"),
    "see-also-self": ("「see_also」指向詞條自己：{target}", "“see_also” names the entry itself: {target}"),
    "see-also-unknown": ("「see_also」中的關鍵詞「{target}」在書中不存在", "the keyword “{target}” in “see_also” is not in the book"),
    "front-missing": ("front 所列的檔案不存在：{rel}", "a file listed in front does not exist: {rel}"),
    "front-outside": ("front 所列的檔案在書稿資料夾之外，拒絕讀取：{rel}", "a file listed in front lies outside the manuscript folder and is not read: {rel}"),
    "link-outside": ("這是指向書稿資料夾之外的連結（{target}），拒絕讀取", "this is a link to {target}, outside the manuscript folder, and is not read"),
    "link-dangling": ("這是失效的連結（指向不存在的 {target}）", "this is a broken link (to {target}, which does not exist)"),
    "link-folder": ("entries/ 中的資料夾連結不會被讀取；請把詞條檔放進真正的資料夾", "a linked folder in entries/ is not read: put the entry files in a real folder"),
    "link-loop": ("這是循環的連結，無法讀取", "this is a link that loops back on itself and cannot be read"),
    "styles-missing": ("書稿有自己的 styles/ 資料夾，其中卻沒有 {name}；此時不會改用 kwbook 內建的樣式，請從 kwbook 的 styles/ 複製此檔", "the manuscript has its own styles/ folder but no {name} in it: kwbook’s built-in styles are then not used, so copy the file from kwbook’s styles/"),
    "resource-remote": ("圖片「{url}」不在書稿資料夾內（網址或 file: 連結）；不會讀取，PDF、EPUB、DOCX 都不收錄", "the image “{url}” is a URL, not a file in the manuscript folder: it is not fetched and cannot appear in the PDF, EPUB or DOCX"),
    "entry-suffix": ("{name} 不是 .md 檔，不會收入書中；詞條檔請用小寫副檔名 .md", "{name} is not named *.md and is not read into the book: name an entry file with the lower-case suffix .md"),
    "style-resource": ("樣式表引用的「{url}」不是書稿資料夾內的檔案（或不存在）；建置 PDF 時會被拒絕讀取", "the stylesheet refers to “{url}”, which is no file in the manuscript folder (or does not exist): the PDF build would refuse to read it"),
    "link-local": ("連結「{url}」指向本機檔案；讀者手上沒有這個檔案，書中的連結只能是網址（https:、mailto: 等）或書內位置（#…）", "the link “{url}” leads to a local file, which no reader has: a link in the book must be a URL (https:, mailto: …) or a place in the text (#…)"),
    "resource-outside": ("圖片「{url}」在書稿資料夾之外，拒絕讀取", "the image “{url}” lies outside the manuscript folder and is not read"),
    "resource-unsupported": ("詞條與前置文字不支援圖片「{url}」（PDF、EPUB、DOCX 無法一致收錄）；請刪除，或改以文字說明", "images are not supported in entries and front matter (“{url}”: the PDF, EPUB and DOCX could not all carry it); remove it or describe it in words"),
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
    "traditional-char": ("簡體書稿中「{char}」應為「{simp}」{how}", "a zh-Hans book wants “{simp}” for “{char}”{how}"),
    "traditional-char/fixable": ("（繁體字；kwbook fix 可自動改正）", " (a Traditional form; kwbook fix corrects it)"),
    "lint-allow-type": ("「lint.allow」必須是字或詞的清單", "“lint.allow” must be a list of characters or words"),
    # command line
    "ui.summary": ("共 {errors} 個錯誤、{warnings} 個警告。", "{errors} errors, {warnings} warnings."),
    "ui.error": ("kwbook: 錯誤：{message}", "kwbook: error: {message}"),
    "ui.interrupted": ("kwbook: 已中斷；dist/ 中原有的檔案保持不變。", "kwbook: interrupted; files already in dist/ are unchanged."),
    "ui.os-error": ("無法使用 {path}：{reason}", "cannot use {path}: {reason}"),
    "ui.os-error/no-path": ("檔案操作失敗：{reason}", "a file operation failed: {reason}"),
    "ui.os-reason/exists": ("已有同名的檔案，不是資料夾", "a file of that name exists where a folder is needed"),
    "ui.os-reason/not-dir": ("路徑中有一段不是資料夾", "a part of the path is not a folder"),
    "ui.os-reason/denied": ("沒有權限", "permission denied"),
    "ui.os-reason/too-long": ("檔名太長", "the file name is too long"),
    "ui.os-reason/no-space": ("磁碟空間不足", "no space left on the device"),
    "ui.os-reason/read-only": ("檔案系統是唯讀的", "the file system is read-only"),
    "ui.os-reason/is-dir": ("這是資料夾，不是檔案", "it is a folder, not a file"),
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
    "ui.fix-outside": ("{path} 指向書稿資料夾之外（{target}），不會讀取或改寫", "{path} leads outside the manuscript folder (to {target}) and is neither read nor rewritten"),
    "ui.new-category": ("分類「{category}」不在 book.yaml 中；可用的分類：{choices}", "the category “{category}” is not in book.yaml; categories: {choices}"),
    "ui.new-exists": ("{path} 已存在，不會覆寫", "{path} exists and is not overwritten"),
    "ui.new-duplicate": ("關鍵詞「{keyword}」已見於 {path}", "the keyword “{keyword}” is already used in {path}"),
    "ui.new-keyword": ("關鍵詞不可為空，也不可含換行或定位字元", "the keyword must be non-empty and on one line, without a tab"),
    "ui.new-done": ("已建立 {path}", "created {path}"),
    "ui.import-done": ("已匯入 {source} → {entry}（報告：{report}）", "imported {source} → {entry} (report: {report})"),
    "ui.import-unassigned": ("  {count} 段文字尚未歸入章節，見 kwbook check 的 unassigned-content", "  {count} paragraphs are not assigned to a section: see unassigned-content in kwbook check"),
    "ui.import-failed": ("無法匯入 {source}：{reason}", "cannot import {source}: {reason}"),
    "ui.import-exists": ("{path} 已存在，不會覆寫", "{path} exists and is not overwritten"),
    "ui.import-no-category": ("  未辨識出分類，詞條放在 {path}；請移到正確的分類資料夾", "  no category recognised; the entry is in {path}: move it to its category folder"),
    "ui.schema-done": ("已寫出 {path}", "wrote {path}"),
    "ui.no-pdf": ("kwbook: 找不到 PDF：{path}", "kwbook: no such PDF: {path}"),
    "ui.proof-done": ("已寫出 {count} 張校樣總覽到 {path}", "wrote {count} contact sheets to {path}"),
    "ui.verify-refused": ("書稿有錯誤，無法核對輸出檔。", "the manuscript has errors: the outputs cannot be checked."),
    "sample.unusable": ("範例書稿 {path} 無法讀取或有錯誤，不能產生合成書稿；第一個錯誤：{first}", "the shipped sample {path} cannot be read or has errors: no synthetic book can be made; the first error: {first}"),
    # build errors (BuildError): what stops a build while writing
    "ui.proof-entry-done": ("已寫出 {path}（{pages} 頁，第 {first}–{last} 頁）", "wrote {path} ({pages} pages, pages {first}–{last})"),
    "ui.proof-entry-no-edition": ("書稿沒有可建置的版本「{slug}」（有錯誤的版本不算，錯誤見上；可用：{slugs}）", "the manuscript has no edition “{slug}” that builds (an edition with errors does not, see above; editions: {slugs})"),
    "ui.proof-entry-unknown": ("書中沒有詞條「{keyword}」（可用關鍵詞、錨點或檔名）", "the book has no entry “{keyword}” (give its keyword, anchor or file name)"),
    "ui.watch-start": ("監看 {path}（{count} 個檔案）；存檔即重建，Ctrl-C 結束", "watching {path} ({count} files): each save rebuilds, Ctrl-C stops"),
    "ui.watch-built": ("{time} {changed}：重建 {seconds:.1f} 秒，{pages} 頁，{errors} 個錯誤、{warnings} 個警告{proof}", "{time} {changed}: rebuilt in {seconds:.1f} s, {pages} pages, {errors} errors, {warnings} warnings{proof}"),
    "ui.watch-proof": ("；校樣 {path}（{seconds:.1f} 秒）", "; proof {path} ({seconds:.1f} s)"),
    "ui.watch-refused": ("{time} {changed}：{errors} 個錯誤、{warnings} 個警告，未重建；dist/ 保留上次的成品", "{time} {changed}: {errors} errors, {warnings} warnings, not rebuilt; dist/ keeps the last good outputs"),
    "ui.watch-failed": ("{time} {changed}：建置失敗，dist/ 保留上次的成品：{message}", "{time} {changed}: the build failed, dist/ keeps the last good outputs: {message}"),
    "ui.watch-more": ("{first} 等另 {more} 個檔案", "{first} and {more} more"),
    "ui.watch-start-build": ("首次建置", "first build"),
    "ui.watch-stopped": ("已停止監看；dist/ 中的檔案保持最後一次成功建置的內容。", "stopped watching; dist/ holds the last good build."),
    "ui.parts-progress": ("排版分段 {done}/{total}，已排 {pages} 頁", "laying out parts {done}/{total}, {pages} pages so far"),
    "build.refused": ("拒絕讀取書稿與樣式資料夾以外的資源：{url}", "refused to read a resource outside the manuscript and styles folders: {url}"),
    "build.cover-font": ("找不到封面字型 {face} {style}（請安裝 fonts-noto-cjk）", "the cover font {face} {style} is not installed (install fonts-noto-cjk)"),
    "build.spine-pdf": ("無法讀取內文 PDF 以計算書脊寬度：{pdf}（{reason}）", "cannot read the interior PDF to work out the spine width: {pdf} ({reason})"),
    "build.epub-font": ("找不到要內嵌的字型 {family}（請安裝 fonts-noto-cjk）", "the font to embed, {family}, is not installed (install fonts-noto-cjk)"),
    "build.epub-css": ("找不到 EPUB 樣式表：{path}", "EPUB stylesheet not found: {path}"),
    "build.epub-write": ("無法寫入 EPUB「{target}」：{reason}", "cannot write the EPUB “{target}”: {reason}"),
    "build.pandoc-missing": ("找不到 pypandoc-binary 內附的 pandoc：{path}", "the pandoc bundled with pypandoc-binary is missing: {path}"),
    "build.pandoc-failed": ("pandoc 產生 DOCX 失敗：{reason}", "pandoc failed to make the DOCX: {reason}"),
    "build.pandoc-output": ("pandoc 產生的 DOCX 無法解讀：{reason}", "the DOCX pandoc made cannot be read: {reason}"),
    "build.docx-styles-missing": ("找不到 DOCX 樣式設定檔：{path}", "DOCX style settings not found: {path}"),
    "build.docx-styles-unreadable": ("無法讀取 DOCX 樣式設定檔 {path}：{reason}", "cannot read the DOCX style settings {path}: {reason}"),
    "build.docx-styles-format": ("DOCX 樣式設定檔格式不正確（缺少 styles）：{path}", "the DOCX style settings are malformed (no styles): {path}"),
    "build.docx-quote-style": ("DOCX 樣式設定檔的 quote_style 必須指向 styles 下有 name 的樣式：{path}", "quote_style in the DOCX style settings must name a style under styles that has a name: {path}"),
    "build.docx-font-role": ("DOCX 樣式設定檔沒有定義字型角色「{role}」", "the DOCX style settings define no font role “{role}”"),
    "build.docx-styles-value": ("DOCX 樣式設定檔的數值不正確：{reason}", "a value in the DOCX style settings is wrong: {reason}"),
    "build.reference-docx": ("無法從 pandoc 取得預設的 reference.docx：{reason}", "cannot get the default reference.docx from pandoc: {reason}"),
    "build.reference-docx-bad": ("pandoc 的預設 reference.docx 無法解讀：{reason}", "pandoc's default reference.docx cannot be read: {reason}"),
    "build.no-pdftoppm": ("找不到 pdftoppm（請安裝 poppler-utils）", "pdftoppm not found (install poppler-utils)"),
    "build.pdftoppm-failed": ("pdftoppm 無法轉換 {pdf}：{reason}", "pdftoppm cannot convert {pdf}: {reason}"),
    "build.ace-missing": ("找不到 Ace by DAISY（{path}）；請執行 bash scripts/setup.sh --test 安裝", "Ace by DAISY not found ({path}): run bash scripts/setup.sh --test to install it"),
    "build.ace-chromium": ("找不到 chromium，Ace 需要它（請安裝 Debian 套件 chromium）", "chromium not found; Ace needs it (install the Debian package chromium)"),
    "build.ace-no-epub": ("找不到 EPUB：{path}（請先建置：kwbook build --format epub）", "no such EPUB: {path} (build it first: kwbook build --format epub)"),
    "build.ace-failed": ("Ace 無法檢查 {epub}：{reason}", "Ace could not check {epub}: {reason}"),
    "build.ace-report": ("無法讀取 Ace 的報告 {path}：{reason}", "cannot read Ace's report {path}: {reason}"),
    # kwbook a11y / doit a11y: Ace by DAISY's verdict (Ace's own rule descriptions stay in English)
    "a11y.pass": ("Ace {version}：{epub} 無障礙檢查通過，沒有違規（報告：{report}）", "Ace {version}: {epub} passes, no violations (report: {report})"),
    "a11y.fail": ("Ace {version}：{epub} 有 {count} 項無障礙違規（報告：{report}）", "Ace {version}: {epub} has {count} accessibility violations (report: {report})"),
    "a11y.violation": ("  {document}：{impact} [{rule}] {description}（元素：{element}）", "  {document}: {impact} [{rule}] {description} (element: {element})"),
    "a11y.violation/package": ("  {document}：{impact} [{rule}] {description}", "  {document}: {impact} [{rule}] {description}"),
    "a11y.metadata-missing": ("  套件文件缺少無障礙中繼資料：{names}", "  the package document lacks accessibility metadata: {names}"),
    "a11y.impact/critical": ("重大", "critical"),
    "a11y.impact/serious": ("嚴重", "serious"),
    "a11y.impact/moderate": ("中等", "moderate"),
    "a11y.impact/minor": ("輕微", "minor"),
    # kwbook preflight (the code of a finding is its id without "preflight." and "/variant")
    "preflight.unreadable": ("無法讀取 PDF：{reason}", "cannot read the PDF: {reason}"),
    "preflight.boxes-missing": ("第 {page} 頁沒有 TrimBox 或 BleedBox：不是印刷用 PDF", "page {page} has no TrimBox or BleedBox: not a PDF for print"),
    "preflight.trimbox": ("第 {page} 頁 TrimBox {width:.1f}×{height:.1f} mm，應為成品尺寸 {trim_width:g}×{trim_height:g} mm", "page {page}: TrimBox {width:.1f}×{height:.1f} mm, should be the trim size {trim_width:g}×{trim_height:g} mm"),
    "preflight.bleedbox": ("第 {page} 頁 BleedBox {width:.1f}×{height:.1f} mm，應比 TrimBox 每邊大 {bleed:g} mm", "page {page}: BleedBox {width:.1f}×{height:.1f} mm, should be {bleed:g} mm larger than the TrimBox on every side"),
    "preflight.boxes": ("每頁都有 TrimBox 與 BleedBox", "every page has a TrimBox and a BleedBox"),
    "preflight.boxes/sized": ("TrimBox {width:g}×{height:g} mm，BleedBox 每邊出血 {bleed:g} mm", "TrimBox {width:g}×{height:g} mm, BleedBox with {bleed:g} mm bleed on every side"),
    "preflight.output-intent": ("PDF/X 輸出意圖為 CMYK（{name}）", "the PDF/X output intent is CMYK ({name})"),
    "preflight.output-intent/none": ("沒有輸出意圖（OutputIntent）：不是 PDF/X 印刷檔", "no output intent (OutputIntent): not a PDF/X file for print"),
    "preflight.output-intent/not-cmyk": ("輸出意圖不是 CMYK 的 PDF/X 描述檔", "the output intent is not a CMYK PDF/X profile"),
    "preflight.font-not-embedded": ("字型未內嵌：{fonts}", "fonts not embedded: {fonts}"),
    "preflight.fonts": ("{count} 個字型全部內嵌", "all {count} fonts are embedded"),
    "preflight.rgb-colour": ("印刷檔中有 {count} 處 RGB 顏色或影像；應全部為 CMYK", "{count} RGB colours or images in the print file; all should be CMYK"),
    "preflight.colour": ("沒有 RGB 顏色", "no RGB colour"),
    "preflight.image-resolution": ("{count} 張影像，有效解析度至少 {lowest:.0f} dpi", "{count} images, effective resolution at least {lowest:.0f} dpi"),
    "preflight.image-resolution/low": ("{count} 張影像的有效解析度低於 {min_dpi} dpi（最低 {lowest:.0f} dpi）", "{count} images below {min_dpi} dpi effective resolution (lowest {lowest:.0f} dpi)"),
    "preflight.image-resolution/none": ("沒有點陣影像", "no raster images"),
    "preflight.signature": ("共 {count} 頁，不是每台 {signature} 頁的倍數（還差 {extra} 頁）", "{count} pages, not a multiple of {signature} pages a signature ({extra} pages short)"),
    "preflight.pages": ("共 {count} 頁，{signatures} 台", "{count} pages, {signatures} signatures"),
    "preflight.pdfx-version": ("XMP 中沒有 pdfxid:GTS_PDFXVersion：不是 PDF/X 檔", "no pdfxid:GTS_PDFXVersion in the XMP: not a PDF/X file"),
    "preflight.pdfx-version/found": ("XMP 標明 {version}", "the XMP declares {version}"),
    "preflight.print-condition": ("印刷條件 {condition}，色彩描述檔「{description}」相符", "printing condition {condition}, the profile “{description}” matches"),
    "preflight.print-condition/unknown": ("OutputConditionIdentifier「{condition}」不是登記的印刷條件（{known}）", "OutputConditionIdentifier “{condition}” is not a registered printing condition ({known})"),
    "preflight.print-condition/profile": ("輸出意圖的色彩描述檔「{description}」不是印刷條件 {condition} 的描述檔", "the output intent's profile “{description}” is not a profile for the printing condition {condition}"),
    "preflight.print-condition/config": ("印刷條件為 {condition}，book.yaml 的 print.condition 要求 {wanted}", "the printing condition is {condition}, book.yaml's print.condition asks for {wanted}"),
    "preflight.box-nesting": ("每頁 TrimBox ⊂ BleedBox ⊂ MediaBox", "TrimBox ⊂ BleedBox ⊂ MediaBox on every page"),
    "preflight.box-nesting/trim": ("第 {page} 頁 TrimBox 超出 BleedBox", "page {page}: the TrimBox extends beyond the BleedBox"),
    "preflight.box-nesting/bleed": ("第 {page} 頁 BleedBox 超出 MediaBox", "page {page}: the BleedBox extends beyond the MediaBox"),
    "preflight.encrypted": ("PDF 已加密：印刷廠無法處理", "the PDF is encrypted: a print shop cannot process it"),
    "preflight.encrypted/none": ("沒有加密", "not encrypted"),
    "preflight.document-id": ("有文件識別碼 /ID", "the document has an /ID"),
    "preflight.document-id/missing": ("沒有文件識別碼 /ID（PDF/X 必備）", "no document /ID (PDF/X requires one)"),
    "preflight.trapped": ("已標明補漏白（Trapped: {value}）", "trapping is declared (Trapped: {value})"),
    "preflight.trapped/unset": ("未標明補漏白：Info 的 /Trapped 為 {info}，XMP 的 pdf:Trapped 為 {xmp}，應同為 True 或 False", "trapping not declared: Info /Trapped is {info}, XMP pdf:Trapped is {xmp}; both must be True or False"),
    "preflight.qpdf": ("qpdf --check 回報問題：{reason}", "qpdf --check reports a problem: {reason}"),
    "preflight.qpdf/clean": ("qpdf --check 沒有問題", "qpdf --check is clean"),
    "preflight.ghostscript": ("Ghostscript 算圖出錯：{reason}", "Ghostscript fails to render: {reason}"),
    "preflight.ghostscript/clean": ("Ghostscript 算出全部 {pages} 頁，沒有錯誤", "Ghostscript renders all {pages} pages without an error"),
    "preflight.tool-missing": ("找不到 {tool}，無法完成檢查（請執行 scripts/setup.sh）", "{tool} is not installed, the check cannot run (run scripts/setup.sh)"),
    # kwbook verify: one verdict per output, and the first difference found
    "verify.ok": ("{name}（{path}）與書稿一致：{entries} 條詞條、{sections} 節", "{name} ({path}) matches the manuscript: {entries} entries, {sections} sections"),
    "verify.differs": ("{name}（{path}）與書稿不符：{difference}", "{name} ({path}) differs from the manuscript: {difference}"),
    "verify.unchecked": ("{name}（{path}）無法核對：{problem}", "{name} ({path}) cannot be checked: {problem}"),
    "verify.not-built": ("找不到檔案，請先建置（kwbook build）", "file not found: build it first (kwbook build)"),
    "verify.pdf-unreadable": ("無法開啟 PDF：{reason}", "cannot open the PDF: {reason}"),
    "verify.pdf-outline": ("PDF 的書籤（大綱）中找不到任何分類，無法確定正文的範圍", "no category in the PDF's bookmarks (outline): the body of the book cannot be found"),
    "verify.pdf-no-entry": ("第 {page} 頁：分類頁之後的第一頁沒有詞條書籤", "page {page}: the first page after a category page has no entry bookmark"),
    "verify.epub-unreadable": ("無法讀取 EPUB：{reason}", "cannot read the EPUB: {reason}"),
    "verify.epub-no-opf": ("META-INF/container.xml 沒有指出套件文件（OPF）", "META-INF/container.xml names no package document (OPF)"),
    "verify.docx-unreadable": ("無法讀取 DOCX：{reason}", "cannot read the DOCX: {reason}"),
    "verify.where-page": ("第 {page} 頁", "page {page}"),
    "verify.where-docx": ("document.xml 第 {n} 段", "document.xml paragraph {n}"),
    "verify.place": ("詞條「{keyword}」", "entry “{keyword}”"),
    "verify.place/section": ("詞條「{keyword}」〈{section}〉", "entry “{keyword}”, {section}"),
    "verify.difference": ("{place}：{message}", "{place}: {message}"),
    "verify.difference/where": ("{place}：{message}（{where}）", "{place}: {message} ({where})"),
    "verify.quote": ("引文", "quote"),
    "verify.see-also": ("參見", "see also"),
    "verify.none": ("（無）", "(none)"),
    "verify.snippet": ("「{text}」", "“{text}”"),
    "verify.text-missing": ("文字起缺少文字：書稿有{want}，輸出到此為止", "text missing: the manuscript has {want}, the output ends here"),
    "verify.text-missing/paragraph": ("第 {paragraph} 段起缺少文字：書稿有{want}，輸出到此為止", "text missing from paragraph {paragraph}: the manuscript has {want}, the output ends here"),
    "verify.text-extra": ("文字之後多出文字{got}", "extra text at the end: {got}"),
    "verify.text-extra/paragraph": ("第 {paragraph} 段之後多出文字{got}", "extra text after paragraph {paragraph}: {got}"),
    "verify.text-differs": ("第 {char} 字起不同：書稿{want}，輸出{got}", "different from character {char}: manuscript {want}, output {got}"),
    "verify.text-differs/paragraph": ("第 {paragraph} 段第 {char} 字起不同：書稿{want}，輸出{got}", "paragraph {paragraph} differs from character {char}: manuscript {want}, output {got}"),
    "verify.category": ("應屬「{want}」，輸出中在「{got}」之下", "belongs to “{want}”, the output has it under “{got}”"),
    "verify.section-missing": ("輸出中缺少這一節", "this section is missing from the output"),
    "verify.section-extra": ("輸出中多出這一節", "this section is extra in the output"),
    "verify.section-order": ("第 {n} 節應為「{want}」，輸出中是「{got}」", "section {n} should be “{want}”, the output has “{got}”"),
    "verify.note": ("註 {n}", "note {n}"),
    "verify.note-missing": ("輸出中缺少註 {n}（書稿有 {want} 條註，輸出有 {got} 條）", "note {n} is missing from the output (the manuscript has {want} notes, the output {got})"),
    "verify.note-extra": ("輸出中多出註腳（書稿有 {want} 條註，輸出有 {got} 條）", "extra notes in the output (the manuscript has {want}, the output {got})"),
    "verify.see-also-differs": ("應為{want}，輸出中是{got}", "should be {want}, the output has {got}"),
    "verify.entry-missing": ("輸出中缺少這一條（書稿 {expected} 條，輸出 {found} 條）", "this entry is missing from the output ({expected} entries in the manuscript, {found} in the output)"),
    "verify.entry-missing/more": ("輸出中缺少這一條及其後 {rest} 條（書稿 {expected} 條，輸出 {found} 條）", "this entry and the {rest} after it are missing from the output ({expected} entries in the manuscript, {found} in the output)"),
    "verify.entry-extra": ("輸出中多出詞條（書稿 {expected} 條，輸出 {found} 條）", "extra entries in the output ({expected} entries in the manuscript, {found} in the output)"),
    "verify.position": ("第 {n} 條應為「{want}」，輸出中是「{got}」", "entry {n} should be “{want}”, the output has “{got}”"),
    "verify.order/repeated": ("{position}：「{got}」重複出現", "{position}: “{got}” appears twice"),
    "verify.order/missing": ("{position}：輸出中缺少「{want}」", "{position}: “{want}” is missing from the output"),
    "verify.order/unknown": ("{position}：「{got}」不是書稿中的詞條", "{position}: “{got}” is not an entry of the manuscript"),
    "verify.order/moved": ("{position}：詞條順序不同", "{position}: the entries are in a different order"),
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
    "report.quote-none": ("引文：未找到「《…報告》指出：『…』」，quote 留空", "quote: no “《…報告》指出：「…」” found, quote left empty"),
    "report.placed": ("放入詞條的段落：{placed}（其中未歸類 {unassigned}）", "paragraphs placed in the entry: {placed} ({unassigned} unassigned)"),
    "report.kept": ("未放入詞條的文字（原文照錄；行號為原檔行號）：", "text not placed in the entry (verbatim; line numbers of the source):"),
    "report.converted": ("來源是另一種文字（{source}），詞條已轉為 {target}（OpenCC {config}）；一對多的字決定 {count} 處：", "the source is in the other script ({source}); the entry is converted to {target} (OpenCC {config}); {count} one-to-many decisions:"),
    "report.original": ("來源原文（轉換前，逐行照錄）：", "the source as it was (before conversion, line by line):"),
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
    # conversion between editions (kwbook convert, dist/<slug>-conversion.txt)
    "convert.report-title": ("kwbook 轉換報告：{source}（{source_lang}）→ {slug}（{target_lang}），OpenCC {config} {version}", "kwbook conversion report: {source} ({source_lang}) → {slug} ({target_lang}), OpenCC {config} {version}"),
    "convert.report-count": ("一對多的字共決定 {count} 處。", "{count} places where a character with several forms was decided."),
    "convert.report-names": ("轉換後的檔名（{count} 個；原檔名 → 新檔名　其中決定的字）：", "Converted file names ({count}; original → new  characters decided in the name):"),
    "convert.name-decision": ("{source} → {chosen}（{rule}）", "{source} → {chosen} ({rule})"),
    "convert.report-summary": ("各字的選擇（次數）：", "Forms chosen per character (count):"),
    "convert.report-places": ("逐處（檔案:行:欄　原字 → 選用　依據　上下文）：", "Each place (file:line:col  source → chosen  rule  context):"),
    "convert.rule-kwbook": ("kwbook 詞表 {phrase}", "kwbook phrase {phrase}"),
    "convert.rule-book": ("書稿詞表 {phrase}", "book.yaml phrase {phrase}"),
    "convert.rule-opencc-phrase": ("OpenCC 依上下文（詞）", "OpenCC by context (phrase)"),
    "convert.rule-quote": ("引號樣式", "quotation mark style"),
    "convert.rule-opencc-char": ("OpenCC 單字預設", "OpenCC character default"),
    "ui.convert-wrote": ("已寫出 {path}（{count} 處決定）", "wrote {path} ({count} decisions)"),
    "ui.convert-no-editions": ("book.yaml 沒有宣告其他版本（editions），也沒有指定 --to", "book.yaml declares no other editions (editions) and no --to was given"),
    "ui.convert-same-script": ("--to {target} 與書稿的文字相同", "--to {target} is in the manuscript's own script"),
    "ui.convert-exists": ("{path} 已存在且不是空資料夾，不會覆寫", "{path} exists and is not an empty folder; not overwritten"),
    # command-line help (helptext.py)
    "help.usage": ("用法：", "usage:"),
    "help.positionals": ("位置參數", "positional arguments"),
    "help.options": ("選項", "options"),
    "help.help": ("顯示這段說明後結束", "show this help message and exit"),
    "help.error": ("{prog}：錯誤：{message}", "{prog}: error: {message}"),
    "help.kwbook": ("關鍵詞解讀書稿：檢查並建置 PDF、EPUB、DOCX", "keyword-interpretation manuscripts: check them and build PDF, EPUB, DOCX"),
    "help.lang": ("訊息語言：zh（繁體中文）、zh-Hans（簡體中文）或 en；預設依書稿的 language，再依系統語系；可放在任何子命令之後", "language of the messages: zh (Traditional Chinese), zh-Hans (Simplified Chinese) or en; by default the manuscript’s language, then the locale; may follow any subcommand"),
    "help.manuscript": ("書稿資料夾（預設：manuscript）", "the manuscript folder (default: manuscript)"),
    "help.check": ("檢查書稿，列出所有錯誤與警告", "check the manuscript and list every error and warning"),
    "help.build": ("建置書籍", "build the book"),
    "help.format": ("要建置的格式（預設：all）", "the format to build (default: all)"),
    "help.build-format": ("要建置的格式（預設：all）；可重複，例如 --format pdf --format print：兩種 PDF 由同一次排版寫出",
                          "the format to build (default: all); may be repeated, e.g. --format pdf --format print: both PDFs from one layout"),
    "help.dist": ("輸出資料夾（預設：dist）", "the output folder (default: dist)"),
    "help.proof-entry": ("一條詞條的校樣 PDF：dist/proof/<關鍵詞>.pdf，頁碼、書眉、左右頁與全書相同（依上次分段建置的頁碼）", "one entry's proof PDF: dist/proof/<keyword>.pdf, with the book's folios, running heads and page sides (from the last part-wise build)"),
    "help.proof-edition": ("轉換版本的校樣（book.yaml editions 的 slug）：dist/proof/<slug>/<關鍵詞>.pdf，關鍵詞用哪個版本的寫法都可以", "a converted edition's proof (a slug from book.yaml's editions): dist/proof/<slug>/<keyword>.pdf; the keyword may be written as in either edition"),
    "help.keyword": ("詞條的關鍵詞（或錨點、檔名）", "the entry's keyword (or anchor, or file name)"),
    "help.watch": ("監看書稿：每次存檔就檢查並重建改動的部分（各版本），先寫詞條校樣，再寫全部成品；Ctrl-C 結束", "watch the manuscript: on each save check and rebuild what changed (every edition), the entry's proof first, then all outputs; Ctrl-C stops"),
    "help.single": ("整本書一次排版（不分段、不用快取；分段結果的對照基準）", "lay out the whole book at once (no parts, no cache; the reference for the parts)"),
    "help.preflight": ("印前檢查：出血、輸出意圖、字型內嵌、CMYK、影像解析度、頁數", "prepress check: bleed, output intent, embedded fonts, CMYK, image resolution, page count"),
    "help.pdf": ("要檢查的 PDF", "the PDF to check"),
    "help.verify": ("核對建置出的 PDF、EPUB、DOCX 是否與書稿一字不差", "check that the built PDF, EPUB and DOCX carry the manuscript word for word"),
    "help.convert": ("簡繁轉換：列出各版本的轉換報告（--report），或寫出另一種文字的書稿（--to）", "script conversion: print each edition’s conversion report (--report), or write the manuscript in the other script (--to)"),
    "help.report": ("印出 book.yaml 各版本（editions）的轉換報告", "print the conversion report of each edition in book.yaml (editions)"),
    "help.edition": ("只看這個版本（slug）", "only this edition (slug)"),
    "help.to": ("轉成這種文字的新書稿", "write a new manuscript in this language’s script"),
    "help.slug": ("新書稿的 slug（預設：原 slug 加 -hans 或 -tw）", "the new manuscript’s slug (default: the slug plus -hans or -tw)"),
    "help.convert-out": ("新書稿的資料夾（須不存在或是空的）", "the new manuscript’s folder (must not exist, or be empty)"),
    "help.a11y": ("以 Ace by DAISY 檢查 EPUB 的無障礙性，報告寫到 <slug>-ace/", "check the EPUB’s accessibility with Ace by DAISY; reports go to <slug>-ace/"),
    "help.a11y-target": ("書稿資料夾（檢查各版本的 EPUB）或一個 .epub 檔", "a manuscript folder (each edition’s EPUB is checked) or one .epub file"),
    "help.sample": ("產生合成的範例書稿", "write a synthetic sample manuscript"),
    "help.entries": ("詞條數", "number of entries"),
    "help.seed": ("亂數種子（預設：0）", "random seed (default: 0)"),
    "help.sample-out": ("範例書稿的資料夾", "the sample manuscript’s folder"),
    "help.lint": ("編輯檢查：半形標點、簡化字、括號、網頁殘留、HTML 實體、重複標點", "editorial check: half-width punctuation, characters of the other script, brackets, web residue, HTML entities, doubled punctuation"),
    "help.fix": ("自動修正可安全修正的編輯問題（預設只顯示差異）", "fix the editorial problems that can be fixed safely (by default only show the diff)"),
    "help.fix-paths": ("書稿資料夾或檔案", "manuscript folders or files"),
    "help.diff": ("只顯示將做的修改（預設）", "only show the changes (default)"),
    "help.write": ("寫入檔案（原檔備份於 .kwbook-backup/）", "write the files (originals backed up in .kwbook-backup/)"),
    "help.force": ("即使檔案有尚未提交的 git 修改也寫入", "write even when a file has uncommitted git changes"),
    "help.status": ("進度：各分類的詞條數、有問題的詞條、各章節字數", "progress: entries per category, entries with problems, characters per section"),
    "help.json": ("以 JSON 輸出", "print JSON"),
    "help.new": ("新增空白詞條", "add an empty entry"),
    "help.category": ("分類名稱（如 脫貧類）或資料夾", "the category’s name (e.g. 脫貧類) or folder"),
    "help.new-rest": ("關鍵詞，其後可接書稿資料夾", "the keyword, optionally followed by the manuscript folder"),
    "help.import": ("把原始文字（網頁複製、DOCX）轉成詞條草稿與匯入報告", "turn raw text (copied from the web, DOCX) into draft entries and an import report"),
    "help.import-files": ("原始文字檔（.txt、.md、.docx）", "raw text files (.txt, .md, .docx)"),
    "help.import-out": ("詞條資料夾（預設：書稿的 entries/）", "the entries folder (default: the manuscript’s entries/)"),
    "help.import-category": ("分類（原文沒有分類標記時使用）", "the category (when the raw text does not mark one)"),
    "help.schema": ("寫出 book.yaml 與詞條前置資料的 JSON Schema", "write the JSON Schema of book.yaml and of the entries’ front matter"),
    "help.schema-out": ("JSON Schema 的資料夾（預設：dist/schema）", "the folder for the JSON Schemas (default: dist/schema)"),
}

_lang = os.environ.get("KWBOOK_LANG", "zh") if os.environ.get("KWBOOK_LANG") in LANGS else "zh"
_chosen = os.environ.get("KWBOOK_LANG") in LANGS   # --lang or KWBOOK_LANG given: a book's language does not override it

# Terms tw2sp leaves in their Taiwan form, and what a mainland user reads instead.
SIMPLIFIED_TERMS = {"建置": "构建", "输出档": "输出文件", "设置档": "配置文件", "设定档": "配置文件", "预设": "默认",
                    "书稿设定": "书稿设置", "档案": "文件", "系统语系": "系统语言环境"}
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def simplified(template: str) -> str:
    """A Traditional Chinese catalog text in Simplified Chinese, as a mainland user expects it."""
    global _tw2sp
    if _tw2sp is None:
        import opencc

        _tw2sp = opencc.OpenCC("tw2sp")
    if template not in _simplified_cache:
        out = _tw2sp.convert(template).translate(_QUOTES)
        for term, mainland in SIMPLIFIED_TERMS.items():
            out = out.replace(term, mainland)
        _simplified_cache[template] = out
    return _simplified_cache[template]


_tw2sp = None
_simplified_cache: dict[str, str] = {}


def set_lang(lang: str) -> None:
    """Choose the language of every message from now on ("zh", "zh-Hans" or "en")."""
    global _lang, _chosen
    _lang = lang if lang in LANGS else "zh"
    _chosen = True


def follow_book(language: str) -> None:
    """Without --lang or KWBOOK_LANG, messages follow the book's language (zh-Hans), then the locale."""
    global _lang
    if _chosen:
        return
    from .lang import known, profile

    if known(language):
        _lang = "zh-Hans" if profile(language).simplified else "zh"
        return
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if locale.lower().startswith(("zh_cn", "zh_sg", "zh-hans", "zh_hans")):
        _lang = "zh-Hans"


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


@dataclass(frozen=True)
class Message:
    """A catalog message and its placeholders, rendered in the language current when it is shown.

    A placeholder value may itself be a Message (rendered in the same language).
    """

    msgid: str
    params: tuple = ()

    def render(self, lang: str | None = None) -> str:
        return render(self.msgid, lang, **dict(self.params))

    def __str__(self) -> str:
        return self.render()


def message(msgid: str, **params) -> Message:
    """The message msgid with its placeholders, to be rendered later (see Message)."""
    return Message(msgid, tuple(sorted(params.items())))


def render(msgid: str, lang: str | None = None, **params) -> str:
    """The message msgid in lang (default: the current language), its placeholders filled."""
    templates = CATALOG.get(msgid)
    if templates is None:
        return msgid
    lang = lang or _lang
    template = templates[1] if lang == "en" else simplified(templates[0]) if lang == "zh-Hans" else templates[0]
    plain = {k: v.render(lang) if isinstance(v, Message) else v for k, v in params.items() if not isinstance(v, Ref)}
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
