"""Editorial fix: the mechanically safe corrections lint points at, and nothing else.

Punctuation width between Chinese characters, HTML entities whose character is not Markdown syntax, and
simplified characters with a single Traditional form. Line ends, a BOM and every other byte stay as they were;
a second run changes nothing. Writing is atomic, keeps a copy of the original in `.kwbook-backup/` beside the
manuscript folder (outside it), and refuses a file with uncommitted changes in a git work tree unless forced.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..load import BOOK_FILE
from ..load.files import inside
from ..tempfiles import part_file
from ..text import fullwidth_punctuation, halfwidth_marks
from . import hanzi
from .lint import LintSettings, manuscript_files, read_settings
from .residue import ENTITY, entity_fix
from .source import protected, segments, split_lines

BACKUP_DIR = ".kwbook-backup"
_BOM = "\ufeff"


def _fix_line(line: str, start: int, settings: LintSettings, counts: Counter) -> str:
    head, body = line[:start], line[start:]
    skip = protected(body, entities=False)
    parts, last = [], 0
    for m in ENTITY.finditer(body):
        char = entity_fix(m.group(0))
        if char is None or m.start() in skip:
            continue
        parts += [body[last:m.start()], char]
        last = m.end()
        counts["html-entity"] += 1
    if parts:
        body = "".join(parts) + body[last:]
    skip = protected(body)
    marks = halfwidth_marks(body, skip)
    if marks:
        body = fullwidth_punctuation(body, skip)
        counts["punct-halfwidth"] += len(marks)
    # a zh-Hant book: simplified characters with one Traditional form; a zh-Hans book: Traditional characters
    judge, code = (hanzi.simplified_chars, "simplified-char") if settings.traditional else (hanzi.traditional_chars, "traditional-char")
    fixes = [s for s in judge(body, settings.allow, skip) if s.fixable] if settings.script_known else []
    if fixes:
        chars = list(body)
        for s in fixes:
            chars[s.index] = s.trad
        body = "".join(chars)
        counts[code] += len(fixes)
    return head + body


def fix_text(text: str, settings: LintSettings = LintSettings()) -> tuple[str, Counter]:
    """The fixed text and how many changes of each kind; text keeps its own line ends and BOM."""
    bom = text.startswith(_BOM)
    lines, ends = split_lines(text[1:] if bom else text)
    counts: Counter = Counter()
    for seg in segments(lines):
        lines[seg.index] = _fix_line(lines[seg.index], seg.start, settings, counts)
    out = "".join(line + end for line, end in zip(lines, ends))
    return (_BOM + out if bom else out), counts


@dataclass
class FileFix:
    """One file's outcome: its fixed text, the change counts, and what happened when writing."""

    path: Path
    old: str | None
    new: str | None
    counts: Counter = field(default_factory=Counter)
    status: str = "unchanged"   # unchanged | changed | written | dirty | unreadable | missing | outside
    backup: Path | None = None
    target: Path | None = None  # outside: where the file leads

    def diff(self, label: str) -> str:
        if self.old is None or self.new is None or self.old == self.new:
            return ""
        old = self.old.lstrip(_BOM).replace("\r\n", "\n").splitlines(keepends=True)
        new = self.new.lstrip(_BOM).replace("\r\n", "\n").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{label}", f"b/{label}"))


def manuscript_of(path: Path) -> Path | None:
    """The nearest folder at or above path holding a book.yaml."""
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        if (folder / BOOK_FILE).is_file():
            return folder
    return None


def outside_target(path: Path) -> Path | None:
    """Where path leads, when that is outside its manuscript (the nearest folder with a book.yaml above path as
    named; for a file in no manuscript, its own folder): a link out of the book is neither read nor rewritten."""
    named = Path(os.path.abspath(path))
    manuscript = manuscript_of(named)
    if inside(named, manuscript if manuscript is not None else named.parent):
        return None
    return Path(os.path.realpath(named))


def targets(args: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files to fix, arguments that are neither a manuscript nor a file)."""
    files: list[Path] = []
    missing: list[Path] = []
    for arg in args:
        arg = Path(arg)
        if arg.is_dir() and (arg / BOOK_FILE).is_file():
            files += manuscript_files(arg)
        elif arg.is_file():
            files.append(arg)
        else:
            missing.append(arg)
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, missing


def has_uncommitted_changes(path: Path) -> bool:
    """True when path is in a git work tree and differs from HEAD (modified, staged or untracked)."""
    if shutil.which("git") is None:
        return False
    folder = path.resolve().parent
    try:
        inside = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=30)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return False
        status = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", path.resolve().name],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return status.returncode == 0 and bool(status.stdout.strip())


def backup_root(path: Path) -> Path:
    """`.kwbook-backup/` in the folder that holds the manuscript (or the file's own folder)."""
    manuscript = manuscript_of(path.resolve())
    return (manuscript.parent if manuscript else path.resolve().parent) / BACKUP_DIR


def _backup(path: Path, stamp: str) -> Path:
    manuscript = manuscript_of(path.resolve())
    base = manuscript.parent if manuscript else path.resolve().parent
    target = base / BACKUP_DIR / stamp / path.resolve().relative_to(base)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path by data through a temporary file in the same folder; the file mode is kept."""
    tmp = part_file(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def fix_files(files: list[Path], write: bool = False, force: bool = False) -> list[FileFix]:
    """Fix each file in memory; with write, replace the changed ones (after a backup)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    cache: dict[Path | None, LintSettings] = {}
    out: list[FileFix] = []
    for path in files:
        path = Path(path)
        outside = outside_target(path)
        if outside is not None:
            out.append(FileFix(path, None, None, status="outside", target=outside))
            continue
        try:
            old = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            out.append(FileFix(path, None, None, status="unreadable"))
            continue
        manuscript = manuscript_of(path.resolve())
        if manuscript not in cache:
            cache[manuscript] = read_settings(manuscript)[0] if manuscript else LintSettings()
        new, counts = fix_text(old, cache[manuscript])
        result = FileFix(path, old, new, counts, "changed" if new != old else "unchanged")
        if write and new != old:
            if not force and has_uncommitted_changes(path):
                result.status = "dirty"
            else:
                result.backup = _backup(path, stamp)
                write_atomically(Path(os.path.realpath(path)), new.encode("utf-8"))  # a link within the book stays one
                result.status = "written"
        out.append(result)
    return out
