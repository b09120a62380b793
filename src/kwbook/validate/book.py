"""Rules across the whole book: categories, unique keywords, cross references, front matter, coverage."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..load.config import Settings
from ..load.entry import ParsedSource


def _see_also(src: ParsedSource) -> list[str]:
    value = src.meta.get("see_also")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def check_book(settings: Settings, entries: list[tuple[str, ParsedSource]], root: Path) -> list[Diagnostic]:
    """entries are (category folder, parsed source) pairs in book order."""
    out: list[Diagnostic] = []
    declared = {c.folder for c in settings.categories}
    folders = ", ".join(c.folder for c in settings.categories)
    owners: dict[str, ParsedSource] = {}
    for folder, src in entries:
        if folder not in declared:
            where = f"資料夾「{folder}」" if folder else "entries/ 根目錄"
            out.append(error("category-unknown", f"{where}不是 book.yaml 宣告的分類；可用的分類資料夾：{folders}", src.path, 1))
        kw = src.meta.get("keyword")
        if isinstance(kw, str) and kw.strip():
            kw = kw.strip()
            if kw in owners:
                first = owners[kw]
                out.append(error("keyword-duplicate", f"關鍵詞「{kw}」重複，已見於 {first.path.relative_to(root) if first.path.is_relative_to(root) else first.path}", src.path, src.meta_line("keyword")))
            else:
                owners[kw] = src
    for _, src in entries:
        own = src.meta.get("keyword")
        for target in _see_also(src):
            if target == own:
                out.append(warning("see-also-self", f"「see_also」指向詞條自己：{target}", src.path, src.meta_line("see_also")))
            elif target not in owners:
                out.append(error("see-also-unknown", f"「see_also」中的關鍵詞「{target}」在書中不存在", src.path, src.meta_line("see_also")))
    for rel, line in settings.front:
        if not (root / rel).is_file():
            out.append(error("front-missing", f"front 所列的檔案不存在：{rel}", settings.path, line))
    planned = settings.config.planned_entries if settings.config else 0
    count = len(entries)
    line = settings.lines.get("planned_entries", 1)
    if planned and count < planned:
        out.append(warning("entries-missing", f"已有詞條 {count} 條，計劃 {planned} 條，尚缺 {planned - count} 條", settings.path, line))
    elif planned and count > planned:
        out.append(warning("entries-extra", f"已有詞條 {count} 條，超過計劃的 {planned} 條", settings.path, line))
    return out
