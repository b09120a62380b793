"""`kwbook verify`: read the built PDF, EPUB and DOCX back and compare their text with the manuscript."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..messages import Message, message, render
from ..model import Book
from . import docx, epub, pdf
from .compare import Difference, compare

EXTRACTORS = {"pdf": pdf.extract, "epub": epub.extract, "docx": docx.extract}
READ_ERRORS = (pdf.PdfReadError, epub.EpubReadError, docx.DocxReadError)


@dataclass(frozen=True)
class Verdict:
    """One output checked against the book: no difference, the first difference, or why it could not be read."""

    fmt: str
    path: Path
    entries: int = 0
    sections: int = 0
    difference: Difference | None = None
    problem: str | Message = ""

    @property
    def ok(self) -> bool:
        return self.difference is None and not self.problem

    def describe(self, lang: str | None = None) -> str:
        """One line in lang (default: the current language)."""
        name = self.fmt.upper()
        if self.problem:
            return render("verify.unchecked", lang, name=name, path=self.path, problem=self.problem)
        if self.difference:
            return render("verify.differs", lang, name=name, path=self.path, difference=self.difference.describe(lang))
        return render("verify.ok", lang, name=name, path=self.path, entries=self.entries, sections=self.sections)


def verify_file(book: Book, fmt: str, path: Path) -> Verdict:
    """Extract the entries of one output and compare them with the book."""
    path = Path(path)
    if not path.is_file():
        return Verdict(fmt, path, problem=message("verify.not-built"))
    try:
        found = EXTRACTORS[fmt](path, book)
    except READ_ERRORS as exc:
        return Verdict(fmt, path, problem=exc.message)
    sections = sum(len(e.sections) for e in found)
    return Verdict(fmt, path, len(found), sections, compare(book, found))


def verify_outputs(book: Book, paths: dict[str, Path]) -> list[Verdict]:
    """Check every output in paths (format → file), in the order given."""
    return [verify_file(book, fmt, path) for fmt, path in paths.items()]


__all__ = ["Difference", "Verdict", "verify_file", "verify_outputs"]
