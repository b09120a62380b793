"""Read a source file as text: UTF-8 with an optional BOM, any line ending, never raising."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, error


def read_source(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The normalised text of path (BOM dropped, CRLF/CR → LF), or None with the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error("file-unreadable", f"無法讀取檔案：{exc.strerror}", path)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error("encoding", f"檔案不是有效的 UTF-8 編碼（第 {exc.start} 位元組：0x{data[exc.start]:02x}）", path, line, col)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [error("empty-file", "檔案是空的", path)]
    return text, []
