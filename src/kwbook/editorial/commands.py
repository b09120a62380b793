"""The `kwbook` subcommands of the editorial tools: lint, fix, status, new, import, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..diagnostics import display_path
from ..helptext import Parser, h
from ..load import BOOK_FILE
from ..messages import CATALOG, current_lang, text


def _out(message: str) -> None:
    print(message)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _usable_settings(manuscript: Path):
    """book.yaml's settings, or None after printing why they cannot be used (no book.yaml, errors in it)."""
    from ..api import print_diagnostics
    from ..load.config import load_settings

    if _no_manuscript(manuscript):
        return None
    settings, diags = load_settings(Path(manuscript) / BOOK_FILE)
    if settings.config is None:
        print_diagnostics(diags)
        return None
    return settings


def _no_manuscript(manuscript: Path) -> bool:
    if (Path(manuscript) / BOOK_FILE).is_file():
        return False
    _err(text("ui.no-manuscript", path=manuscript))
    return True


def _lint(args) -> int:
    from .lint import lint_manuscript

    if _no_manuscript(args.manuscript):
        return 2
    diags = lint_manuscript(args.manuscript)
    for d in diags:
        _out(d.format())
    _err(text("ui.summary", errors=0, warnings=len(diags)) if diags else text("ui.lint-clean"))
    return 1 if diags else 0


def _fix(args) -> int:
    from .fix import fix_files, targets

    files, missing = targets(args.paths or [Path("manuscript")])
    for path in missing:
        _err(text("ui.fix-not-found", path=path))
    results = fix_files(files, write=args.write, force=args.force)
    failed = bool(missing)
    changes = 0
    for r in results:
        label = display_path(r.path)
        if r.status == "unreadable":
            _err(text("ui.fix-unreadable", path=label))
            failed = True
        elif r.status == "dirty":
            _err(text("ui.fix-dirty", path=label))
            failed = True
        elif r.status == "outside":
            _err(text("ui.fix-outside", path=label, target=r.target))
            failed = True
        elif r.status == "written":
            _err(text("ui.fix-wrote", path=label, changes=sum(r.counts.values()), backup=display_path(r.backup)))
        elif r.status == "changed":
            sys.stdout.write(r.diff(label))
        changes += sum(r.counts.values()) if r.status in ("changed", "written") else 0
    if not args.write:
        touched = sum(r.status == "changed" for r in results)
        _err(text("ui.fix-would", files=touched, changes=changes) if touched else text("ui.fix-none"))
    elif not changes and not failed:
        _err(text("ui.fix-none"))
    return 1 if failed else 0


def _status(args) -> int:
    from .status import book_status, format_table

    if _no_manuscript(args.manuscript):
        return 2
    status = book_status(args.manuscript)
    if status is None:
        _usable_settings(args.manuscript)  # prints why book.yaml cannot be used
        return 1
    if args.json:
        _out(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(format_table(status))
    return 0


def _category(settings, name: str):
    from .importer import find_category

    return find_category(name, settings.categories)


def _new_parser() -> argparse.ArgumentParser:
    p = Parser(prog="kwbook new", description=h("new"))
    p.add_argument("keyword")
    p.add_argument("--category", required=True, help=h("category"))
    p.add_argument("manuscript", nargs="?", default=Path("manuscript"), type=Path, help=h("manuscript"))
    return p


def _new(args) -> int:
    from .new import existing_file, next_filename, skeleton

    args = _new_parser().parse_intermixed_args(args.rest + (["--category", args.category] if args.category else []))
    settings = _usable_settings(args.manuscript)
    if settings is None:
        return 2
    from ..validate.entry import keyword_break

    keyword = args.keyword.strip()
    if not keyword or keyword_break(keyword):  # the rule check applies (keyword-line)
        _err(text("ui.new-keyword"))
        return 2
    category = _category(settings, args.category)
    if category is None:
        _err(text("ui.new-category", category=args.category, choices="、".join(c.title for c in settings.categories)))
        return 2
    from ..load import entry_files
    from ..load.entry import parse_source

    for path in entry_files(Path(args.manuscript)):
        src, _ = parse_source(path)
        if src and isinstance(src.meta.get("keyword"), str) and src.meta["keyword"].strip() == keyword:
            _err(text("ui.new-duplicate", keyword=keyword, path=display_path(path)))
            return 1
    folder = Path(args.manuscript) / "entries" / category.folder
    target = existing_file(folder, keyword) or folder / next_filename(folder, keyword)
    if target.exists():
        _err(text("ui.new-exists", path=display_path(target)))
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(skeleton(keyword, settings.config.sections))
    _out(text("ui.new-done", path=display_path(target)))
    return 0


def _import(args) -> int:
    from .importer import import_file

    settings = _usable_settings(args.manuscript)
    if settings is None:
        return 2
    override = None
    if args.category:
        override = _category(settings, args.category)
        if override is None:
            _err(text("ui.new-category", category=args.category, choices="、".join(c.title for c in settings.categories)))
            return 2
    out_dir = args.output or Path(args.manuscript) / "entries"
    failed = False
    for source in args.files:
        done = import_file(source, settings.config.sections, settings.categories, out_dir, override,
                           settings.config.language)
        if done.problem == "ui.import-exists":
            _err(text("ui.import-exists", path=display_path(done.entry)))
            failed = True
        elif done.problem:
            reason = text(done.problem) if done.problem in CATALOG else done.problem
            _err(text("ui.import-failed", source=source, reason=reason))
            failed = True
        else:
            _out(text("ui.import-done", source=source, entry=display_path(done.entry), report=display_path(done.report)))
            if done.analysis.unassigned:
                _out(text("ui.import-unassigned", count=len(done.analysis.unassigned)))
            if done.analysis.category is None:
                _out(text("ui.import-no-category", path=display_path(done.entry)))
    return 1 if failed else 0


def _schema(args) -> int:
    from .schema import write_schemas

    for path in write_schemas(args.output, current_lang()):
        _out(text("ui.schema-done", path=display_path(path)))
    return 0


def _quiet_pipe(handler):
    """A closed pipe (`kwbook fix --diff | head`) ends the command quietly, not with a traceback."""

    def run(args) -> int:
        try:
            return handler(args)
        except BrokenPipeError:
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141

    return run


def register(sub) -> None:
    """Add the editorial subcommands to the `kwbook` parser; each sets `handler`."""
    manuscript = {"nargs": "?", "default": Path("manuscript"), "type": Path, "help": h("manuscript")}
    p = sub.add_parser("lint", help=h("lint"), description=h("lint"))
    p.add_argument("manuscript", **manuscript)
    p.set_defaults(handler=_quiet_pipe(_lint))
    p = sub.add_parser("fix", help=h("fix"), description=h("fix"))
    p.add_argument("paths", nargs="*", type=Path, metavar="MANUSCRIPT|FILE", help=h("fix-paths"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help=h("diff"))
    mode.add_argument("--write", action="store_true", help=h("write"))
    p.add_argument("--force", action="store_true", help=h("force"))
    p.set_defaults(handler=_quiet_pipe(_fix))
    p = sub.add_parser("status", help=h("status"), description=h("status"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("--json", action="store_true", help=h("json"))
    p.set_defaults(handler=_quiet_pipe(_status))
    p = sub.add_parser("new", help=h("new"), description=h("new"))
    # `new KEYWORD --category C [MANUSCRIPT]`: argparse parses a positional after an option only when the
    # arguments are intermixed, which subparsers do not support; the rest is parsed by _new_parser.
    p.add_argument("--category", help=h("category"))
    p.add_argument("rest", nargs=argparse.REMAINDER, metavar="KEYWORD [MANUSCRIPT]", help=h("new-rest"))
    p.set_defaults(handler=_quiet_pipe(_new))
    p = sub.add_parser("import", help=h("import"), description=h("import"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=h("import-files"))
    p.add_argument("-o", "--output", type=Path, help=h("import-out"))
    p.add_argument("-m", "--manuscript", default=Path("manuscript"), type=Path, help=h("manuscript"))
    p.add_argument("--category", help=h("import-category"))
    p.set_defaults(handler=_quiet_pipe(_import))
    p = sub.add_parser("schema", help=h("schema"), description=h("schema"))
    p.add_argument("-o", "--output", default=Path("dist/schema"), type=Path, help=h("schema-out"))
    p.set_defaults(handler=_quiet_pipe(_schema))

__all__ = ["register"]
