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
    parser.add_argument("--lang", choices=messages.LANGS, help="訊息語言：zh（繁體中文，預設）或 en；可放在任何子命令之後")
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


def main(argv: list[str] | None = None) -> int:
    argv = messages.take_lang_option(sys.argv[1:] if argv is None else list(argv))
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "handler", None):
            return args.handler(args)
        return {"check": _check, "build": _build, "preflight": _preflight, "sample": _sample,
                "verify": _verify, "a11y": _a11y}[args.command](args)
    except MessageError as exc:  # BuildError, SampleError, verify read errors: the user can act on them
        print(text("ui.error", message=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(text("ui.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
