"""The parts' PDFs merged into one book with pikepdf: pages in order, one outline, named destinations, links, labels.

The first part (the front matter) gives the document its metadata, XMP and output intent; every other part
brings its pages only. Named destinations of all parts go into one name tree; links a part wrote to another
part's anchor (`kwbook:#anchor` URIs) become internal links to that destination; the outline is rebuilt from
every part's bookmarks with their CSS levels, so a run of entries continues under its category; page labels
follow the printed folios (i, ii … then 1, 2 …). Tagged parts (the screen PDF) have their structure trees joined
into one (writers/partstruct.py); each face's font subsets are joined into one font (writers/partfonts.py);
content streams are copied unchanged. Objects are packed in object streams, as in a single-document PDF.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .partfonts import dedupe_fonts
from .partstruct import StructMerger, tagged
from .partwork import LINK_SCHEME


def _outline_items(pdf: pikepdf.Pdf) -> list[tuple[str, Array]]:
    """(title, destination) of every outline item, in document order."""
    found = []
    with pdf.open_outline() as outline:
        def walk(items):
            for item in items:
                found.append((item.title, item.destination))
                walk(item.children)
        walk(outline.root)
    return found


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, Array]]:
    names = pdf.Root.get("/Names", {}).get("/Dests")
    if names is None:
        return []
    return [(str(k), v) for k, v in pikepdf.NameTree(names).items()]


def page_label_ranges(labels: list[str]) -> list[tuple[int, str, int]]:
    """(first page index, style r or D, first number) for each run of consecutive folios of one style."""
    from .pagemap import roman

    ranges: list[tuple[int, str, int]] = []
    previous = None
    for i, label in enumerate(labels):
        if label.isdigit():
            style, value = "D", int(label)
        else:
            style, value = "r", next((n for n in range(1, 4000) if roman(n) == label), 1)
        if previous is None or previous[0] != style or previous[1] + 1 != value:
            ranges.append((i, style, value))
        previous = (style, value)
    return ranges


def set_page_labels(pdf: pikepdf.Pdf, labels: list[str]) -> None:
    nums = Array()
    for index, style, start in page_label_ranges(labels):
        nums.append(index)
        nums.append(Dictionary(S=Name("/" + style), St=start))
    pdf.Root.PageLabels = Dictionary(Nums=nums)


def merge(parts: list[tuple[Path, list[list]]], target: Path, labels: list[str], fonts: Path | None = None) -> Path:
    """Merge part PDFs (path, bookmarks as [level, title]) into target; labels: the folio of every page.

    fonts: a folder caching the joined font programs (none: they are joined anew).

    One part is open at a time: its pages and structure are copied into the first part's document, then it is
    closed, and its parsed objects with it (qpdf keeps the data of the streams copied from it). With every part
    open to the end, 1,510 entries took 958 MiB; one at a time, 614 MiB, the same bytes.
    """
    out = pikepdf.open(parts[0][0])
    try:
        dests: dict[str, Array] = {}
        outline: list[tuple[int, str, Array]] = []
        structure = StructMerger(out) if tagged(out) else None
        _take(out, out, parts[0], dests, outline, None)
        for path, bookmarks in parts[1:]:
            with pikepdf.open(path) as src:
                if (structure is not None) != tagged(src):
                    raise ValueError(f"{path}: some parts are tagged and some are not")
                _take(out, src, (path, bookmarks), dests, outline, structure)
        if structure is not None:
            structure.finish()
        dedupe_fonts(out, fonts)
        _share_profiles(out)
        _relink(out)
        names = Array()
        for name in sorted(dests, key=lambda s: s.encode("utf-16-be")):
            names.append(String(name))
            names.append(out.make_indirect(dests[name]))
        out.Root.Names = Dictionary(Dests=Dictionary(Names=names))
        _rebuild_outline(out, outline)
        set_page_labels(out, labels)
        # The front part's /ID hashes its own bytes, which differ with the build folder; the merged file's ID is
        # a hash of the merged file instead, so the same book gives the same bytes wherever it is built.
        if "/ID" in out.trailer:
            del out.trailer["/ID"]
        out.save(target, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        out.close()
    return Path(target)


def _take(out: pikepdf.Pdf, src: pikepdf.Pdf, part: tuple[Path, list[list]], dests: dict[str, Array],
          outline: list[tuple[int, str, Array]], structure: StructMerger | None) -> None:
    """Append src's pages to out (src is out for the first part) and collect its destinations and outline items
    (pointing at out's pages) and its structure tree."""
    path, bookmarks = part
    offset = len(out.pages) if src is not out else 0
    where = {page.objgen: i for i, page in enumerate(src.pages)}
    found_dests, found_outline = _dests(src), _outline_items(src)
    if src is not out:
        with warnings.catch_warnings():  # named destinations are carried over by the caller
            warnings.simplefilter("ignore")
            out.pages.extend(src.pages)

    def moved(dest: Array) -> Array:
        page = out.pages[offset + where[dest[0].objgen]].obj
        return Array([page, *list(dest)[1:]])

    for name, dest in found_dests:
        dests.setdefault(name, moved(dest))
    if len(found_outline) != len(bookmarks):
        raise ValueError(f"{path}: {len(found_outline)} outline items, {len(bookmarks)} bookmarks")
    outline += [(level, title, moved(dest)) for (level, _), (title, dest) in zip(bookmarks, found_outline)]
    if structure is not None:
        structure.add(src, offset)


_PROFILE_KEYS = {"/N", "/Alternate", "/Range", "/Filter", "/DecodeParms", "/Length", "/Metadata"}


def _share_profiles(pdf: pikepdf.Pdf) -> None:
    """One copy of each ICC profile: every part brings its own (the press PDF's CMYK, in colour spaces and
    transparency groups); references to an identical copy are pointed at the first."""
    import hashlib

    first: dict[bytes, pikepdf.Stream] = {}
    alias: dict[tuple[int, int], pikepdf.Stream] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and "/N" in obj and set(obj.keys()) <= _PROFILE_KEYS:
            key = hashlib.sha256(repr(sorted((k, str(v)) for k, v in obj.items() if k != "/Length")).encode()
                                 + obj.read_raw_bytes()).digest()
            if first.setdefault(key, obj).objgen != obj.objgen:
                alias[obj.objgen] = first[key]
    if not alias:
        return

    def fix(container) -> None:
        pairs = list(enumerate(container)) if isinstance(container, Array) else list(container.items())
        for key, value in pairs:
            if isinstance(value, pikepdf.Stream) and value.objgen in alias:
                container[key] = alias[value.objgen]
            elif isinstance(value, (Dictionary, Array)) and not value.is_indirect:
                fix(value)

    for obj in pdf.objects:
        if isinstance(obj, (Dictionary, Array, pikepdf.Stream)):
            fix(obj)


def _relink(pdf: pikepdf.Pdf) -> None:
    """kwbook:#anchor URI links → internal links to the named destination."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != "/URI":
                continue
            uri = bytes(action.URI).decode("utf-8", "replace")
            if uri.startswith(LINK_SCHEME):
                del annot["/A"]
                annot.Dest = String(uri[len(LINK_SCHEME):])


def _rebuild_outline(pdf: pikepdf.Pdf, items: list[tuple[int, str, Array]]) -> None:
    """One outline from (level, title, destination) in document order: each item under the last shallower one."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, title, dest in items:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(title)
            item.destination = dest
            stack[-1][1].append(item)
            stack.append((level, item.children))
