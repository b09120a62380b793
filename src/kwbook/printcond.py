"""Printing conditions of the ICC registry that book.yaml `print.condition` may name, and their profiles."""

from __future__ import annotations

import struct
from pathlib import Path

REGISTRY = "http://www.color.org"
DEFAULT_CONDITION = "CGATS TR 001"

# OutputConditionIdentifier (as registered at color.org) → what the matching CMYK profile's description says.
CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CGATS TR 001": ("SWOP (web offset, coated publication paper)", ("SWOP", "TR 001", "TR001")),
    "CGATS21_CRPC6": ("GRACoL (sheetfed offset, grade 1 coated)", ("GRACoL", "CRPC6", "CRPC 6")),
    "FOGRA39": ("ISO 12647-2:2004, coated paper (ISO Coated v2)", ("FOGRA39", "ISO Coated v2")),
    "FOGRA51": ("ISO 12647-2:2013, premium coated paper (PSO Coated v3)", ("FOGRA51", "PSO Coated v3")),
    "FOGRA52": ("ISO 12647-2:2013, wood-free uncoated paper (PSO Uncoated v3)", ("FOGRA52", "PSO Uncoated v3")),
    "JC200103": ("Japan Color 2001 Coated", ("Japan Color 2001 Coated", "JC200103")),
}


def profile_description(data: bytes) -> str:
    """The `desc` tag of an ICC profile (ICC v2 textDescription or v4 multiLocalizedUnicode), or ''."""
    try:
        count = struct.unpack(">I", data[128:132])[0]
        for i in range(count):
            sig, offset, size = struct.unpack(">4sII", data[132 + 12 * i:144 + 12 * i])
            if sig != b"desc":
                continue
            tag = data[offset:offset + size]
            if tag[:4] == b"desc":
                length = struct.unpack(">I", tag[8:12])[0]
                return tag[12:12 + length].split(b"\0")[0].decode("latin-1")
            if tag[:4] == b"mluc":
                rec_len, str_off = struct.unpack(">I", tag[20:24])[0], struct.unpack(">I", tag[24:28])[0]
                return tag[str_off:str_off + rec_len].decode("utf-16-be", "replace")
    except (struct.error, IndexError):
        return ""
    return ""


def is_cmyk_profile(data: bytes) -> bool:
    return data[16:20] == b"CMYK"


def profile_matches(condition: str, description: str) -> bool:
    """True when the profile's description names the printing condition (or one of its usual names)."""
    names = CONDITIONS.get(condition, ("", ()))[1]
    return any(name.lower() in description.lower() for name in names)


def read_profile(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""
