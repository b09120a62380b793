"""What the command line and dodo.py call: check, build and sample, with outputs named from book.yaml."""

from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .load import load_book, source_files
from .load.config import load_settings
from .model import Book

PROJECT = Path(__file__).resolve().parents[2]
FORMATS = ("pdf", "epub", "docx")
SUFFIX = {"pdf": ".pdf", "epub": ".epub", "docx": ".docx"}


def styles_dir(manuscript: Path) -> Path:
    """A manuscript may bring its own styles/; otherwise kwbook's own are used."""
    own = Path(manuscript) / "styles"
    return (own if own.is_dir() else PROJECT / "styles").resolve()


def style_files(manuscript: Path) -> list[Path]:
    return sorted(p for p in styles_dir(manuscript).rglob("*") if p.is_file())


def code_files() -> list[Path]:
    """kwbook's own modules: a change to any of them makes every output stale."""
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))


def slug(manuscript: Path) -> str:
    settings, _ = load_settings(Path(manuscript) / "book.yaml")
    return settings.config.slug if settings.config else "book"


def output_path(manuscript: Path, dist: Path, fmt: str) -> Path:
    return Path(dist) / f"{slug(manuscript)}{SUFFIX[fmt]}"


def print_diagnostics(diagnostics: list[Diagnostic], stream=None) -> None:
    stream = stream or sys.stderr
    for d in diagnostics:
        print(d.format(), file=stream)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        print(f"共 {errors} 個錯誤、{warnings} 個警告。", file=stream)


def check(manuscript: Path) -> tuple[Book | None, list[Diagnostic]]:
    """Load and validate the whole manuscript; the Book is None when there is an error."""
    return load_book(Path(manuscript))


def build_format(book: Book, fmt: str, target: Path, styles: Path) -> Path:
    """Write one format; WeasyPrint, ebooklib and pandoc are imported only here."""
    if fmt == "pdf":
        from .writers.pdf import write_pdf as write
    elif fmt == "epub":
        from .writers.epub import write_epub as write
    elif fmt == "docx":
        from .writers.docx import write_docx as write
    else:
        raise ValueError(fmt)
    return write(book, Path(target), styles)


def build_task(manuscript: Path, fmt: str, target: Path) -> bool:
    """doit action: build one format; False (task failed) on errors in the sources or the build."""
    from .errors import BuildError

    book, diags = check(manuscript)
    if book is None:
        print_diagnostics(diags)
        return False
    try:
        build_format(book, fmt, target, styles_dir(manuscript))
    except BuildError as exc:
        print(f"kwbook: 錯誤：{exc}", file=sys.stderr)
        return False
    return True


def build(manuscript: Path, dist: Path, formats: tuple[str, ...] = FORMATS) -> tuple[list[Path], list[Diagnostic]]:
    """Check, then write each format to dist/<slug>.<ext>; nothing is written when there is an error."""
    book, diags = check(manuscript)
    if book is None or has_errors(diags):
        return [], diags
    styles = styles_dir(manuscript)
    written = [build_format(book, fmt, Path(dist) / f"{book.config.slug}{SUFFIX[fmt]}", styles) for fmt in formats]
    return written, diags


__all__ = ["build", "build_format", "build_task", "check", "code_files", "output_path", "source_files", "style_files", "styles_dir"]
