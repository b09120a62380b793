"""The `kwbook` command: a thin layer over kwbook.api."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from pathlib import Path

from . import api, messages
from .editorial import commands as editorial
from .errors import MessageError
from .helptext import Parser, h
from .messages import text


def _parser() -> argparse.ArgumentParser:
    """The whole command line, its help in the current message language (helptext)."""
    parser = Parser(prog="kwbook", description=h("kwbook"))
    parser.add_argument("--lang", choices=messages.LANGS, help=h("lang"))
    sub = parser.add_subparsers(dest="command", required=True)
    editorial.register(sub)
    manuscript = {"nargs": "?", "default": "manuscript", "type": Path, "help": h("manuscript")}
    p = sub.add_parser("check", help=h("check"), description=h("check"))
    p.add_argument("manuscript", **manuscript)
    p = sub.add_parser("build", help=h("build"), description=h("build"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("--format", choices=["all", *api.FORMATS, *api.PRESS], action="append", help=h("build-format"))
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path, help=h("dist"))
    p.add_argument("--single", action="store_true", help=h("single"))
    p = sub.add_parser("proof-entry", help=h("proof-entry"), description=h("proof-entry"))
    p.add_argument("keyword", help=h("keyword"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path, help=h("dist"))
    p.add_argument("--edition", metavar="SLUG", help=h("proof-edition"))
    p = sub.add_parser("watch", help=h("watch"), description=h("watch"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path, help=h("dist"))
    p = sub.add_parser("preflight", help=h("preflight"), description=h("preflight"))
    p.add_argument("pdf", type=Path, help=h("pdf"))
    p.add_argument("manuscript", nargs="?", type=Path, help=h("manuscript"))
    p = sub.add_parser("verify", help=h("verify"), description=h("verify"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("--format", choices=["all", *api.FORMATS], default="all", help=h("format"))
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path, help=h("dist"))
    p = sub.add_parser("convert", help=h("convert"), description=h("convert"))
    p.add_argument("manuscript", **manuscript)
    p.add_argument("--report", action="store_true", help=h("report"))
    p.add_argument("--edition", help=h("edition"))
    p.add_argument("--to", choices=["zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK"], help=h("to"))
    p.add_argument("--slug", help=h("slug"))
    p.add_argument("-o", "--output", dest="out", type=Path, help=h("convert-out"))
    p = sub.add_parser("a11y", help=h("a11y"), description=h("a11y"))
    p.add_argument("target", nargs="?", default="manuscript", type=Path, help=h("a11y-target"))
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path, help=h("dist"))
    p = sub.add_parser("sample", help=h("sample"), description=h("sample"))
    p.add_argument("--entries", type=int, required=True, help=h("entries"))
    p.add_argument("--seed", type=int, default=0, help=h("seed"))
    p.add_argument("out", type=Path, help=h("sample-out"))
    return parser


def _check(args) -> int:
    _, diags = api.check(args.manuscript, lint=True)
    api.print_diagnostics(diags)
    return 1 if any(d.severity == "error" for d in diags) else 0


def _build(args) -> int:
    if args.single:
        os.environ["KWBOOK_SINGLE"] = "1"  # read by writers/pdf.py
    chosen = args.format or ["all"]  # --format may be repeated: pdf and print together are laid out once
    formats = tuple(dict.fromkeys(f for name in chosen for f in (api.FORMATS if name == "all" else (name,))))
    written, diags = api.build(args.manuscript, args.dist, formats)
    api.print_diagnostics(diags)
    if not written:
        print(text("ui.build-refused"), file=sys.stderr)
        return 1
    for path in written:
        print(text("ui.written", path=path))
    return 0


def _proof_entry(args) -> int:
    from .writers.entryproof import ProofError

    book, diags = api.check(args.manuscript)
    api.print_diagnostics(diags)
    if book is None:
        print(text("ui.build-refused"), file=sys.stderr)
        return 1
    source = None
    if args.edition is not None and args.edition != book.config.slug:
        books = api.loaded_editions(args.manuscript)  # an edition with an error is not among them (errors above)
        chosen = [b for b in books if b.config.slug == args.edition]
        if not chosen:
            print(text("ui.proof-entry-no-edition", slug=args.edition,
                       slugs=", ".join(b.config.slug for b in books)), file=sys.stderr)
            return 2
        book, source = chosen[0], book
    try:
        path, pages, labels = api.entry_proof(book, args.keyword, args.manuscript, args.dist, source)
    except ProofError:
        print(text("ui.proof-entry-unknown", keyword=args.keyword), file=sys.stderr)
        return 2
    print(text("ui.proof-entry-done", path=path, pages=pages, first=labels[0] if labels else "", last=labels[-1] if labels else ""))
    return 0


def _watch(args) -> int:
    from .watch import watch

    return watch(args.manuscript, args.dist)


def _preflight(args) -> int:
    if not args.pdf.is_file():
        print(text("ui.no-pdf", path=args.pdf), file=sys.stderr)
        return 2
    return 0 if api.print_findings(api.preflight(args.pdf, args.manuscript)) else 1


def _verify(args) -> int:
    formats = api.FORMATS if args.format == "all" else (args.format,)
    return 0 if api.print_verdicts(*api.verify(args.manuscript, args.dist, formats)) else 1


def _convert(args) -> int:
    if args.to:
        return _convert_manuscript(args)
    books, diags = api.editions(args.manuscript)
    api.print_diagnostics([d for d in diags if d.severity == "error"])
    if not books:
        print(text("ui.build-refused"), file=sys.stderr)
        return 1
    chosen = [b for b in books[1:] if args.edition in (None, b.config.slug)]
    if not chosen:
        print(text("ui.convert-no-editions"), file=sys.stderr)
        return 1
    for book in chosen:
        print(api.conversion_report(book), end="")
    return 0


def _convert_manuscript(args) -> int:
    from .conversion.manuscript import convert_manuscript
    from .lang import profile
    from .load.config import load_settings, slug_ok

    book, diags = api.check(args.manuscript)
    if book is None:
        api.print_diagnostics(diags)
        print(text("ui.build-refused"), file=sys.stderr)
        return 1
    config = book.config
    if profile(args.to).script == profile(config.language).script:
        print(text("ui.convert-same-script", target=args.to), file=sys.stderr)
        return 2
    out = args.out or Path(f"{args.manuscript}-{'hans' if profile(args.to).simplified else 'hant'}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(text("ui.convert-exists", path=out), file=sys.stderr)
        return 1
    if args.slug is not None and not slug_ok(args.slug):  # book.yaml's rule: the new manuscript must pass check
        print(text("ui.error", message=text("config-slug", slug=args.slug)), file=sys.stderr)
        return 2
    settings, _ = load_settings(Path(args.manuscript) / "book.yaml")
    slug = args.slug or f"{config.slug}-{'hans' if profile(args.to).simplified else 'tw'}"
    converter = convert_manuscript(args.manuscript, out, args.to, slug, config.language, config.slug,
                                   settings.conversion, bool(settings.editions))
    from dataclasses import replace

    report = api.conversion_report(replace(book, conversion=tuple(converter.decisions), source_language=config.language,
                                           config=replace(config, slug=slug, language=args.to)),
                                   renames=converter.renames)
    (out / "conversion.txt").write_text(report, encoding="utf-8")
    print(text("ui.convert-wrote", path=out, count=len(converter.decisions)))
    return 0


def _a11y(args) -> int:
    epubs = [args.target] if args.target.suffix == ".epub" else api.epub_paths(args.target, args.dist)
    return 0 if api.print_ace_reports(api.a11y(epubs)) else 1


def _sample(args) -> int:
    from .sample import write_sample

    if args.entries < 1:
        print(text("ui.sample-entries"), file=sys.stderr)
        return 2
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):  # an editor's book is not overwritten
        print(text("ui.convert-exists", path=args.out), file=sys.stderr)
        return 1
    out = write_sample(args.out, args.entries, args.seed)
    print(text("ui.sample-done", count=args.entries, path=out))
    return 0


def _follow_book(args) -> None:
    """Messages in Simplified Chinese for a zh-Hans book unless --lang says otherwise (messages.follow_book)."""
    manuscript = getattr(args, "manuscript", None)
    if isinstance(manuscript, Path):
        api.follow_book(manuscript)


def _language_before_parsing(argv: list[str]) -> None:
    """Choose the message language for the help and argparse's errors: the book named on the command line (a
    folder with book.yaml, or -m FOLDER), else ./manuscript, else the locale; --lang has been taken already."""
    for arg in [*argv, "manuscript"]:
        if not arg.startswith("-") and _is_book(arg):
            api.follow_book(Path(arg))
            return
    messages.follow_book("")


def _is_book(arg: str) -> bool:
    """Whether arg names a folder with a book.yaml; False for any argument that cannot be a path (too long…)."""
    try:
        return (Path(arg) / "book.yaml").is_file()
    except (OSError, ValueError):
        return False


# errno → the catalog's wording of the system's reason (ui.os-reason/…); others keep the system's own words
_REASONS = {errno.EEXIST: "exists", errno.ENOTDIR: "not-dir", errno.EACCES: "denied", errno.EPERM: "denied",
            errno.ENAMETOOLONG: "too-long", errno.ENOSPC: "no-space", errno.EROFS: "read-only", errno.EISDIR: "is-dir"}


def _os_error(exc: OSError) -> str:
    """One line for an OSError: the path it concerns and the system's reason, in the current language."""
    reason = text(f"ui.os-reason/{_REASONS[exc.errno]}") if exc.errno in _REASONS else (exc.strerror or str(exc))
    if exc.filename is None:
        return text("ui.os-error/no-path", reason=reason)
    path = Path(os.fsdecode(exc.filename))
    if path.name.startswith(".") and ".kwbook-" in path.name and path.name.endswith(".part"):
        path = path.with_name(path.name[1:path.name.rindex(".kwbook-")])  # a temporary file: name its target
    return text("ui.os-error", path=path, reason=reason)


def _terminated(signum, frame) -> None:
    """SIGTERM ends the command as Ctrl-C does: temporary files removed, previous outputs kept.

    A forked child (a layout worker, the DOCX writer) dies as it always did; its parent cleans up after it.
    """
    if os.getpid() != _MAIN_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    global _TERMINATED
    _TERMINATED = True
    raise KeyboardInterrupt


_MAIN_PID = os.getpid()
_TERMINATED = False


def main(argv: list[str] | None = None) -> int:
    global _MAIN_PID

    argv = messages.take_lang_option(sys.argv[1:] if argv is None else list(argv))
    _language_before_parsing(argv)
    args = _parser().parse_args(argv)
    _MAIN_PID = os.getpid()
    previous = None
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        try:
            previous = signal.signal(signal.SIGTERM, _terminated)
        except ValueError:  # main() called from another thread than the main one
            pass
    try:
        _follow_book(args)
        if getattr(args, "handler", None):
            return args.handler(args)
        return {"check": _check, "build": _build, "preflight": _preflight, "sample": _sample,
                "verify": _verify, "convert": _convert, "a11y": _a11y, "proof-entry": _proof_entry,
                "watch": _watch}[args.command](args)
    except MessageError as exc:  # BuildError, SampleError, verify read errors: the user can act on them
        print(text("ui.error", message=exc), file=sys.stderr)
        return 1
    except OSError as exc:  # an unusable output path: a file where a folder should be, no permission, too long
        print(text("ui.error", message=_os_error(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # What a stopped writer left half-made (a library's open archive) is finalized as the process exits; an
        # error there is no news after this line, and its "Exception ignored … Traceback" would look like a crash.
        sys.unraisablehook = lambda unraisable: None
        print(text("ui.interrupted"), file=sys.stderr)
        return 128 + signal.SIGTERM if _TERMINATED else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
