"""A WeasyPrint URL fetcher that serves only files inside allowed folders: no network, no other file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher


class RefusedResource(FatalURLFetchingError):
    """A resource outside the allowed folders was requested."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class SafeFetcher(URLFetcher):
    """Fetch file: URLs below one of roots and data: URLs; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise RefusedResource(url)
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise RefusedResource(url)
        return super().fetch(url, headers)
