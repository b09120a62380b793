"""`kwbook new`: an empty entry with its front matter and the book's three section headings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_NUMBERED = re.compile(r"^(\d+)-")


def entry_filename(keyword: str) -> str:
    """A file name for the keyword: characters a file system refuses become _, never empty."""
    name = _UNSAFE.sub("_", keyword).strip(" .") or "entry"
    return f"{name}.md"


def next_filename(folder: Path, keyword: str) -> str:
    """<keyword>.md, or NNN-<keyword>.md after the last number when the folder's files are numbered."""
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBERED.match(p.name))] if folder.is_dir() else []
    if not numbers:
        return entry_filename(keyword)
    width = max(3, max(len(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBERED.match(p.name))))
    return f"{(max(numbers) // 10 + 1) * 10:0{width}d}-{entry_filename(keyword)}"


def existing_file(folder: Path, keyword: str) -> Path | None:
    """A file of the folder already named for the keyword (with or without a number in front)."""
    name = entry_filename(keyword)
    if not folder.is_dir():
        return None
    return next((p for p in sorted(folder.glob("*.md")) if _NUMBERED.sub("", p.name) == name), None)


def skeleton(keyword: str, titles: tuple[str, ...]) -> str:
    """The text of a new entry: keyword set, quote empty, the sections as empty headings."""
    meta = yaml.safe_dump({"keyword": keyword, "quote": ""}, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{meta}---\n" + "".join(f"## {title}\n\n" for title in titles).rstrip("\n") + "\n"
