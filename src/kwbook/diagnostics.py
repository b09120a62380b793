"""Diagnostics: what validation returns instead of raising."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the sources, with its place and a stable code."""

    severity: str
    code: str
    message: str
    path: Path
    line: int = 1
    col: int = 1
    # Set when the message comes from kwbook.messages: the catalog id and its placeholders, so the
    # message can be shown in another language. Not part of equality.
    msgid: str = field(default="", compare=False)
    params: tuple = field(default=(), compare=False)

    def localized(self, lang: str | None = None) -> str:
        """The message in lang (default: the current language); the stored Chinese text when there is no template."""
        from .messages import current_lang, render

        lang = lang or current_lang()
        if lang == "zh-Hans" and not self.msgid:
            from .messages import simplified

            return simplified(self.message)
        if lang == "zh" or not self.msgid:
            return self.message
        return render(self.msgid, lang, **dict(self.params))

    def format(self, cwd: Path | None = None, lang: str | None = None) -> str:
        return f"{display_path(self.path, cwd)}:{self.line}:{self.col}: {self.severity}: {self.localized(lang)} [{self.code}]"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path relative to the current folder, as editors type it."""
    cwd = cwd or Path.cwd()
    try:
        return os.path.relpath(path, cwd)
    except ValueError:
        return str(path)


def error(code: str, message: str, path: Path, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(ERROR, code, message, Path(path), line, col)


def warning(code: str, message: str, path: Path, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(WARNING, code, message, Path(path), line, col)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple:
    return (str(d.path), d.line, d.col, d.code)
