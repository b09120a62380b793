"""The `kwbook` command: a thin layer over kwbook.api."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import api
from .errors import BuildError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kwbook", description="關鍵詞解讀書稿：檢查並建置 PDF、EPUB、DOCX")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="檢查書稿，列出所有錯誤與警告")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p = sub.add_parser("build", help="建置書籍")
    p.add_argument("manuscript", nargs="?", default="manuscript", type=Path)
    p.add_argument("--format", choices=["all", *api.FORMATS], default="all")
    p.add_argument("-o", "--output", dest="dist", default="dist", type=Path)
    p = sub.add_parser("sample", help="產生合成的範例書稿")
    p.add_argument("--entries", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("out", type=Path)
    return parser


def _check(args) -> int:
    _, diags = api.check(args.manuscript)
    api.print_diagnostics(diags)
    return 1 if any(d.severity == "error" for d in diags) else 0


def _build(args) -> int:
    formats = api.FORMATS if args.format == "all" else (args.format,)
    written, diags = api.build(args.manuscript, args.dist, formats)
    api.print_diagnostics(diags)
    if not written:
        print("書稿有錯誤，未建置任何檔案；dist/ 中原有的檔案保持不變。", file=sys.stderr)
        return 1
    for path in written:
        print(f"已寫出 {path}")
    return 0


def _sample(args) -> int:
    from .sample import write_sample

    if args.entries < 1:
        print("kwbook: --entries 必須是正整數", file=sys.stderr)
        return 2
    out = write_sample(args.out, args.entries, args.seed)
    print(f"已產生 {args.entries} 條詞條的書稿：{out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"check": _check, "build": _build, "sample": _sample}[args.command](args)
    except BuildError as exc:
        print(f"kwbook: 錯誤：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kwbook: 已中斷；dist/ 中原有的檔案保持不變。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
