"""Confinement of reading to the manuscript folder: links out of it, broken links, and images are refused at check."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic
from ..messages import error, warning


def inside(path: Path, root: Path) -> bool:
    """Whether path, every link followed, lies within root (itself resolved)."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):
        return False


def link_problem(path: Path, root: Path) -> Diagnostic | None:
    """An error when path is a link that is broken, loops, or leads outside root; None for anything else."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return error("link-loop", path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error("link-loop", path)
        return error("link-dangling", path, target=os.readlink(path))
    if not target.is_relative_to(Path(root).resolve()):
        return error("link-outside", path, target=str(target))
    return None


def scan_entries(base: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The entry files below base (*.md, sorted), and an error for each link that cannot be read safely.

    Linked folders are not followed (os.walk's default): each is an error, since its entries would be missing
    from the book without a word. Files not named *.md are not entries and are left alone, but for Markdown
    under another name (x.MD, x.markdown): a warning says it is not read.
    """
    files: list[Path] = []
    diags: list[Diagnostic] = []
    if base.is_symlink():  # os.walk would follow base itself: the linked folder is refused like any other
        return files, [link_problem(base, root) or error("link-folder", base)]
    if not base.is_dir():
        return files, diags
    for dirpath, dirnames, filenames in os.walk(base):
        folder = Path(dirpath)
        for name in dirnames:
            path = folder / name
            if path.is_symlink():
                diags.append(link_problem(path, root) or error("link-folder", path))
        for name in filenames:
            path = folder / name
            problem = link_problem(path, root)
            if problem is not None:
                if name.endswith(".md"):
                    diags.append(problem)
                continue
            if name.endswith(".md") and path.is_file():
                files.append(path)
            elif name.lower().endswith((".md", ".markdown", ".mdown", ".mkd")) and path.is_file():
                diags.append(warning("entry-suffix", path, name=name))  # an entry in all but its name: not read
    return sorted(files), diags


def check_styles(styles: Path, root: Path) -> list[Diagnostic]:
    """A manuscript's styles/ (itself or any file in it) must not lead outside the manuscript, nor its stylesheets'
    url()s (check_style_urls)."""
    if not os.path.lexists(styles):
        return []
    problem = link_problem(styles, root)
    if problem is not None:
        return [problem]
    out = []
    for dirpath, dirnames, filenames in os.walk(styles):
        for name in dirnames + filenames:
            problem = link_problem(Path(dirpath) / name, root)
            if problem is not None:
                out.append(problem)
    return out + check_style_urls(styles, root)


# A stylesheet's url(…) and @import "…", in comments or not (comments are blanked first, offsets kept).
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s"']*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def check_style_urls(styles: Path, root: Path) -> list[Diagnostic]:
    """Every url() and @import of a manuscript's own stylesheets must name a file in the manuscript (or be a data:
    URL or a #fragment): the PDF's fetcher (writers/fetcher.py) refuses anything else and stops the build, so
    check says it first, at the stylesheet's line and column."""
    if not styles.is_dir() or link_problem(styles, root) is not None:
        return []
    out = []
    for css in sorted(styles.rglob("*.css")):
        if link_problem(css, root) is not None:
            continue
        try:
            text = css.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        text = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        for m in _CSS_URL.finditer(text):
            url = next(g for g in m.groups() if g is not None).strip()
            parts = urlsplit(url)
            if not url or url.startswith("#") or parts.scheme == "data":
                continue
            if parts.scheme in ("", "file"):
                target = css.parent / unquote(parts.path)  # an absolute path stays itself
                if inside(target, root) and target.is_file():
                    continue
            line = text.count("\n", 0, m.start()) + 1
            out.append(error("style-resource", css, line, m.start() - text.rfind("\n", 0, m.start()), url=url[:80]))
    return out


def check_front_item(rel: str, line: int, book_yaml: Path, root: Path) -> Diagnostic | None:
    """A `front:` item must be a relative path that stays in the manuscript (no /…, no ../ out of it)."""
    if os.path.isabs(rel) or rel.startswith("~") or not inside(root / rel, root):
        return error("front-outside", book_yaml, line, rel=rel)
    problem = link_problem(root / rel, root)
    if problem is not None:
        return problem
    return None


SYSTEM_ICC = Path("/usr/share/color/icc")  # where Debian's packages install colour profiles
MAX_ICC_BYTES = 16 * 1024 * 1024


def check_icc(profile: str, book_yaml: Path, line: int) -> tuple[str, Diagnostic | None]:
    """`print.icc_profile`: an ICC file in the manuscript (a relative path) or among the system's profiles.

    The press PDF embeds the profile's bytes, so any other file would be copied into the book.
    Returns the absolute path and the problem, if any.
    """
    root = book_yaml.parent.resolve()
    given = Path(profile).expanduser() if profile.startswith("~") else Path(profile)
    path = (given if given.is_absolute() else root / given).resolve()
    if not path.is_file():
        return str(path), error("config-icc", book_yaml, line, profile=profile)
    system = Path(os.path.normpath(given)).is_relative_to(SYSTEM_ICC) or path.is_relative_to(SYSTEM_ICC.resolve())
    if not (path.is_relative_to(root) or system):
        return str(path), error("config-icc", book_yaml, line, msgid="config-icc/outside", profile=profile)
    try:
        with open(path, "rb") as handle:
            header = handle.read(40)
        size = path.stat().st_size
    except OSError:
        header, size = b"", 0
    if header[36:40] != b"acsp" or size > MAX_ICC_BYTES:
        return str(path), error("config-icc", book_yaml, line, msgid="config-icc/invalid", profile=profile)
    return str(path), None


def check_image(url: str, source: Path, line: int, root: Path) -> Diagnostic:
    """Every image is refused, with the reason: a URL, a file outside the manuscript, or the image itself.

    The PDF could lay an image out but the EPUB and DOCX would drop it silently; the book stays text.
    """
    url = unquote(url)
    parts = urlsplit(url)
    if parts.scheme == "data":
        return error("resource-unsupported", source, line, url=url[:80])
    if parts.scheme and len(parts.scheme) > 1:  # http:, file:, data: … (a one-letter scheme is a drive)
        return error("resource-remote", source, line, url=url[:80])
    path = Path(parts.path)
    if path.is_absolute() or not inside(root / path, root):
        return error("resource-outside", source, line, url=url[:80])
    return error("resource-unsupported", source, line, url=url[:80])


def check_link(url: str, source: Path, line: int) -> Diagnostic | None:
    """A link must lead to the web (http:, https:, mailto: … any scheme markdown-it lets through) or to a place
    in the text (#…): a path would be a local file, which no reader of the PDF, EPUB or DOCX has (and the PDF
    would carry the build machine's path as a file: link)."""
    parts = urlsplit(url)
    if (parts.scheme and len(parts.scheme) > 1) or not url or url.startswith("#"):
        return None
    return error("link-local", source, line, url=unquote(url)[:80])
