"""kwbook's replacements of WeasyPrint internals: each set applied once, and only on the version it was reviewed against.

justify.py, autospace.py, leaders.py and pdfmarks.py each replace a few functions of WeasyPrint 70 (pagemap.py
wraps one, importing WeasyPrint only when it is asked to). On another version nothing is replaced, their
`install` returns False, and tests/test_justify.py fails until they are reviewed.
"""

from __future__ import annotations

import weasyprint

PINNED_WEASYPRINT = "70.0"
_applied: set[str] = set()


def apply(name: str, *replacements: tuple[object, str, object]) -> bool:
    """Set each (owner, attribute, value) the first time name is applied; False, nothing set, on another version."""
    if weasyprint.__version__ != PINNED_WEASYPRINT:
        return False
    if name not in _applied:
        for owner, attribute, value in replacements:
            setattr(owner, attribute, value)
        _applied.add(name)
    return True


def revert(name: str, *originals: tuple[object, str, object]) -> None:
    """Put the originals back; the next apply(name, …) sets the replacements again."""
    for owner, attribute, value in originals:
        setattr(owner, attribute, value)
    _applied.discard(name)
