"""The PDF laid out in parts and merged equals the single-document PDF: pages, text, outline, links, page map."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import run_kwbook
from pdfread import page_texts


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, target page index) of every outline item."""
    found = []
    with pikepdf.open(pdf) as doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    found.append((depth, item.title, index[item.destination[0].objgen]))
                    walk(item.children, depth + 1)
            walk(tree.root, 0)
    return found


def links(pdf: Path) -> list[tuple[int, int]]:
    """(page index of the link, page index it lands on) of every link; external links fail the test."""
    found = []
    with pikepdf.open(pdf) as doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        names = dict(pikepdf.NameTree(doc.Root.Names.Dests).items())
        for i, page in enumerate(doc.pages):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                assert "/Dest" in annot, f"page {i + 1}: a link that is not internal: {annot.get('/A')}"
                dest = annot.Dest
                dest = names[str(dest)] if isinstance(dest, pikepdf.String) else dest
                found.append((i, index[dest[0].objgen]))
    return found


def page_labels(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as doc:
        return [page.label for page in doc.pages]


def assert_same_book(parts: Path, single: Path) -> None:
    a, b = page_texts(parts), page_texts(single)
    assert len(a) == len(b) > 10
    differ = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]
    assert not differ, f"text differs on pages {differ[:10]}"
    assert outline(parts) == outline(single)
    found = links(parts)
    assert len(found) > 100 and found == links(single)


def _boxes(pdf: Path) -> list[tuple[list[float], list[float], list[float]]]:
    """(MediaBox, TrimBox, BleedBox) of every page, in points (a missing box is the MediaBox)."""
    with pikepdf.open(pdf) as doc:
        return [tuple([round(float(v), 1) for v in page.obj.get(name, page.obj.MediaBox)]
                      for name in ("/MediaBox", "/TrimBox", "/BleedBox")) for page in doc.pages]


def test_one_layout_gives_the_screen_and_the_press_pdf(built151, print151, screen_single151, single151,
                                                      book151_dir):
    """built151 asks for the screen and the press PDF in one build: each part laid out once, written twice."""
    screen, press = built151["pdf"], print151
    parts = (screen.parent / ".build" / "sample-151" / "parts")
    keys = {path.name.split(".")[0] for path in parts.glob("*.pdf")}
    assert len(keys) >= 9 and all((parts / f"{key}.{variant}.pdf").exists() for key in keys
                                   for variant in ("screen", "press"))
    # the screen PDF as the screen route writes it: same text on every page, same page map, tagged, trim-size pages
    assert page_texts(screen) == page_texts(screen_single151)
    assert json.loads((screen.parent / ".sample-151.pages.json").read_text(encoding="utf-8"))["pages"] == \
        json.loads((screen_single151.parent / ".sample-151.pages.json").read_text(encoding="utf-8"))["pages"]
    assert outline(screen) == outline(screen_single151)
    with pikepdf.open(screen) as doc:
        assert "/StructTreeRoot" in doc.Root and "/OutputIntents" not in doc.Root and str(doc.Root.Lang) == "zh-Hant"
    assert all(media == trim == bleed for media, trim, bleed in _boxes(screen))
    # the press PDF as the press route writes it: same text, bleed beyond the trim on every page, preflight clean
    assert_same_book(press, single151)
    assert all(bleed[2] - bleed[0] > trim[2] - trim[0] + 10 for _, trim, bleed in _boxes(press))
    with pikepdf.open(press) as doc:
        assert "/StructTreeRoot" not in doc.Root and len(doc.Root.OutputIntents) == 1
    check = run_kwbook("preflight", press, book151_dir)
    assert check.returncode == 0, check.stdout + check.stderr


def test_parts_equal_single_document(print151, single151, built151, book151_dir, tmp_path):
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers.partbuild import PartBuilder

    assert len(list((print151.parent / ".build" / "sample-151" / "parts").glob("*.pdf"))) >= 9
    assert_same_book(print151, single151)
    # the page map of the merged parts is the one the EPUB cites (made from the single screen PDF), page for page
    book, _ = load_book(book151_dir)
    builder = PartBuilder(book, api.styles_dir(book151_dir), print151.parent, press=True)
    _, merged = builder.write(tmp_path / "again.pdf")
    assert builder.laid_out == 0  # every part from the cache
    whole = json.loads((built151["pdf"].parent / ".sample-151.pages.json").read_text(encoding="utf-8"))
    assert merged["key"] == whole["key"] and merged["pages"] == whole["pages"]


def test_tagged_screen_pdf_from_parts_equals_single_document(built151, screen_single151):
    """The default screen PDF is merged from tagged parts: one structure tree, equal to the single document's."""
    from pdfread import structure, tag_problems

    parts = built151["pdf"]
    assert len(list((parts.parent / ".build" / "sample-151" / "parts").glob("*.pdf"))) >= 9
    assert_same_book(parts, screen_single151)
    tree, reference = structure(parts), structure(screen_single151)
    assert len(tree) > 10000 and [r for r, _, _ in tree].count("H1") > 151
    assert tree == reference, "same elements (role, depth, text through the MCIDs) in the same order"
    assert tag_problems(parts) == [] and tag_problems(screen_single151) == []
    check = subprocess.run(["qpdf", "--check", str(parts)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr
    with pikepdf.open(parts) as pdf:
        roots = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructTreeRoot"]
        assert len(roots) == 1 and len(pdf.Root.StructTreeRoot.K) == 1, "one tree, one Document element"
        keys = [int(pdf.Root.StructTreeRoot.ParentTree.Nums[i]) for i in range(0, len(pdf.Root.StructTreeRoot.ParentTree.Nums), 2)]
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(keys) + 1
        assert str(pdf.Root.Lang) == "zh-Hant" and bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) and str(pdf.docinfo.Title)
        xmp = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/XML"]
        assert len(xmp) == 1 and b"pdfuaid" in xmp[0].read_bytes()
        ids = [str(o.ID) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem" and "/ID" in o]
        assert len(ids) == len(set(ids)), "table header IDs stay unique across parts"


def test_merged_pdf_structure(print151):
    pdf = print151
    labels = page_labels(pdf)
    assert labels[:3] == ["i", "ii", "iii"] and "1" in labels
    body = labels.index("1")
    assert labels[body:] == [str(n) for n in range(1, len(labels) - body + 1)]
    with pikepdf.open(pdf) as doc:
        top = [title for depth, title, _ in outline(pdf) if depth == 0]
        assert top[-8:-1] == ["戰略類", "脫貧類", "經濟類", "生態類", "文化類", "社會類", "黨建類"]
        assert sum(depth == 1 for depth, _, _ in outline(pdf)) == 151  # every entry under its category
        for page in doc.pages[:40]:
            for font in (page.Resources.get("/Font") or {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor")
                assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_print_pdf_in_parts_passes_preflight(print151, book151_dir):
    check = run_kwbook("preflight", print151, book151_dir)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(print151) as doc:
        assert len(doc.Root.OutputIntents) == 1 and "/Metadata" in doc.Root
        assert all("/TrimBox" in p.obj and "/BleedBox" in p.obj for p in doc.pages)


def test_an_edit_that_adds_a_page_converges(tmp_path):
    """Small parts; an entry in the first part grows by a page: later parts move, the book equals --single."""
    book = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 24, book).returncode == 0
    env = {**os.environ, "KWBOOK_PART_ENTRIES": "2"}
    build = lambda *args: subprocess.run([sys.executable, "-m", "kwbook.cli", "build", book, "--format", "print", *args],
                                         env=env, capture_output=True, text=True)
    dist = tmp_path / "dist"
    assert build("-o", dist).returncode == 0
    before = outline(dist / "sample-24-print.pdf")
    entry = sorted((book / "entries" / "zhanlue").glob("*.md"))[0]  # in the first part
    text = entry.read_text(encoding="utf-8")
    extra = "\n\n" + "新增的段落用來讓這一條多出一頁，後面各段的頁碼都要隨之移動。" * 40 + "\n"
    entry.write_text(text.rstrip("\n") + extra, encoding="utf-8")
    assert build("-o", dist).returncode == 0
    after = outline(dist / "sample-24-print.pdf")
    moved = [a[1] for a, b in zip(after, before) if a[2] > b[2]]
    assert len(moved) > 10, "the entries after the edited one moved to later pages"
    single = tmp_path / "single"
    assert build("--single", "-o", single).returncode == 0
    assert_same_book(dist / "sample-24-print.pdf", single / "sample-24-print.pdf")


def test_corrupt_or_missing_cache_costs_only_time(print151, book151_dir, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(print151.parent, dist)
    cache = dist / ".build" / "sample-151"
    parts = sorted((cache / "parts").glob("*.press.pdf"))
    parts[0].write_bytes(parts[0].read_bytes()[:1000])  # truncated
    parts[1].write_bytes(b"garbage")
    sorted((cache / "parts").glob("*.json"))[2].write_text("{", encoding="utf-8")
    (cache / "state.json").write_text("not json", encoding="utf-8")
    result = run_kwbook("build", book151_dir, "--format", "print", "-o", dist)
    assert result.returncode == 0, result.stderr
    assert_same_book(dist / "sample-151-print.pdf", print151)


def test_two_builds_at_once_share_the_cache_soundly(tmp_path, monkeypatch):
    """Two builds of one book into one dist/ at the same moment (one of the screen PDF, one of both PDFs): both
    succeed, each PDF is the book, and the part cache they wrote side by side serves the next build whole."""
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers.partbuild import PartBuilder

    book_dir, dist = tmp_path / "book", tmp_path / "dist"
    assert run_kwbook("sample", "--entries", 12, book_dir).returncode == 0
    monkeypatch.setenv("KWBOOK_PART_ENTRIES", "3")
    builds = [subprocess.Popen([sys.executable, "-m", "kwbook.cli", "build", str(book_dir), *formats, "-o", str(dist)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
              for formats in (("--format", "pdf"), ("--format", "pdf", "--format", "print"))]
    for build in builds:
        _, err = build.communicate()
        assert build.returncode == 0, err
    single = tmp_path / "single"
    for fmt in ("pdf", "print"):
        assert run_kwbook("build", book_dir, "--format", fmt, "--single", "-o", single).returncode == 0
    for name in ("sample-12.pdf", "sample-12-print.pdf"):
        assert page_texts(dist / name) == page_texts(single / name) and outline(dist / name) == outline(single / name)
    book, _ = load_book(book_dir)
    again = PartBuilder(book, api.styles_dir(book_dir), dist)
    again.write(tmp_path / "again.pdf")
    assert len(again.parts) >= 5 and again.laid_out == 0  # every part from the cache, none spoilt
    assert page_texts(tmp_path / "again.pdf") == page_texts(single / "sample-12.pdf")
    strays = [p.name for p in dist.rglob("*") if ".part" in p.suffixes[-1:] or "kwbook-" in p.name]
    assert strays == []


def test_cache_key_covers_every_input_and_reuses_untouched_parts(tmp_path, monkeypatch):
    """Each kind of input changed in turn: the parts it shapes are laid out again, the others reused."""
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers import partcache
    from kwbook.writers.partbuild import PartBuilder, plan_inputs
    from kwbook.writers.partcache import part_key

    book_dir = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 12, book_dir).returncode == 0
    monkeypatch.setenv("KWBOOK_PART_ENTRIES", "3")
    dist = tmp_path / "dist"

    def build(styles=None) -> tuple[PartBuilder, list[str]]:
        book, _ = load_book(book_dir)
        builder = PartBuilder(book, styles or api.styles_dir(book_dir), dist)
        builder.write(dist / "book.pdf")
        return builder, page_texts(dist / "book.pdf")

    first, text = build()
    total = len(first.parts)
    assert total >= 6 and first.laid_out >= total  # a first build with no state lays parts out twice
    again, same = build()
    assert again.laid_out == 0 and same == text  # nothing changed: every part from the cache

    entry = sorted((book_dir / "entries" / "shehui").glob("*.md"))[0]
    entry.write_text(entry.read_text(encoding="utf-8").replace("。", "，改動。", 1), encoding="utf-8")
    edited, new_text = build()
    assert 1 <= edited.laid_out < total and new_text != text
    assert any("改動" in page for page in new_text)

    def cached() -> list[bool]:
        """For each part, whether the cache holds it under the key this build would look it up by."""
        book, _ = load_book(book_dir)
        builder = PartBuilder(book, api.styles_dir(book_dir), dist)
        inputs = plan_inputs(builder.parts, builder.cache.read_state())
        keys = [part_key(builder.env, builder.job(part, inputs[part.name])) for part in builder.parts]
        return [builder.cache.get(key, builder.variants) is not None for key in keys]

    assert all(cached())
    # the installed fonts and kwbook's code change no page here: every key must still change (no layout needed)
    for name, attr, value in (("font", "_fonts", lambda: "another font set"),
                              ("code", "code_digest", lambda: b"another kwbook")):
        with monkeypatch.context() as patch:
            patch.setattr(partcache, attr, value)
            assert not any(cached()), f"a change of {name} must lay out every part again"
    assert all(cached())
    # book.yaml changed, and the build asks for both PDFs: each part laid out once again, written as both variants
    yaml = book_dir / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("edition: 第一版", "edition: 第二版"), encoding="utf-8")
    book, _ = load_book(book_dir)
    both = PartBuilder(book, api.styles_dir(book_dir), dist, variants=("screen", "press"))
    both.write_variants({"screen": dist / "screen.pdf", "press": dist / "press.pdf"})
    assert both.laid_out >= total, "a change of book.yaml must lay out every part again"
    edition_text = page_texts(dist / "screen.pdf")
    assert any("第二版" in page for page in edition_text) and not any("第一版" in page for page in edition_text)
    # a press build afterwards lays out nothing: the press variant of every part is in the cache
    press = PartBuilder(book, api.styles_dir(book_dir), dist, press=True)
    press.write(dist / "press-again.pdf")
    assert press.laid_out == 0 and page_texts(dist / "press-again.pdf") == edition_text == page_texts(dist / "press.pdf")
    assert all(media == trim == bleed for media, trim, bleed in _boxes(dist / "screen.pdf"))
    assert all(bleed != trim for _, trim, bleed in _boxes(dist / "press-again.pdf"))

    styles = tmp_path / "styles"
    shutil.copytree(api.styles_dir(book_dir), styles)
    css = styles / "print.css"
    css.write_text(css.read_text(encoding="utf-8").replace("line-height: 1.75", "line-height: 2"), encoding="utf-8")
    restyled, styled_text = build(styles)
    assert restyled.laid_out >= total and len(styled_text) > len(new_text)


def test_a_part_laid_out_leaves_no_layout_behind(tmp_path, monkeypatch):
    """The build's own process lays a part out and then forks the workers: the document must be gone by then.

    With the automatic collector off, a part's boxes left as cyclic garbage (thousands) would still be there.
    """
    import gc

    from weasyprint.formatting_structure.boxes import Box

    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers.partbuild import PartBuilder

    book_dir = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 3, book_dir).returncode == 0
    monkeypatch.setenv("KWBOOK_WORKERS", "1")  # every part laid out in this process
    book, _ = load_book(book_dir)
    builder = PartBuilder(book, api.styles_dir(book_dir), tmp_path / "dist")
    gc.collect()
    gc.disable()
    try:
        builder.write(tmp_path / "dist" / "book.pdf")
        left = sum(isinstance(o, Box) for o in gc.get_objects())
    finally:
        gc.enable()
    assert builder.laid_out >= 3 and (tmp_path / "dist" / "book.pdf").stat().st_size > 0
    assert left == 0


def test_a_part_that_prints_other_parts_pages_is_paginated_once(tmp_path, monkeypatch):
    """The index prints only page numbers of other parts, known before it is laid out: each page is made once.

    (WeasyPrint makes a page again when a page number it prints was not known the first time; the numbers
    given from other parts are known, so nothing is made twice: the index of the 151-entry book took 1.7 s to
    measure with its pages made twice, 0.8 s without.)
    """
    from weasyprint.layout import page as layout_page

    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers.partbuild import PartBuilder, plan_inputs
    from kwbook.writers.partwork import lay_out_part

    book_dir = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 3, book_dir).returncode == 0
    monkeypatch.setenv("KWBOOK_WORKERS", "1")
    book, _ = load_book(book_dir)
    builder = PartBuilder(book, api.styles_dir(book_dir), tmp_path / "dist")
    builder.write(tmp_path / "dist" / "book.pdf")  # the state the index's inputs come from
    index = builder.parts[-1]
    inputs = plan_inputs(builder.parts, builder.cache.read_state())[index.name]
    assert index.name == "index" and len(inputs["external"]) == 3

    made = []
    original = layout_page.remake_page
    monkeypatch.setattr(layout_page, "remake_page", lambda i, *rest: made.append(i) or original(i, *rest))
    result = lay_out_part({**builder.job(index, inputs), "measure": True})
    assert result["pages"] >= 1 and sorted(made) == list(range(result["pages"] + inputs["pads"]))


def test_a_measuring_layout_finds_what_the_real_one_does_without_margin_boxes(tmp_path, monkeypatch):
    """A first build measures parts (a layout, nothing written) with no margin boxes (running heads, folios): the
    pages, counters, anchors and bookmarks it finds are those of the real layout, which has its margin boxes."""
    from kwbook import api
    from kwbook.load import load_book
    from kwbook.writers import pdf
    from kwbook.writers.partbuild import PartBuilder, plan_inputs
    from kwbook.writers.partwork import lay_out_part

    book_dir = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 3, book_dir).returncode == 0
    book, _ = load_book(book_dir)
    builder = PartBuilder(book, api.styles_dir(book_dir), tmp_path / "dist")
    inputs = plan_inputs(builder.parts, {})
    boxes = []  # margin boxes on each page of the last layout
    original = pdf.lay_out_html

    def counting(*args):
        document, options = original(*args)
        boxes[:] = [len(page._page_box.children) - 1 for page in document.pages]
        return document, options

    monkeypatch.setattr(pdf, "lay_out_html", counting)
    for part in builder.parts:
        job = builder.job(part, inputs[part.name])
        measured = lay_out_part({**job, "measure": True})
        assert not any(boxes)
        real = lay_out_part({**job, "out": str(tmp_path / f"{part.name}.pdf")})
        assert any(boxes), part.name  # running heads and folios
        assert all(measured[k] == real[k] for k in ("pages", "blank", "counters", "anchors", "bookmarks")), part.name


def test_a_layout_worker_leaves_ctrl_c_to_the_build_and_freezes_what_it_inherits():
    """A worker ignores Ctrl-C (the build's process stops the pool) and puts what it inherits out of the collector's
    reach (gc.freeze), so collections during a layout walk only the worker's own objects."""
    import concurrent.futures
    import multiprocessing

    from kwbook.writers import partbuild

    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                                initializer=partbuild._worker_start) as pool:
        frozen, handler = pool.submit(_worker_state).result()
    assert frozen > 10000 and handler == signal.SIG_IGN


def _worker_state() -> tuple[int, object]:
    import gc

    return gc.get_freeze_count(), signal.getsignal(signal.SIGINT)
