"""Read a contributor's raw file for `kwbook import`: plain text in any common encoding, or a DOCX."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ENCODINGS = ("utf-8", "gb18030", "big5")


class RawSourceError(Exception):
    """The file cannot be read as text or DOCX; the message id says why."""


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RawSourceError("import.undecodable")


def _docx_paragraphs(path: Path) -> list[str]:
    """The text of every w:p of word/document.xml, in document order (tables included)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, RuntimeError, ValueError):
        raise RawSourceError("import.docx-bad") from None
    out: list[str] = []
    for para in root.iter(f"{_W}p"):
        parts: list[str] = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        out.append("".join(parts))
    return out


def read_lines(path: Path) -> list[tuple[int, str]]:
    """(line or paragraph number, text) for every line of the file, blank ones included."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RawSourceError(exc.strerror or str(exc)) from None
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() == ".docx":
        lines: list[tuple[int, str]] = []
        for number, para in enumerate(_docx_paragraphs(path), 1):
            lines += [(number, part) for part in para.split("\n")]
    else:
        text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
        lines = list(enumerate(text.split("\n"), 1))
    if not any(text.strip() for _, text in lines):
        raise RawSourceError("import.empty")
    return lines
