"""Book → HTML: the one renderer shared by the PDF and EPUB writers (and, through them, the DOCX)."""

from .html import (
    category_heading,
    entry_article,
    front_section,
    print_document,
    quote_text,
    toc_list,
)

__all__ = ["category_heading", "entry_article", "front_section", "print_document", "quote_text", "toc_list"]
