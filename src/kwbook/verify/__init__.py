"""`kwbook verify`: read the built PDF, EPUB and DOCX back and compare their text with the manuscript."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.difference is None and not self.problem

    def describe(self) -> str:
        name = self.fmt.upper()
        if self.problem:
            return f"{name}（{self.path}）無法核對：{self.problem}"
        if self.difference:
            return f"{name}（{self.path}）與書稿不符：{self.difference.describe()}"
        return f"{name}（{self.path}）與書稿一致：{self.entries} 條詞條、{self.sections} 節"


def verify_file(book: Book, fmt: str, path: Path) -> Verdict:
    """Extract the entries of one output and compare them with the book."""
    path = Path(path)
    if not path.is_file():
        return Verdict(fmt, path, problem="找不到檔案，請先建置（kwbook build）")
    try:
        found = EXTRACTORS[fmt](path, book)
    except READ_ERRORS as exc:
        return Verdict(fmt, path, problem=str(exc))
    sections = sum(len(e.sections) for e in found)
    return Verdict(fmt, path, len(found), sections, compare(book, found))


def verify_outputs(book: Book, paths: dict[str, Path]) -> list[Verdict]:
    """Check every output in paths (format → file), in the order given."""
    return [verify_file(book, fmt, path) for fmt, path in paths.items()]


__all__ = ["Difference", "Verdict", "verify_file", "verify_outputs"]
