"""The part cache: each laid-out part's PDFs (screen, press) and its layout facts, keyed by what shapes its pages.

It lives in dist/.build/<slug>/ (git-ignored with dist/, removed by `doit clean`). A key is a digest of the
part's own HTML (its entries' text, the front matter it prints, the pad pages carrying the running heads), its
page counter at start and its side (pad pages), the page numbers it prints from other parts, and the build's
environment: book.yaml, the styles, kwbook's code, WeasyPrint's version and the installed fonts. Files are
written atomically; a missing, truncated or foreign file is a miss, so a broken cache costs time, never a
wrong book. The state file keeps the last build's page counts and anchors, from which the next build predicts
where each part starts.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import lru_cache
from pathlib import Path

from .output import atomic_output

FORMAT = 2
VARIANTS = ("screen", "press")  # one layout, written as the tagged screen PDF and as the press PDF


def cache_dir(dist: Path, slug: str) -> Path:
    return Path(dist) / ".build" / slug


@lru_cache(maxsize=1)
def _fonts() -> str:
    """Every font file fontconfig sees, with its size and modification time."""
    try:
        files = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "no fc-list"
    lines = []
    for name in sorted(set(files.split("\n")) - {""}):
        try:
            stat = Path(name).stat()
            lines.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}")
        except OSError:
            lines.append(name)
    return "\n".join(lines)


def code_digest() -> bytes:
    """A digest of kwbook's own modules (their names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def environment(book_yaml: Path, styles: Path, extra: list[str]) -> str:
    """The digest of what every part depends on besides its own HTML."""
    import weasyprint

    digest = hashlib.sha256(f"kwbook-parts-{FORMAT}\nweasyprint {weasyprint.__version__}\n".encode())
    digest.update(code_digest())
    digest.update(_fonts().encode())
    try:
        digest.update(Path(book_yaml).read_bytes())
    except OSError:
        digest.update(b"no book.yaml")
    for sheet in sorted(p for p in Path(styles).rglob("*") if p.is_file()):
        digest.update(str(sheet.relative_to(styles)).encode() + b"\0" + sheet.read_bytes())
    for text in extra:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def part_key(environment_digest: str, job: dict) -> str:
    """The key of one part's layout: its HTML, CSS (start counter, pads), press geometry, the other parts' pages it prints.

    The variants written from that layout (screen, press) are files under the same key.
    """
    fields = {k: job[k] for k in ("html", "css", "press", "pads", "external")}
    if job.get("icc"):
        stat = Path(job["icc"]).stat()
        fields["icc"] = [job["icc"], stat.st_size, stat.st_mtime_ns]
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((environment_digest + "\n" + text).encode("utf-8")).hexdigest()


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class PartCache:
    """Part PDFs and results under dist/.build/<slug>/parts/, and the state of the last build."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.parts = self.root / "parts"
        self.fonts = self.root / "fonts"  # the merge's joined font programs (writers/partfonts.py)

    def pdf(self, key: str, variant: str) -> Path:
        """The part's PDF in one variant (screen or press) of its one layout."""
        return self.parts / f"{key}.{variant}.pdf"

    def _read(self, key: str) -> dict:
        data = json.loads((self.parts / f"{key}.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("sha256"), dict):
            raise ValueError(key)
        return data

    def get(self, key: str, variants: tuple[str, ...]) -> dict | None:
        """The stored result of a part, if its PDF in every one of variants is there and intact; None otherwise."""
        try:
            data = self._read(key)
            if any(data["sha256"].get(v) != _sha(self.pdf(key, v)) for v in variants):
                return None
            return data["result"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, result: dict, variants: tuple[str, ...]) -> None:
        """Record a part whose PDFs in variants were just written (other variants of the same key are kept)."""
        try:
            known = self._read(key)["sha256"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            known = {}
        sha = {v: s for v, s in known.items() if v in VARIANTS and v not in variants}
        sha.update({v: _sha(self.pdf(key, v)) for v in variants})
        data = {"format": FORMAT, "sha256": sha, "result": result}
        with atomic_output(self.parts / f"{key}.json") as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def read_state(self) -> dict:
        try:
            data = json.loads((self.root / "state.json").read_text(encoding="utf-8"))
            return data["parts"] if data.get("format") == FORMAT and isinstance(data.get("parts"), dict) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def write_state(self, parts: dict) -> None:
        with atomic_output(self.root / "state.json") as tmp:
            tmp.write_text(json.dumps({"format": FORMAT, "parts": parts}, ensure_ascii=False), encoding="utf-8")

    def prune(self, keep: set[str], limit: int = 400) -> None:
        """Drop the oldest parts beyond limit (all their files), never one of keep."""
        try:
            files = sorted(self.parts.glob("*.json"), key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for record in files[: max(0, len(files) - limit)]:
            if record.stem not in keep:
                for path in [record, *(self.pdf(record.stem, v) for v in VARIANTS)]:
                    path.unlink(missing_ok=True)
