"""What the command line and dodo.py call: check, build and sample, with outputs named from book.yaml."""

from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .messages import text
from .load import source_files
from .load.memo import load_editions_reused
from .load.config import load_settings
from .model import Book

PROJECT = Path(__file__).resolve().parents[2]
FORMATS = ("pdf", "epub", "docx")
PRESS = ("print", "cover")
SUFFIX = {"pdf": ".pdf", "print": "-print.pdf", "cover": "-cover.pdf", "epub": ".epub", "docx": ".docx"}


def styles_dir(manuscript: Path) -> Path:
    """A manuscript may bring its own styles/; otherwise kwbook's own are used."""
    own = Path(manuscript) / "styles"
    return (own if own.is_dir() else PROJECT / "styles").resolve()


def style_files(manuscript: Path) -> list[Path]:
    return sorted(p for p in styles_dir(manuscript).rglob("*") if p.is_file())


def code_files() -> list[Path]:
    """kwbook's own modules: a change to any of them makes every output stale."""
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))


_settings_memo: dict[Path, tuple[bytes, object]] = {}


def book_settings(manuscript: Path):
    """book.yaml's Settings (slug, language, editions), parsed once per process while the file's bytes are the same.

    dodo.py asks for the slug of every output path; parsing the YAML each time was a quarter of a no-op `doit`.
    """
    path = Path(manuscript) / "book.yaml"
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    known = _settings_memo.get(path.resolve())
    if data is not None and known is not None and known[0] == data:
        return known[1]
    settings, _ = load_settings(path)
    if data is not None and settings.config is not None:  # one with an error is read again
        _settings_memo[path.resolve()] = (data, settings)
    return settings


def slug(manuscript: Path) -> str:
    settings = book_settings(manuscript)
    return settings.config.slug if settings.config else "book"


def follow_book(manuscript: Path) -> None:
    """Messages in the book's script (zh-Hans or zh-Hant) unless --lang or KWBOOK_LANG chose one."""
    from .messages import follow_book as follow

    language = ""
    if (Path(manuscript) / "book.yaml").is_file():
        settings = book_settings(manuscript)
        language = settings.config.language if settings.config else ""
    follow(language)


def edition_slugs(manuscript: Path) -> list[str]:
    """The slugs of every edition book.yaml declares, the manuscript's own first (cheap: book.yaml only)."""
    settings = book_settings(manuscript)
    if settings.config is None:
        return ["book"]
    return [settings.config.slug] + [e.slug for e in settings.editions]


def output_path(manuscript: Path, dist: Path, fmt: str, edition: str | None = None) -> Path:
    return Path(dist) / f"{edition or slug(manuscript)}{SUFFIX[fmt]}"


def conversion_report_path(dist: Path, edition: str) -> Path:
    """dist/<slug>-conversion.txt: the decisions of a converted edition."""
    return Path(dist) / f"{edition}-conversion.txt"


def page_map_path(manuscript: Path, dist: Path, edition: str | None = None) -> Path:
    """dist/.<slug>.pages.json: where the PDF build records its pages for the EPUB's page list."""
    from .writers.output import map_path

    return map_path(Path(dist), edition or slug(manuscript))


def epub_paths(manuscript: Path, dist: Path) -> list[Path]:
    """dist/<slug>.epub of every edition: what the accessibility gate checks."""
    return [Path(dist) / f"{s}{SUFFIX['epub']}" for s in edition_slugs(manuscript)]


def part_cache_path(manuscript: Path, dist: Path) -> Path:
    """dist/.build/<slug>/: the PDF part cache, the last build's state and the EPUB's font subsets (removed by
    `doit clean`)."""
    from .writers.partcache import cache_dir

    return cache_dir(Path(dist), slug(manuscript))


def clean_parts(manuscript: Path, dist: Path) -> None:
    """doit clean action: remove the build cache (dist/.build/<slug>/) of every edition of this book."""
    import shutil

    from .writers.partcache import cache_dir

    for name in edition_slugs(manuscript):
        shutil.rmtree(cache_dir(Path(dist), name), ignore_errors=True)
    try:
        (Path(dist) / ".build").rmdir()  # once no book has a cache left
    except OSError:
        pass


def print_diagnostics(diagnostics: list[Diagnostic], stream=None) -> None:
    stream = stream or sys.stderr
    for d in diagnostics:
        print(d.format(), file=stream)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        print(text("ui.summary", errors=errors, warnings=warnings), file=stream)


def check(manuscript: Path, lint: bool = False, meanwhile=None) -> tuple[Book | None, list[Diagnostic]]:
    """Load and validate the whole manuscript; the Book is None when there is an error.

    With lint, the editorial warnings of `kwbook lint` are added (what `kwbook check` and `doit check` show).
    meanwhile(), if given, runs here once the manuscript loaded without error, while the lint child works.
    """
    linting = None
    if lint and (Path(manuscript) / "book.yaml").is_file():
        from .editorial.lint import lint_manuscript
        from .writers.aside import Aside

        linting = Aside(lint_manuscript, Path(manuscript))  # in a forked child while this process loads
    try:
        books, diags = load_editions_reused(Path(manuscript))
        if meanwhile is not None and books and not has_errors(diags):
            meanwhile()
        if linting is not None:
            from .diagnostics import sort_key

            diags = sorted(diags + linting.result(), key=sort_key)
    finally:
        if linting is not None:
            linting.stop()
    return (books[0] if books else None), diags


def import_writers() -> None:
    """Import the PDF writer (WeasyPrint, ≈ 0.6 s): `doit check` does it while its lint child works, so the
    build task that follows in the same process does not wait for it."""
    from .writers import pdf  # noqa: F401


def lint(manuscript: Path) -> list[Diagnostic]:
    """The editorial warnings alone (kwbook lint): punctuation, simplified characters, brackets, residue."""
    from .editorial.lint import lint_manuscript

    return lint_manuscript(Path(manuscript))


def build_format(book: Book, fmt: str, target: Path, styles: Path) -> Path:
    """Write one format; WeasyPrint, ebooklib and pandoc are imported only here."""
    if fmt == "pdf":
        from .writers.pdf import write_pdf as write
    elif fmt == "print":
        from .writers.pdf import write_print_pdf as write
    elif fmt == "cover":
        return _build_cover(book, Path(target), styles)
    elif fmt == "epub":
        from .writers.epub import write_epub as write
    elif fmt == "docx":
        from .writers.docx import write_docx as write
    else:
        raise ValueError(fmt)
    return write(book, Path(target), styles)


def _build_cover(book: Book, target: Path, styles: Path) -> Path:
    """The cover's spine needs the page count: from the interior PDF in the same folder, else a layout."""
    from .writers.cover_sheet import count_pages, write_cover_pdf
    from .writers.output import latest

    slug = book.config.slug
    built = [latest(target.parent / f"{slug}{SUFFIX[f]}") for f in ("print", "pdf")]  # this build's, if it wrote them
    existing = [p for p in built if p.is_file()]
    if existing:
        pages = count_pages(existing[0])
    else:
        from .writers.pdf import render_pdf_document

        pages = len(render_pdf_document(book, styles)[0].pages)
    return write_cover_pdf(book, target, styles, pages)


def preflight(pdf: Path, manuscript: Path | None = None, cover: bool = False):
    """Findings of the printer's checks on pdf, against book.yaml when a manuscript is given."""
    from .preflight import Finding, preflight as run

    config = None
    if manuscript is not None:
        settings, diags = load_settings(Path(manuscript) / "book.yaml")
        if settings.config is None:
            return [Finding("error", d.code, d.format()) for d in diags if d.severity == "error"]
        config = settings.config
    return run(Path(pdf), config, cover=cover)


def print_findings(findings, stream=None) -> bool:
    """Print one line per finding; True when none is an error."""
    for f in findings:
        print(f.format(), file=stream or sys.stdout)
    return not any(f.severity == "error" for f in findings)


def preflight_task(manuscript: Path, pdfs: list[Path]) -> bool:
    """doit action: preflight every press PDF built; False when any has an error."""
    ok = True
    for pdf in pdfs:
        print(f"preflight {pdf}:")
        ok = print_findings(preflight(pdf, manuscript, cover=str(pdf).endswith(SUFFIX["cover"]))) and ok
    return ok


def proof_task(pdf: Path, out_dir: Path) -> bool:
    """doit action: contact sheets of pdf in out_dir."""
    from .errors import BuildError
    from .proof import write_proof

    try:
        sheets = write_proof(pdf, out_dir)
    except BuildError as exc:
        print(text("ui.error", message=exc), file=sys.stderr)
        return False
    print(text("ui.proof-done", count=len(sheets), path=out_dir))
    return True


def entry_proof(book: Book, keyword: str, manuscript: Path, dist: Path,
                source: Book | None = None) -> tuple[Path, int, list[str]]:
    """dist/proof/<keyword>.pdf: one entry's pages as in the book (writers/entryproof.py); path, pages, folios.

    source: the manuscript's own edition when book is a converted one (its proof is dist/proof/<slug>/<keyword>.pdf).
    """
    from .writers.entryproof import write_entry_proof

    return write_entry_proof(book, keyword, styles_dir(manuscript), Path(dist), source)


def prepare_entry_proofs(book: Book, manuscript: Path, dist: Path) -> None:
    """Make the next one-entry proof fast: the part-wise state brought up to date with this book."""
    from .writers.entryproof import ensure_state

    ensure_state(book, styles_dir(manuscript), Path(dist))


def loaded_editions(manuscript: Path) -> list[Book]:
    """The manuscript's Book and every converted edition that loaded without an error (load_editions, reused)."""
    return load_editions_reused(Path(manuscript))[0]


def editions(manuscript: Path) -> tuple[list[Book], list[Diagnostic]]:
    """Every edition of the manuscript as a Book (load_editions): none when the manuscript has an error.

    Within one process (one `doit`: check, pdf, epub, docx, editions) the manuscript is read once while its
    files are unchanged (load/memo.py).
    """
    books, diags = load_editions_reused(Path(manuscript))
    if has_errors(diags):
        return [], diags
    return books, diags


def conversion_report(book: Book, cwd: Path | None = None, renames: list | None = None) -> str:
    """The conversion report of a converted edition (dist/<slug>-conversion.txt); renames from kwbook convert --to."""
    from importlib.metadata import version

    from .conversion.report import report_text
    from .lang import opencc_config

    title = text("convert.report-title", source=book.root.name, source_lang=book.source_language,
                 slug=book.config.slug, target_lang=book.config.language,
                 config=opencc_config(book.source_language, book.config.language), version=version("opencc"))
    return report_text(list(book.conversion), title, cwd, renames=renames or [])


def write_conversion_report(book: Book, dist: Path) -> Path:
    from .writers.output import atomic_output

    target = conversion_report_path(dist, book.config.slug)
    Path(dist).mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as tmp:
        Path(tmp).write_text(conversion_report(book, book.root), encoding="utf-8")  # paths as in the manuscript
    return target


def _edition(books: list[Book], edition: str | None) -> Book | None:
    if edition is None:
        return books[0] if books else None
    return next((b for b in books if b.config.slug == edition), None)


def _edition_task(manuscript: Path, edition: str | None, work) -> bool:
    """A doit action's frame: work(book) on one edition; False (task failed) on errors in the sources or the build."""
    from .errors import BuildError

    books, diags = editions(manuscript)
    book = _edition(books, edition)
    if book is None:
        print_diagnostics(diags)
        return False
    try:
        work(book)
    except BuildError as exc:
        print(text("ui.error", message=exc), file=sys.stderr)
        return False
    return True


def build_task(manuscript: Path, fmt: str, target: Path, edition: str | None = None) -> bool:
    """doit action: one format of one edition (the press PDF, the cover)."""
    return _edition_task(manuscript, edition, lambda book: build_format(book, fmt, target, styles_dir(manuscript)))


def book_task(manuscript: Path, dist: Path, edition: str | None = None) -> bool:
    """doit action: the PDF, EPUB and DOCX of one edition, together (build_books), and its conversion report."""
    return _edition_task(manuscript, edition, lambda book: build_books([book], manuscript, Path(dist)))


def build(manuscript: Path, dist: Path, formats: tuple[str, ...] = FORMATS) -> tuple[list[Path], list[Diagnostic]]:
    """Check, then write each format to dist/<slug>.<ext>; nothing is written when there is an error."""
    books, diags = editions(manuscript)
    if not books:
        return [], diags
    return build_books(books, manuscript, dist, formats), diags


def build_books(books: list[Book], manuscript: Path, dist: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write each format of each edition to dist/<slug>.<ext> (and a converted edition's report).

    The screen and press PDFs come from one layout. With other formats to write, the DOCX (it needs no page
    map) is written by a forked child process (writers/aside.py) while this one writes the PDFs, and the EPUB is
    written from the page map while the PDF's parts are merged.

    Every output is renamed into place only once all of them are written (writers/output.together): a build
    that fails or is interrupted leaves the previous outputs in dist/ as they were.
    """
    from .writers.output import together

    targets = [Path(dist) / f"{book.config.slug}{SUFFIX[fmt]}" for book in books for fmt in formats]
    targets += [conversion_report_path(Path(dist), book.config.slug) for book in books]
    with together(targets):
        return _build_books(books, manuscript, dist, formats)


def _build_books(books: list[Book], manuscript: Path, dist: Path, formats: tuple[str, ...]) -> list[Path]:
    from .writers.aside import Aside

    styles = styles_dir(manuscript)
    written = []
    for book in books:  # the manuscript's edition, then each converted edition with its conversion report
        paths = {fmt: Path(dist) / f"{book.config.slug}{SUFFIX[fmt]}" for fmt in formats}
        aside = Aside(build_format, book, "docx", paths["docx"], styles) if "docx" in formats and len(formats) > 1 else None
        done: dict[str, Path] = {}
        try:
            pdfs = {variant: paths[fmt] for variant, fmt in (("screen", "pdf"), ("press", "print")) if fmt in formats}
            if pdfs:
                from .writers.pdf import write_pdfs

                def epub():
                    done["epub"] = build_format(book, "epub", paths["epub"], styles)

                write_pdfs(book, pdfs, styles, meanwhile=epub if "epub" in formats and "screen" in pdfs else None)
                done.update({fmt: paths[fmt] for fmt in ("pdf", "print") if fmt in formats})
            for fmt in formats:
                if fmt not in done and not (aside and fmt == "docx"):
                    done[fmt] = build_format(book, fmt, paths[fmt], styles)
            if aside:
                done["docx"] = aside.result()  # its BuildError is raised here
        finally:
            if aside:
                aside.stop()
        written += [done[fmt] for fmt in formats]
        if book.conversion or book.source_language:
            written.append(write_conversion_report(book, Path(dist)))
    return written


def check_editions(manuscript: Path, editorial: bool = False) -> tuple[list[Book], list[Diagnostic]]:
    """Every edition (none when there is an error) and every diagnostic, the editorial warnings (lint) with editorial."""
    books, diags = editions(manuscript)
    if editorial and (Path(manuscript) / "book.yaml").is_file():
        from .diagnostics import sort_key

        diags = sorted(diags + lint(manuscript), key=sort_key)
    return books, diags


def watch_task(manuscript: Path, dist: Path) -> bool:
    """doit action: `kwbook watch` until Ctrl-C."""
    from .watch import watch_task as run

    return run(manuscript, dist)


def verify(manuscript: Path, dist: Path, formats: tuple[str, ...] = FORMATS) -> tuple[list, list[Diagnostic]]:
    """Read dist/<slug>.pdf, .epub, .docx back and compare them with the manuscript (kwbook.verify.Verdict each).

    No verdicts when the manuscript itself has an error.
    """
    from .verify import verify_outputs

    books, diags = editions(manuscript)
    verdicts = []
    for book in books:  # each edition's outputs against its own (converted) book
        paths = {fmt: Path(dist) / f"{book.config.slug}{SUFFIX[fmt]}" for fmt in formats}
        verdicts += verify_outputs(book, paths)
    return verdicts, diags


def print_verdicts(verdicts, diags: list[Diagnostic], stream=None) -> bool:
    """One line per output; True when every output carries the whole book."""
    stream = stream or sys.stdout
    if not verdicts:
        print_diagnostics(diags)
        print(text("ui.verify-refused"), file=sys.stderr)
        return False
    for verdict in verdicts:
        print(verdict.describe(), file=stream if verdict.ok else sys.stderr)
    return all(v.ok for v in verdicts)


def verify_task(manuscript: Path, dist: Path) -> bool:
    """doit action: `kwbook verify` on the three outputs; False (task failed) on any difference."""
    return print_verdicts(*verify(manuscript, dist))


def a11y(epubs: list[Path]) -> list:
    """Ace by DAISY on each EPUB; its reports go to dist/<slug>-ace/ (kwbook.a11y.AceReport each)."""
    from .a11y import run_ace

    return [run_ace(Path(epub)) for epub in epubs]


def print_ace_reports(reports, stream=None) -> bool:
    """The verdict for each EPUB and every violation (rule, document, element); True when none has one."""
    for report in reports:
        out = stream or (sys.stdout if report.ok else sys.stderr)
        for line in report.describe():
            print(line, file=out)
    return all(r.ok for r in reports)


def a11y_task(manuscript: Path, dist: Path) -> bool:
    """doit action: Ace on every edition's EPUB; False (task failed) on any violation or when Ace cannot run."""
    from .errors import BuildError

    try:
        return print_ace_reports(a11y(epub_paths(manuscript, dist)))
    except BuildError as exc:
        print(text("ui.error", message=exc), file=sys.stderr)
        return False


__all__ = ["a11y", "a11y_task", "book_task", "build", "build_format", "build_task", "check", "editions", "edition_slugs", "conversion_report", "lint", "code_files", "epub_paths", "output_path", "page_map_path", "source_files", "style_files", "styles_dir", "verify", "verify_task"]
