"""`kwbook convert --to LANG -o DIR`: a whole manuscript written out in the other script, with its report.

Every file of the manuscript (book.yaml, front matter, entries, and their file names) is converted — the report
lists each file name that changed and the one-to-many characters decided in it; book.yaml's
`language` and `slug` are set for the new manuscript and its `editions:` (if any) point back at the original.
Nothing is written over an existing non-empty folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..load import BOOK_FILE, source_files
from ..load.text import read_source
from . import Converter

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _book_yaml(text: str, language: str, slug: str, back: tuple[str, str] | None) -> str:
    """book.yaml text with the new language and slug; an editions block replaced by one edition pointing back."""
    out, skipping = [], False
    for line in text.split("\n"):
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip() or line.lstrip().startswith("#")):
            continue
        skipping = False
        if re.match(r"^language\s*:", line):
            line = f"language: {language}"
        elif re.match(r"^slug\s*:", line):
            line = f"slug: {slug}"
        elif re.match(r"^editions\s*:", line):
            skipping = True
            if back:
                out.append(f"editions:\n  - {{language: {back[0]}, slug: {back[1]}}}")
            continue
        out.append(line)
    return "\n".join(out)


def convert_manuscript(manuscript: Path, out: Path, target: str, slug: str, source_language: str,
                       source_slug: str, phrases: dict[str, str], has_editions: bool) -> Converter:
    """Write the converted manuscript to out (which must not exist or be empty); returns the converter and its log."""
    manuscript = Path(manuscript).resolve()
    converter = Converter(source_language, target, phrases)
    for path in source_files(manuscript):
        rel = path.relative_to(manuscript)
        text, _ = read_source(path)
        if text is None:
            continue
        if rel.as_posix() == BOOK_FILE:
            converted = _book_yaml(converter.convert_text(text, path), target, slug,
                                   (source_language, source_slug) if has_editions else None)
        else:
            converted = converter.convert_text(text, path)
        dest = out / converter.convert_path(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(converted + ("" if converted.endswith("\n") else "\n"), encoding="utf-8")
    return converter
