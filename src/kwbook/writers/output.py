"""Write outputs atomically: a temporary file beside the target, renamed into place only on success."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import BuildError
from ..tempfiles import part_file

__all__ = ["BuildError", "atomic_output", "map_path"]


@contextlib.contextmanager
def atomic_output(target: Path):
    """Yield a temporary path; on success it replaces target, on any failure it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = part_file(target)  # also removes the parts a killed build left in this folder
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def map_path(dist: Path, slug: str) -> Path:
    """dist/.<slug>.pages.json: the PDF's page map (writers/pagemap.py); here, so dodo.py names it without
    importing the renderer."""
    return Path(dist) / f".{slug}.pages.json"
