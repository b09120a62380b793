"""Command-line help in the message language: argparse's parsers with help texts from the catalog (help.*).

cli.py and editorial/commands.py build their parsers with `Parser` and `h(key)` after the language is chosen
(--lang, KWBOOK_LANG, then book.yaml's language, then the locale: messages.follow_book), so `kwbook --help`
and every subcommand's help come out in Traditional Chinese, Simplified Chinese or English. argparse's own
headings (usage, positional arguments, options, the -h line) are translated by the formatter.
"""

from __future__ import annotations

import argparse
import sys

from .messages import text

_HEADINGS = {"positional arguments": "help.positionals", "options": "help.options",
             "optional arguments": "help.options"}


def h(key: str) -> str:
    """The help text help.<key> in the current language."""
    return text(f"help.{key}")


class Formatter(argparse.HelpFormatter):
    """argparse's formatter with its headings and the -h line from the catalog."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else h("usage") + " ")

    def start_section(self, heading):
        super().start_section(text(_HEADINGS[heading]) if heading in _HEADINGS else heading)

    def _get_help_string(self, action):
        if isinstance(action, argparse._HelpAction):
            return h("help")
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and its subparsers) using Formatter; errors start with the catalog's word for error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, text("help.error", prog=self.prog, message=message) + "\n")
