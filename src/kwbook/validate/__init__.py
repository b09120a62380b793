"""Consistency checks over the parsed sources: each returns a list of Diagnostic and never raises."""

from .book import check_book
from .entry import check_entry

__all__ = ["check_book", "check_entry"]
