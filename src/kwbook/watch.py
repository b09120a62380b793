"""`kwbook watch` / `doit watch`: poll the manuscript, and on each save check it, write the entry's proof, rebuild.

The manuscript's files (entries, front matter, book.yaml) and the styles are polled by modification time and
size; an editor's save that writes several times is one change once nothing has moved for SETTLE seconds.
Each change is checked first: with an error nothing is written and dist/ keeps the last good outputs (every
writer writes atomically). Otherwise each changed entry's one-entry proof is written first
(dist/proof/<keyword>.pdf, writers/entryproof.py; a converted edition's in dist/proof/<slug>/), then every
edition's PDF, EPUB and DOCX (the PDF from the
part cache: only the parts that changed are laid out). One line per rebuild, then its diagnostics. Ctrl-C
(or SIGTERM) stops between or inside builds without a traceback; an interrupted build leaves dist/ as it was.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

from . import api
from .diagnostics import display_path
from .errors import MessageError
from .messages import text

POLL = 0.3    # seconds between two looks at the files
SETTLE = 0.5  # a change counts once the files have not moved for this long (editors write in several steps)


def watched_files(manuscript: Path) -> list[Path]:
    """Everything a build reads from the manuscript and its styles."""
    files = set(api.source_files(manuscript)) | set(api.style_files(manuscript))
    files.add(Path(manuscript) / "book.yaml")
    return sorted(Path(p) for p in files)


def snapshot(manuscript: Path) -> dict[Path, tuple[int, int]]:
    """Path → (mtime in ns, size) of every watched file that exists now."""
    found = {}
    for path in watched_files(manuscript):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def _settled(manuscript: Path, seen: dict) -> dict:
    """Wait until the files stop moving (a save in several writes); returns the last snapshot."""
    while True:
        time.sleep(SETTLE)
        now = snapshot(manuscript)
        if now == seen:
            return now
        seen = now


def _describe(changed: list[Path]) -> str:
    first = display_path(changed[0]) if changed else ""
    return first if len(changed) <= 1 else text("ui.watch-more", first=first, more=len(changed) - 1)


def _say(line: str) -> None:
    print(line, flush=True)


def _pages(dist: Path, slug: str) -> int:
    try:
        return len(json.loads((Path(dist) / f".{slug}.pages.json").read_text(encoding="utf-8"))["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def rebuild(manuscript: Path, dist: Path, changed: list[Path], label: str | None = None) -> bool:
    """Check, write the changed entries' proofs, rebuild every edition; print one line and the diagnostics."""
    from .writers.entryproof import ProofError

    start = time.monotonic()
    now = time.strftime("%H:%M:%S")
    what = label or _describe(changed)
    books, diags = api.check_editions(manuscript, editorial=True)
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    if not books:
        _say(text("ui.watch-refused", time=now, changed=what, errors=errors, warnings=warnings))
        for d in diags:
            _say(d.format())
        return False
    proof = ""
    try:
        touched = {Path(p).resolve() for p in changed}
        for book in books:  # the manuscript's edition (dist/proof/), then each converted one (dist/proof/<slug>/)
            for entry in book.entries:
                if Path(entry.location.path).resolve() in touched:
                    began = time.monotonic()
                    try:
                        path, _, _ = api.entry_proof(book, entry.anchor, manuscript, dist)
                    except ProofError:
                        continue
                    proof += text("ui.watch-proof", path=display_path(path), seconds=time.monotonic() - began)
        api.build_books(books, manuscript, dist)
    except MessageError as exc:  # a BuildError: a font, a refused resource, pandoc
        _say(text("ui.watch-failed", time=now, changed=what, message=exc))
        return False
    _say(text("ui.watch-built", time=now, changed=what, seconds=time.monotonic() - start,
              pages=_pages(dist, books[0].config.slug), errors=errors, warnings=warnings, proof=proof))
    for d in diags:
        _say(d.format())
    _prepare(manuscript, dist, books)
    return True


def _prepare(manuscript: Path, dist: Path, books=None) -> None:
    """After a build: each edition's part-wise state brought up to date, so the next proof lays out only its entry."""
    if books is None:
        books, _ = api.editions(manuscript)
    try:
        for book in books:
            api.prepare_entry_proofs(book, manuscript, dist)
    except MessageError as exc:
        _say(text("ui.error", message=exc))


def _stale(manuscript: Path, dist: Path, seen: dict) -> bool:
    """An output of the manuscript's own edition is missing or older than a watched file."""
    newest = max((m for m, _ in seen.values()), default=0)
    for fmt in api.FORMATS:
        try:
            if api.output_path(manuscript, dist, fmt).stat().st_mtime_ns < newest:
                return True
        except OSError:
            return True
    return False


def _stop(signum, frame):
    raise KeyboardInterrupt


def watch(manuscript: Path, dist: Path, polls: int | None = None) -> int:
    """Rebuild on every save until Ctrl-C (exit 0); polls bounds the loop (for tests)."""
    previous = signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        seen = snapshot(manuscript)
        _say(text("ui.watch-start", path=display_path(Path(manuscript)), count=len(seen)))
        if _stale(manuscript, dist, seen):
            rebuild(manuscript, dist, [], text("ui.watch-start-build"))
        else:
            _prepare(manuscript, dist)
        count = 0
        while polls is None or count < polls:
            count += 1
            time.sleep(POLL)
            now = snapshot(manuscript)
            if now == seen:
                continue
            now = _settled(manuscript, now)
            changed = sorted(p for p in set(seen) | set(now) if seen.get(p) != now.get(p))
            seen = now
            rebuild(manuscript, dist, changed)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        print(text("ui.watch-stopped"), file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def watch_task(manuscript: Path, dist: Path) -> bool:
    """doit action: `kwbook watch` until Ctrl-C."""
    return watch(Path(manuscript), Path(dist)) == 0
