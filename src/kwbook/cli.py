"""The `kwbook` command: a thin layer over kwbook.api."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import api, messages
from .editorial import commands as editorial
from .errors import MessageError
from .messages import text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kwbook", description="關鍵詞解讀書稿：檢查並建置 PDF、EPUB、DOCX")
    parser.add_argument("--lang", choices=messages.LANGS, help="訊息語言：zh（繁體中文，預設）、zh-Hans（簡體中文）或 en；預設依書稿的 language；可放在任何子命令之後")
    sub = parser.add_subparsers(dest="command", required=True)
    editorial.register(sub)
    p = sub.add_parser("check", help="檢查書稿，列出所有錯誤與警告")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p = sub.add_parser("build", help="建置書籍")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--format", choices=["all", *api.FORMATS, *api.PRESS], default="all")
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path)
    p.add_argument("--single", action="store_true", help="整本書一次排版（不分段、不用快取；分段結果的對照基準）")
    p = sub.add_parser("preflight", help="印前檢查：出血、輸出意圖、字型內嵌、CMYK、影像解析度、頁數")
    p.add_argument("pdf", type=Path)
    p.add_argument("manuscript", nargs="?", type=Path)
    p = sub.add_parser("verify", help="核對建置出的 PDF、EPUB、DOCX 是否與書稿一字不差")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--format", choices=["all", *api.FORMATS], default="all")
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path)
    p = sub.add_parser("convert", help="簡繁轉換：列出各版本的轉換報告（--report），或寫出另一種文字的書稿（--to）")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--report", action="store_true", help="印出 book.yaml 各版本（editions）的轉換報告")
    p.add_argument("--edition", help="只看這個版本（slug）")
    p.add_argument("--to", choices=["zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK"], help="轉成這種文字的新書稿")
    p.add_argument("--slug", help="新書稿的 slug（預設：原 slug 加 -hans 或 -tw）")
    p.add_argument("-o", "--output", dest="out", type=Path, help="新書稿的資料夾（須不存在或是空的）")
    p = sub.add_parser("a11y", help="以 Ace by DAISY 檢查 EPUB 的無障礙性，報告寫到 <slug>-ace/")
    p.add_argument("target", nargs="?", default="manuscript", type=Path, help="書稿資料夾（檢查各版本的 EPUB）或一個 .epub 檔")
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path)
    p = sub.add_parser("sample", help="產生合成的範例書稿")
    p.add_argument("--entries", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("out", type=Path)
    return parser


def _check(args) -> int:
    _, diags = api.check(args.manuscript, lint=True)
    api.print_diagnostics(diags)
    return 1 if any(d.severity == "error" for d in diags) else 0


def _build(args) -> int:
    if args.single:
        os.environ["KWBOOK_SINGLE"] = "1"  # read by writers/pdf.py
    formats = api.FORMATS if args.format == "all" else (args.format,)
    written, diags = api.build(args.manuscript, args.dist, formats)
    api.print_diagnostics(diags)
    if not written:
        print(text("ui.build-refused"), file=sys.stderr)
        return 1
    for path in written:
        print(text("ui.written", path=path))
    return 0


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
    from .load.config import load_settings

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
    out = write_sample(args.out, args.entries, args.seed)
    print(text("ui.sample-done", count=args.entries, path=out))
    return 0


def _follow_book(args) -> None:
    """Messages in Simplified Chinese for a zh-Hans book unless --lang says otherwise (messages.follow_book)."""
    manuscript = getattr(args, "manuscript", None)
    if isinstance(manuscript, Path):
        api.follow_book(manuscript)


def main(argv: list[str] | None = None) -> int:
    argv = messages.take_lang_option(sys.argv[1:] if argv is None else list(argv))
    args = _parser().parse_args(argv)
    _follow_book(args)
    try:
        if getattr(args, "handler", None):
            return args.handler(args)
        return {"check": _check, "build": _build, "preflight": _preflight, "sample": _sample,
                "verify": _verify, "convert": _convert, "a11y": _a11y}[args.command](args)
    except MessageError as exc:  # BuildError, SampleError, verify read errors: the user can act on them
        print(text("ui.error", message=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(text("ui.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
