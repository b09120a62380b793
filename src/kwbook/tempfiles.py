"""Temporary files and folders, named with the process id so that the next run removes what a killed run left.

A build killed with SIGKILL cannot clean up after itself. Every temporary name kwbook makes carries
`kwbook-<pid>-`; before making a new one in a folder, kwbook removes those of processes that no longer run
(`sweep`). A live process's files are never touched, so concurrent builds into one dist/ stay safe.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

_TAG = re.compile(r"kwbook-(\d+)-")


def tag() -> str:
    """The marker this process puts in every temporary name."""
    return f"kwbook-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a number we cannot ask about: keep its files
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but is not reaped yet (a killed build's child whose parent died before it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat[stat.rfind(")") + 1:].split()[:1] == ["Z"]


def stale(name: str) -> bool:
    """Whether name is a kwbook temporary name whose process no longer runs."""
    m = _TAG.search(name)
    return bool(m) and not _alive(int(m.group(1)))


def sweep(folder: Path, hidden: bool = False) -> list[Path]:
    """Remove the stale kwbook temporaries directly in folder (hidden: only dot-names, as in dist/)."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if (name.startswith(".") if hidden else name.startswith("kwbook-")) and stale(name):
            path = Path(folder) / name
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def part_file(target: Path, owner: int | None = None) -> Path:
    """A new empty temporary file beside target (`.<name>.kwbook-<pid>-….part`), stale ones swept first.

    owner: the process named instead of this one (a forked child writing for its parent, writers/output.py).
    """
    sweep(target.parent, hidden=True)
    mark = f"kwbook-{owner}-" if owner is not None else tag()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{mark}", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(tmp)


@contextlib.contextmanager
def scratch_dir(kind: str, parent: Path | None = None):
    """A temporary folder (in TMPDIR unless parent is given) removed on exit; stale ones swept first."""
    base = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    sweep(base, hidden=parent is not None)
    prefix = ("." if parent is not None else "") + f"{tag()}{kind}-"
    with tempfile.TemporaryDirectory(prefix=prefix, dir=base) as tmp:
        yield Path(tmp)
