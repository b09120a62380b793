"""doit tasks for kwbook: metadata only; every action calls kwbook.api.

    doit                                  check, then dist/<slug>.pdf, .epub, .docx
    doit manuscript=DIR dist=DIR          the same for another book
"""

from importlib.metadata import version
from pathlib import Path

from doit import get_var
from doit.tools import config_changed

from kwbook import api

MANUSCRIPT = Path(get_var("manuscript", "manuscript"))
DIST = Path(get_var("dist", "dist"))

DOIT_CONFIG = {"default_tasks": ["check", "pdf", "epub", "docx"], "verbosity": 2, "action_string_formatting": "new"}

SOURCES = [str(p) for p in api.source_files(MANUSCRIPT)]
CODE = [str(p) for p in api.code_files()]
STYLES = [str(p) for p in api.style_files(MANUSCRIPT)]
TOOLS = {name: version(name) for name in ("weasyprint", "ebooklib", "pypandoc-binary", "markdown-it-py", "pillow")}


def _check():
    _, diags = api.check(MANUSCRIPT)
    api.print_diagnostics(diags)
    return not any(d.severity == "error" for d in diags)


def task_check():
    """Check the manuscript: every entry's quote and its three sections, the whole book at once."""
    return {
        "actions": [_check],
        "file_dep": SOURCES + CODE,
        "uptodate": [config_changed(str(MANUSCRIPT.resolve()))],
    }


def _format_task(fmt, doc):
    target = api.output_path(MANUSCRIPT, DIST, fmt)
    return {
        "doc": doc,
        "actions": [(api.build_task, [MANUSCRIPT, fmt, target])],
        "file_dep": SOURCES + STYLES + CODE,
        "targets": [str(target)],
        "task_dep": ["check"],
        "uptodate": [config_changed({**TOOLS, "manuscript": str(MANUSCRIPT.resolve())})],
        "clean": True,
    }


def task_pdf():
    """Build the PDF for screen and proofs (WeasyPrint)."""
    return _format_task("pdf", task_pdf.__doc__)


def task_epub():
    """Build the EPUB 3 for e-readers (ebooklib)."""
    return _format_task("epub", task_epub.__doc__)


def task_docx():
    """Build the DOCX for editors who work in Word (pandoc)."""
    return _format_task("docx", task_docx.__doc__)
