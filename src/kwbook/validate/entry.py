"""Rules for one entry file: front matter fields and the three sections."""

from __future__ import annotations

from ..diagnostics import Diagnostic, error, warning
from ..load.entry import Heading, ParsedSource

ENTRY_KEYS = {"keyword", "quote", "order", "see_also"}


def _check_meta(src: ParsedSource) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    path = src.path
    if not src.has_front_matter:
        return [error("frontmatter-missing", "缺少前置資料：檔案須以 --- 開頭，寫明 keyword 與 quote", path, 1)]
    if src.meta_error:
        return []  # the YAML error itself is already reported
    for key, label in (("keyword", "關鍵詞"), ("quote", "報告原文引文")):
        value = src.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            code = f"{key}-missing"
            out.append(error(code, f"缺少{label}「{key}」或其內容為空", path, src.meta_line(key) if key in src.meta else 1))
        elif not isinstance(value, str):
            out.append(error(f"{key}-type", f"{label}「{key}」必須是一段文字", path, src.meta_line(key)))
    for key in src.meta:
        if key not in ENTRY_KEYS:
            out.append(warning("unknown-key", f"未知的欄位「{key}」，將被忽略", path, src.meta_line(key)))
    order = src.meta.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        out.append(error("order-type", "「order」必須是整數", path, src.meta_line("order")))
    see = src.meta.get("see_also")
    if see is not None and not (isinstance(see, str) or (isinstance(see, list) and all(isinstance(s, str) for s in see))):
        out.append(error("see-also-type", "「see_also」必須是關鍵詞清單", path, src.meta_line("see_also")))
    return out


def _check_sections(src: ParsedSource, titles: tuple[str, ...]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    path = src.path
    first: dict[str, Heading] = {}
    expected = "、".join(titles)
    for h in src.headings:
        if h.level == 1:
            out.append(error("heading-level1", f"詞條內不可使用一級標題「# {h.title}」；關鍵詞寫在 keyword 欄位", path, h.line))
        elif h.level == 2 and h.title not in titles:
            out.append(error("heading-unknown", f"「{h.title}」不是本書的章節標題；二級標題只能是：{expected}", path, h.line))
        elif h.level > 2 and h.title in titles:
            out.append(error("section-level", f"章節「{h.title}」須用二級標題「## {h.title}」", path, h.line))
        elif h.level == 2 and h.title in first:
            out.append(error("section-duplicate", f"章節「{h.title}」重複出現（第一次在第 {first[h.title].line} 行）", path, h.line))
        elif h.level == 2:
            first[h.title] = h
    for block in src.blocks:
        if block.heading is None and block.text.strip():
            out.append(error("content-outside-section", f"這段文字不屬於任何章節；請放在 {expected} 之下", path, block.line))
        elif block.heading and block.heading.title in titles and block.heading.level == 2 and not block.text.strip():
            out.append(error("section-empty", f"章節「{block.heading.title}」沒有內容", path, block.heading.line))
    present = [t for t in titles if t in first]
    for i, title in enumerate(titles):
        if title not in first:
            later = [first[t].line for t in titles[i + 1:] if t in first]
            line = min(later) if later else src.last_line
            out.append(error("section-missing", f"缺少章節「{title}」（應為「## {title}」）", path, line))
    seen_order = sorted(present, key=lambda t: first[t].line)
    for pos, title in enumerate(seen_order):
        if present[pos] != title:
            want = present[pos]
            out.append(error("section-order", f"章節順序錯誤：「{title}」出現在「{want}」的位置；順序應為 {expected}", path, first[title].line))
            break
    return out


def check_entry(src: ParsedSource, titles: tuple[str, ...]) -> list[Diagnostic]:
    """Every problem of one entry taken alone."""
    return _check_meta(src) + _check_sections(src, titles)
