"""Write outputs atomically: a temporary file beside the target, renamed into place only on success.

Within `together(targets)` (api.build_books: every format of every edition of one build) an output to one of
those targets is not renamed when its writer finishes: its temporary file is held, and all of them are renamed
into place only when the whole block succeeded. A build that fails or is interrupted (Ctrl-C, SIGTERM) leaves
every previous output in dist/ as it was and removes its temporary files. A forked child (writers/aside.py)
names its held files after the build's process, so that no sweep takes them for a dead process's, and hands
them to its parent with its result (`held_since`, `adopt`).
"""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..tempfiles import part_file

__all__ = ["BuildError", "adopt", "atomic_output", "held_since", "latest", "map_path", "together"]


@dataclass
class _Build:
    """The outputs of a build in progress: the process that renames them, their targets, the files written."""

    owner: int
    targets: set[str]
    held: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary file, target)


_build: _Build | None = None


def _key(path: Path) -> str:
    return os.path.abspath(path)


@contextlib.contextmanager
def atomic_output(target: Path):
    """Yield a temporary path; on success it replaces target (or is held, see together()); on any failure it is
    removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    build = _build if _build is not None and _key(target) in _build.targets else None
    # also removes the parts a killed build left in this folder
    tmp_path = part_file(target, owner=build.owner if build else None)
    kept = False
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        if build is not None:
            build.held.append((tmp_path, target))
            kept = True
        else:
            os.replace(tmp_path, target)
    finally:
        if not kept and tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def together(targets):
    """Hold the outputs written to targets within the block; rename them all into place when it succeeds."""
    global _build
    if _build is not None:  # within a build already (or in its forked child): that build commits them
        _build.targets.update(_key(t) for t in targets)
        yield
        return
    build = _build = _Build(os.getpid(), {_key(t) for t in targets})
    try:
        yield
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})  # all or none
        try:
            while build.held:
                tmp, target = build.held[0]
                os.replace(tmp, target)
                build.held.pop(0)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    finally:
        _build = None
        for tmp, _ in build.held:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for key in build.targets:  # a child's, not handed over: the build stopped before it asked for them
            target = Path(key)
            with contextlib.suppress(OSError):
                for stray in target.parent.glob(f".{_glob_escape(target.name)}.kwbook-{build.owner}-*.part"):
                    stray.unlink()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def held_since(mark: int) -> list[tuple[Path, Path]]:
    """The outputs held after the first mark ones (a forked child's, for its parent)."""
    return list(_build.held[mark:]) if _build is not None else []


def held_count() -> int:
    return len(_build.held) if _build is not None else 0


def adopt(held: list[tuple[Path, Path]]) -> None:
    """Outputs a forked child wrote and held: this process renames them with its own."""
    if _build is not None:
        _build.held.extend(held)
    else:  # not within a build (cannot happen: the child's state is this process's): put them in place
        for tmp, target in held:
            os.replace(tmp, target)


def latest(target: Path) -> Path:
    """The newest complete file for target: the one this build wrote and holds, else target itself."""
    if _build is not None:
        for tmp, held in reversed(_build.held):
            if _key(held) == _key(target):
                return tmp
    return Path(target)


def map_path(dist: Path, slug: str) -> Path:
    """dist/.<slug>.pages.json: the PDF's page map (writers/pagemap.py); here, so dodo.py names it without
    importing the renderer."""
    return Path(dist) / f".{slug}.pages.json"
