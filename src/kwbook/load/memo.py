"""Reading phase, reused: the last load_editions result of this process, while the manuscript's bytes are unchanged.

One `doit` runs check, pdf, epub, docx and each edition's tasks in one process, and each would load the whole
manuscript again. The result is kept (one manuscript, the last one) under a key of every file below the
manuscript folder (its path, its kind, a symlink's target, a file's SHA-256 of its bytes), the ICC profile the
book names (path, size, mtime: it may lie outside), the message language and kwbook's own modules (by
size and mtime), so any change to what the loader reads makes it load again. Books are frozen dataclasses; the
lists returned are copies, so a caller cannot change what the next one gets.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_last: tuple[str, list, list, list] | None = None


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stat(path: Path) -> str:
    try:
        st = Path(path).stat()
        return f"{path}\0{st.st_size}\0{st.st_mtime_ns}"
    except OSError:
        return f"{path}\0missing"


def manuscript_key(manuscript: Path) -> str:
    """A digest of everything below the manuscript folder (symlinks not followed), the language and kwbook's code."""
    from ..messages import current_lang

    root = Path(manuscript).resolve()
    digest = hashlib.sha256(f"{root}\0{current_lang()}\n".encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                line = f"L\0{rel}\0{os.readlink(path)}"
            elif os.path.isdir(path):
                line = f"D\0{rel}"
            else:
                try:
                    line = f"F\0{rel}\0{_file_digest(path)}"
                except OSError:
                    line = f"?\0{rel}"
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):  # a kwbook edited between two loads
        digest.update(_stat(path).encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def _outside(books: list) -> list[str]:
    """The stat of files the loaded books name outside the manuscript folder (the ICC profile)."""
    paths = sorted({str(b.config.print.icc_profile) for b in books if b.config and b.config.print.icc_profile})
    return [_stat(Path(p)) for p in paths]


def load_editions_reused(manuscript: Path) -> tuple[list, list]:
    """load_editions(manuscript), from this process's last load when nothing it reads has changed."""
    global _last
    from .editions import load_editions

    key = manuscript_key(manuscript)
    if _last is not None and _last[0] == key and _last[1] == _outside(_last[2]):
        return list(_last[2]), list(_last[3])
    books, diags = load_editions(Path(manuscript))
    # kept only when it has no error (an error may name a file outside the manuscript that gets fixed) and no
    # file moved while it was read (the key was taken before)
    ok = books and not any(d.severity == "error" for d in diags)
    _last = (key, _outside(books), list(books), list(diags)) if ok and manuscript_key(manuscript) == key else None
    return list(books), list(diags)


def forget() -> None:
    """Drop the kept load (tests; a long-running process that wants a fresh read)."""
    global _last
    _last = None
