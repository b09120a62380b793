"""kwbook: build a Chinese keyword-interpretation book as print PDF, EPUB 3 and DOCX from one manuscript."""

from .api import build, check
from .diagnostics import Diagnostic
from .load import load_book, source_files
from .model import Book, Category, Entry, Section, SourceLocation

__all__ = ["Book", "Category", "Diagnostic", "Entry", "Section", "SourceLocation", "build", "check", "load_book", "source_files"]
