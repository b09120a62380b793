"""doit tasks for kwbook: metadata only; every action calls kwbook.api.

    doit                                  check, then build: dist/<slug>.pdf, .epub, .docx
    doit manuscript=DIR dist=DIR          the same for another book
    doit edition                          every other edition of book.yaml `editions:` (part of plain `doit`)
    doit a11y                             Ace by DAISY on the EPUB (scripts/setup.sh --test installs Ace)
"""

from importlib.metadata import version
from pathlib import Path

from doit import get_var
from doit.task import clean_targets
from doit.tools import config_changed

from kwbook import api

MANUSCRIPT = Path(get_var("manuscript", "manuscript"))
DIST = Path(get_var("dist", "dist"))

DOIT_CONFIG = {"default_tasks": ["check", "build", "edition"], "verbosity": 2, "action_string_formatting": "new"}

SOURCES = [str(p) for p in api.source_files(MANUSCRIPT)]
CODE = [str(p) for p in api.code_files()]
STYLES = [str(p) for p in api.style_files(MANUSCRIPT)]
TOOLS = {name: version(name) for name in ("weasyprint", "ebooklib", "pypandoc-binary", "markdown-it-py", "pillow", "fonttools", "opencc")}
api.follow_book(MANUSCRIPT)                    # messages in the book's script
EDITIONS = api.edition_slugs(MANUSCRIPT)[1:]   # book.yaml editions: converted from the manuscript


def _check():
    # editorial warnings (kwbook lint) included; the build's writers imported while the lint child works
    _, diags = api.check(MANUSCRIPT, lint=True, meanwhile=api.import_writers)
    api.print_diagnostics(diags)
    return not any(d.severity == "error" for d in diags)


def task_check():
    """Check the manuscript: every entry's quote and its three sections, the whole book at once."""
    return {
        "actions": [_check],
        "file_dep": SOURCES + CODE,
        "uptodate": [config_changed({"manuscript": str(MANUSCRIPT.resolve()), "opencc": version("opencc")})],
    }


def _book_task(edition=None):
    """The PDF (with its page map), EPUB and DOCX of one edition, written together by one action."""
    targets = [api.output_path(MANUSCRIPT, DIST, fmt, edition) for fmt in api.FORMATS]
    targets.append(api.page_map_path(MANUSCRIPT, DIST, edition))  # where each page begins, for the EPUB
    if edition:
        targets.append(api.conversion_report_path(DIST, edition))
    return {
        "actions": [(api.book_task, [MANUSCRIPT, DIST, edition])],
        "file_dep": SOURCES + STYLES + CODE,
        "targets": [str(t) for t in targets],
        "task_dep": ["check"],
        "uptodate": [config_changed({**TOOLS, "manuscript": str(MANUSCRIPT.resolve())})],
        "clean": [clean_targets, (api.clean_parts, [MANUSCRIPT, DIST])],  # and the part cache, dist/.build/
    }


def task_build():
    """Build the PDF (screen, proofs), the EPUB 3 (its page list from the PDF's pages) and the DOCX."""
    return _book_task()


def _print_task(edition=None):
    pdfs = [api.output_path(MANUSCRIPT, DIST, fmt, edition) for fmt in api.PRESS]
    return {
        "actions": [(api.build_task, [MANUSCRIPT, fmt, path, edition]) for fmt, path in zip(api.PRESS, pdfs)]
        + [(api.preflight_task, [MANUSCRIPT, pdfs])],
        "file_dep": SOURCES + STYLES + CODE,
        "targets": [str(p) for p in pdfs],
        "task_dep": ["check"],
        "uptodate": [config_changed({**TOOLS, "manuscript": str(MANUSCRIPT.resolve())})],
        "clean": True,
    }


def task_print():
    """Build the press PDF (PDF/X-4, CMYK, bleed, crop marks) and the cover, then preflight both."""
    return _print_task()


def task_proof():
    """Write PNG contact sheets (4 × 4 pages) of the PDF to dist/proof/."""
    pdf = api.output_path(MANUSCRIPT, DIST, "pdf")
    out = DIST / "proof"
    return {
        "actions": [(api.proof_task, [pdf, out])],
        "file_dep": [str(pdf)],
        "targets": [str(out / f"{pdf.stem}-01.png")],
    }


def task_watch():
    """Watch the manuscript: on each save check, write the entry's proofs (dist/proof/), rebuild; Ctrl-C stops."""
    return {"actions": [(api.watch_task, [MANUSCRIPT, DIST])], "verbosity": 2}


def task_edition():
    """Build every other edition (book.yaml editions): PDF, EPUB, DOCX, conversion report; print and cover by name."""
    for slug in EDITIONS:
        yield {**_book_task(slug), "name": slug}


def task_edition_print():
    """Press PDF and cover of every other edition (book.yaml editions), then preflight both."""
    for slug in EDITIONS:
        yield {**_print_task(slug), "name": slug}


def task_verify():
    """Read the PDF, EPUB and DOCX of every edition back and check that each carries the whole book, word for word."""
    outputs = [str(api.output_path(MANUSCRIPT, DIST, fmt, slug)) for slug in api.edition_slugs(MANUSCRIPT) for fmt in api.FORMATS]
    return {
        "actions": [(api.verify_task, [MANUSCRIPT, DIST])],
        "file_dep": outputs + SOURCES + CODE,
        "task_dep": ["build", "edition"],
        "uptodate": [config_changed({"manuscript": str(MANUSCRIPT.resolve()), "pypdfium2": version("pypdfium2")})],
    }


def task_a11y():
    """Check every edition's EPUB with Ace by DAISY: reports in dist/<slug>-ace/, fails on any violation."""
    from kwbook.a11y import ACE_VERSION, reports_dir

    epubs = api.epub_paths(MANUSCRIPT, DIST)
    return {
        "actions": [(api.a11y_task, [MANUSCRIPT, DIST])],
        "file_dep": [str(p) for p in epubs],
        "task_dep": ["build", "edition"],
        "targets": [str(reports_dir(p) / "report.json") for p in epubs],
        "uptodate": [config_changed({"ace": ACE_VERSION})],
    }
