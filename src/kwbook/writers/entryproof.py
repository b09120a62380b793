"""The one-entry proof: dist/proof/<keyword>.pdf, one entry's pages exactly as in the book, laid out alone.

A converted edition's proof (its own pages, its own text) is dist/proof/<slug>/<keyword>.pdf.

The entry is laid out as a part of its own (writers/parts.py) from the last part-wise build's state
(dist/.build/<slug>/state.json): the page counter and side its first page has in the book, the running-head
strings carried by the pad pages, and the page numbers of every anchor it cites in the rest of the book. When
the entry's page count changes, the anchors after it move (a category opening on a right-hand page absorbs an
odd shift with a blank page) and the entry is laid out once more with the moved numbers. The state must have
been measured on the same book except this entry (each unit's digest, the layout environment); otherwise the
parts are laid out first (cached) to bring it up to date. The proof carries the book's folios as page labels;
links into other entries are dropped (they have no page in the proof).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from ..model import Book, Entry
from .output import atomic_output
from .partbuild import PartBuilder
from .partmerge import set_page_labels
from .parts import Part, unit_digest
from .partwork import LINK_SCHEME, lay_out_part

_FIRST_ID = re.compile(r'\bid="([^"]+)"')


class ProofError(LookupError):
    """The keyword is not an entry of the book."""


def proof_path(dist: Path, entry: Entry, book: Book | None = None) -> Path:
    """dist/proof/<keyword>.pdf; a converted edition's in dist/proof/<slug>/ (a keyword may read the same in both).

    A keyword that cannot be a file name keeps its anchor.
    """
    name = entry.keyword if re.fullmatch(r"[^/\\\0:*?\"<>|]+", entry.keyword) and entry.keyword[0] != "." else entry.anchor
    folder = Path(dist) / "proof"
    if book is not None and book.source_language:
        folder = folder / book.config.slug
    return folder / f"{name}.pdf"


def find_entry(book: Book, keyword: str, source: Book | None = None) -> Entry:
    """The entry whose keyword, anchor or source file name (without .md) is keyword.

    source: the manuscript's own edition, when book is converted from it: the keyword may be given in either.
    """
    for candidate in ([book, source] if source is not None else [book]):
        for entry in candidate.entries:
            if keyword in (entry.keyword, entry.anchor, Path(entry.location.path).stem):
                same = Path(entry.location.path).resolve()
                for found in book.entries:
                    if Path(found.location.path).resolve() == same:
                        return found
    raise ProofError(keyword)


def _fresh(builder: PartBuilder, state: dict, own: str) -> bool:
    """The state was measured on this book, save the unit own (the entry being proofed), with the same styles."""
    env = builder.layout_env()
    for part in builder.parts:
        info = state.get(part.name)
        if not info or info.get("env") != env or len(info.get("units", ())) != len(part.units):
            return False
        if any(old != unit_digest(u) and unit_digest(u) != own for old, u in zip(info["units"], part.units)):
            return False
    return True


def current_state(builder: PartBuilder, own_unit: str) -> dict:
    """The last build's state if it fits this book; else the parts laid out (cache first) and the state saved."""
    state = builder.cache.read_state()
    if not _fresh(builder, state, unit_digest(own_unit)):
        state = builder.state(builder.run())
        builder.cache.write_state(state)
    return state


def ensure_state(book: Book, styles: Path, dist: Path) -> None:
    """Bring the state up to date with the whole book (parts from the cache where they are there)."""
    current_state(PartBuilder(book, styles, dist, press=False), "")


def _unit_of(parts: list[Part], anchor: str) -> tuple[int, int]:
    for p, part in enumerate(parts):
        for u, unit in enumerate(part.units):
            if f'id="{anchor}"' in unit[:400]:
                return p, u
    raise ProofError(anchor)


def anchor_pages(parts: list[Part], state: dict, anchor: str, delta: int = 0,
                 right: bool = False) -> dict[str, tuple[int, int]]:
    """Every anchor's (page index in the book, page counter), the entry anchor's pages grown by delta.

    right: every entry opens on a right-hand page (entry_start: right), so an entry followed by another in its part
    ends with the blank page that puts the next on the right, when it ends on a right-hand page; its pages in the
    last build (own_pages) count that blank, the entry laid out alone does not. The entries after it in its part
    move to the first right-hand page after its new end (an index even in the book).
    """
    p_own, u_own = _unit_of(parts, anchor)
    found: dict[str, tuple[int, int]] = {}
    offset, shift = 0, None
    for p, part in enumerate(parts):
        info = state[part.name]
        if shift is not None and part.opens_right:  # a blank page before it comes or goes with an odd shift
            shift += (offset + shift) % 2 - info.get("blank", 0)
        after, within = None, delta
        if p == p_own:
            following = [m.group(1) for u in part.units[u_own + 1:] for m in [_FIRST_ID.search(u)] if m]
            after = min((info["anchors"][a][0] for a in following if a in info["anchors"]), default=info["pages"])
            if right and after < info["pages"]:  # the next entry: the first right-hand page after the entry
                moved_to = offset + after + delta
                within = moved_to + moved_to % 2 - (offset + after)
        for name, (index, counter) in info["anchors"].items():
            moved = shift if shift is not None else (within if after is not None and index >= after else 0)
            found[name] = (offset + index + moved, counter + moved)
        if p == p_own:
            shift = within
        offset += info["pages"]
    return found


def own_pages(parts: list[Part], state: dict, anchor: str) -> int:
    """How many pages the entry has in the last build (its anchor to the next unit's, or the part's end)."""
    p_own, u_own = _unit_of(parts, anchor)
    info = state[parts[p_own].name]
    following = [m.group(1) for u in parts[p_own].units[u_own + 1:] for m in [_FIRST_ID.search(u)] if m]
    end = min((info["anchors"][a][0] for a in following if a in info["anchors"]), default=info["pages"])
    return end - info["anchors"][anchor][0]


def write_entry_proof(book: Book, keyword: str, styles: Path, dist: Path,
                      source: Book | None = None) -> tuple[Path, int, list[str]]:
    """Write the entry's proof (proof_path) atomically; returns its path, page count and folios.

    source: the manuscript's own edition when book is a converted one (the keyword may be given in either).
    """
    entry = find_entry(book, keyword, source)
    builder = PartBuilder(book, styles, dist, press=False)
    p_own, u_own = _unit_of(builder.parts, entry.anchor)
    unit = builder.parts[p_own].units[u_own]
    state = current_state(builder, unit)
    category = next(c.title for c in book.categories if any(e.anchor == entry.anchor for e in c.entries))
    part = Part(f"proof-{entry.anchor}", [unit], category)
    before = own_pages(builder.parts, state, entry.anchor)
    target = proof_path(dist, entry, book)
    with atomic_output(target) as tmp:
        delta, last = 0, None
        for _ in range(3):  # a second layout when the entry's page count moved the pages it cites
            pages = anchor_pages(builder.parts, state, entry.anchor, delta, book.config.entry_start == "right")
            index, counter = pages[entry.anchor]
            inputs = {"start": counter, "pads": 2 if index % 2 == 0 else 1,
                      "external": {name: pages.get(name, (0, 1))[1] for name in sorted(part.refs)}}
            if inputs == last:
                break
            result = lay_out_part({**builder.job(part, inputs), "out": str(tmp)})
            delta, last = result["pages"] - before, inputs
        _finish(Path(tmp), result["labels"])
    return target, result["pages"], result["labels"]


def _finish(path: Path, labels: list[str]) -> None:
    """The book's folios as page labels; links into the rest of the book removed."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if annots is None:
                continue
            keep = [a for a in annots if not bytes(a.get("/A", {}).get("/URI", b"")).startswith(LINK_SCHEME.encode())]
            if len(keep) != len(annots):
                page.obj.Annots = pikepdf.Array(keep)
        set_page_labels(pdf, labels)
        pdf.save(path)
