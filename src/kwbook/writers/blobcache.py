"""Bytes kept under a folder between builds, each file named by its caller's key and checked when read.

A file holds a format tag, the SHA-256 of its body and the body: a missing, truncated or foreign file is a miss, so
a broken cache costs only time. Files are written atomically (two builds may share the folder) and only the newest
`limit` are kept. Used for the merge's joined font programs (writers/partfonts.py) and the EPUB's font subsets
(writers/epubfonts.py).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .output import atomic_output


class BlobCache:
    def __init__(self, root: Path | None, tag: bytes, limit: int = 48):
        self.root = Path(root) if root else None  # None: nothing is kept
        self.tag = tag
        self.limit = limit

    def get(self, key: str) -> bytes | None:
        if self.root is None:
            return None
        path = self.root / f"{key}.bin"
        try:
            data = path.read_bytes()
            head, body = data[:len(self.tag) + 32], data[len(self.tag) + 32:]
            if head != self.tag + hashlib.sha256(body).digest():
                return None
            os.utime(path)  # the newest are kept
            return body
        except OSError:
            return None

    def put(self, key: str, body: bytes) -> None:
        if self.root is None:
            return
        try:
            with atomic_output(self.root / f"{key}.bin") as tmp:
                tmp.write_bytes(self.tag + hashlib.sha256(body).digest() + body)
            files = sorted(self.root.glob("*.bin"), key=lambda p: p.stat().st_mtime)
            for old in files[:max(0, len(files) - self.limit)]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
