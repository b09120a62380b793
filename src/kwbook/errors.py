"""Errors that stop a build for a reason the user can act on (not bugs): reported without a traceback."""

from __future__ import annotations

from .messages import message


class MessageError(Exception):
    """An error whose text is a catalog message: str() gives it in the current language (`--lang`).

    A msgid that is not in the catalog is taken as the text itself.
    """

    def __init__(self, msgid: str, **params):
        self.message = message(msgid, **params)
        super().__init__(self.message.render("zh"))

    def __str__(self) -> str:
        return self.message.render()


class BuildError(MessageError):
    """A build could not finish: missing font or style file, a refused resource, a tool that failed."""
