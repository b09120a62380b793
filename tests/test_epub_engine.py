"""The EPUB's documents rendered in a real engine (Debian's chromium via playwright): fit, heading, CJK faces, 縱中橫."""

from __future__ import annotations

import base64
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import epub_variant, require, run_kwbook
from lxml import etree

from kwbook import a11y
from kwbook.writers.epubupright import mark_upright

try:
    from playwright import sync_api
except ImportError:  # the [test] extra is not installed: every test below says so (conftest.require)
    sync_api = None

CHROMIUM = next((Path(found) for name in a11y.CHROMIUM if (found := shutil.which(name))), None)
VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180)}
CJK_FACE = re.compile(r"Noto (Serif|Sans) CJK|AR PL", re.I)
TCY_TOLERANCE = 0.05            # a 縱中橫 cell: 1 em along the column (± 5 %), as wide as a Han character beside it


@pytest.fixture(autouse=True, scope="module")
def _browser() -> None:
    require(sync_api, "Playwright (the [test] extra)")
    require(CHROMIUM, "chromium (Debian's package)")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    """A generated 3-entry book built three times, unpacked: horizontal (no page list), vertical (with page list and
    its faces embedded, subset by HarfBuzz), and vertical in zh-Hans (the book converted with kwbook convert --to
    zh-Hans)."""
    root = tmp_path_factory.mktemp("engine")
    book = root / "h"
    assert run_kwbook("sample", "--entries", 3, "--seed", 3, book).returncode == 0
    assert run_kwbook("convert", book, "--to", "zh-Hans", "-o", root / "hans").returncode == 0
    horizontal = epub_variant(book, root / "hz", "{page_list: false}", slug="eng-h")
    vertical = epub_variant(book, root / "v", "{writing_mode: vertical, embed_fonts: true}", slug="eng-v")
    vertical_hans = epub_variant(root / "hans", root / "vh", "{writing_mode: vertical}", slug="eng-vh")
    for path in (horizontal, vertical, vertical_hans):
        result = run_kwbook("build", "--format", "epub", path, "-o", root / "dist")
        assert result.returncode == 0, result.stderr
    out = {}
    for edition, slug in (("horizontal", "eng-h"), ("vertical", "eng-v"), ("vertical-hans", "eng-vh")):
        with zipfile.ZipFile(root / "dist" / f"{slug}.epub") as z:
            z.extractall(root / edition)
        out[edition] = root / edition / "EPUB"
    return out


def entry_documents(folder: Path) -> list[Path]:
    return sorted(folder.glob("kw-*.xhtml"))


def body_text(path: Path) -> str:
    """The text a reader gets, whitespace runs collapsed as in layout (page-break markers bring their own indent)."""
    return " ".join(lxml.html.fromstring(path.read_bytes()).find(".//body").text_content().split())


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        engine = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield engine
        engine.close()


MEASURE = """() => {
  const d = document.documentElement, h = document.querySelector('h1.keyword').getBoundingClientRect();
  const flush = document.createElement('style');     // measure cells without justification's added space
  flush.textContent = '* { text-align: start !important; text-align-last: auto !important; text-justify: none !important; }';
  document.head.append(flush);
  const cells = [...document.querySelectorAll('span.tcy')].map(s => {
    const r = s.getBoundingClientRect();
    s.classList.remove('tcy');                       // the same run laid out without 縱中橫, for comparison
    const plain = s.getBoundingClientRect().height;
    s.classList.add('tcy');
    const ref = document.createRange(), next = s.nextSibling;   // the Han character after the cell
    let cjk = null;
    if (next && next.nodeType === 3 && /^[\u4e00-\u9fff]/.test(next.data)) {
      ref.setStart(next, 0); ref.setEnd(next, 1);
      const c = ref.getBoundingClientRect(); cjk = [c.width, c.height];
    }
    return {text: s.textContent, w: r.width, h: r.height, plain, cjk, em: parseFloat(getComputedStyle(s).fontSize)};
  });
  flush.remove();
  return {sw: d.scrollWidth, sh: d.scrollHeight, vw: innerWidth, vh: innerHeight,
          heading: [h.left, h.top, h.right, h.bottom], cells,
          mode: getComputedStyle(d).writingMode};
}"""


def screenshot(page, path: Path, scale: float = 1) -> None:
    """The viewport as a reader sees it (CDP capture: playwright's own comes out blank for vertical-rl pages)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # painted
    cdp = page.context.new_cdp_session(page)
    size, options = page.viewport_size, {"format": "png", "captureBeyondViewport": False}
    if scale != 1:
        # the clip is in document coordinates, whose origin a vertical-rl document puts left of the viewport
        left = -page.evaluate("document.documentElement.getBoundingClientRect().left")
        options["clip"] = {"x": left, "y": 0, "width": size["width"], "height": size["height"], "scale": scale}
    # at scale 1, no clip: a clip at x 0 caught the blank left of a scrolled vertical-rl document on a phone
    data = cdp.send("Page.captureScreenshot", options)["data"]
    path.write_bytes(base64.b64decode(data))
    cdp.detach()


def platform_fonts(page) -> dict[str, int]:
    """Family → glyph count of the faces chromium used for every element's own text (CDP CSS.getPlatformFontsForNode);
    a face the document brought (@font-face) is named "<family> (embedded)"."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
    ids = cdp.send("DOM.querySelectorAll", {"nodeId": root["nodeId"], "selector": "body, body *"})["nodeIds"]
    used: dict[str, int] = {}
    for node in ids:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            name = font["familyName"] + (" (embedded)" if font["isCustomFont"] else "")
            used[name] = used.get(name, 0) + font["glyphCount"]
    cdp.detach()
    return used


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("edition", ["horizontal", "vertical", "vertical-hans"])
def test_entries_in_chromium(editions, browser, edition, viewport, tmp_path):
    width, height = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": height})
    documents = entry_documents(editions[edition])
    assert len(documents) == 3
    cells = beside = longer = 0
    for doc in documents:
        page.goto(doc.as_uri())
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        m = page.evaluate(MEASURE)
        screenshot(page, tmp_path / f"{edition}-{viewport}-{doc.stem}.png")
        if m["cells"]:
            page.evaluate("document.querySelector('span.tcy').scrollIntoView({block: 'center', inline: 'center'})")
            screenshot(page, tmp_path / f"{edition}-{viewport}-{doc.stem}-tcy.png")
        if edition.startswith("vertical"):
            assert m["mode"] == "vertical-rl"
            assert m["sh"] <= m["vh"], f"{doc.name}: {m['sh']} px tall in a {m['vh']} px viewport"
        else:
            assert m["mode"] == "horizontal-tb" and m["cells"] == []
            assert m["sw"] <= m["vw"], f"{doc.name}: {m['sw']} px wide in a {m['vw']} px viewport"
        left, top, right, bottom = m["heading"]
        assert 0 <= left < right <= m["vw"] and 0 <= top < bottom <= m["vh"], f"{doc.name}: keyword heading at {m['heading']}"
        for cell in m["cells"]:
            em = cell["em"]
            assert abs(cell["h"] - em) <= TCY_TOLERANCE * em, cell          # one cell along the column
            if cell["cjk"]:                    # across the column: the line's em box, the same as a Han glyph's
                assert abs(cell["cjk"][1] - em) <= TCY_TOLERANCE * em and abs(cell["w"] - cell["cjk"][0]) <= 1, cell
                beside += 1
            if len(cell["text"]) == 2:         # without 縱中橫 the two characters would lie on their side, longer
                longer += cell["plain"] > (1 + TCY_TOLERANCE) * em
        cells += len(m["cells"])
        fonts = platform_fonts(page)
        assert fonts and all(CJK_FACE.search(name) for name in fonts), f"{doc.name}: {fonts}"
        embedded = [name.endswith("(embedded)") for name in fonts]
        # the vertical edition embeds its faces: chromium accepted the subsets and found every character in them
        assert all(embedded) if edition == "vertical" else not any(embedded), f"{doc.name}: {fonts}"
        if edition == "vertical-hans":     # mainland faces only: SC glyph forms and vertical marks
            assert all(re.search(r"CJK SC|KaitiM GB", name) for name in fonts), f"{doc.name}: {fonts}"
    page.close()
    if edition.startswith("vertical"):
        assert cells >= 3 and beside >= 3 and longer >= 3     # the sample's entries have dates and counts: 8, 12, 66 …


def test_vertical_text_and_pages_unchanged(editions):
    """Wrapping spans change no character; the vertical edition keeps its print page breaks and rtl spine."""
    horizontal, vertical = editions["horizontal"], editions["vertical"]
    for doc in sorted(horizontal.glob("*.xhtml")):
        if doc.name in ("copyright.xhtml", "nav.xhtml"):      # the colophon and page list: print page numbers
            continue
        assert body_text(vertical / doc.name) == body_text(doc), doc.name
    html = "".join(p.read_text(encoding="utf-8") for p in entry_documents(vertical))
    assert re.search(r'<span class="tcy">\d\d</span>', html) and re.search(r'<span class="upright">\d{4}</span>', html)
    assert not re.search(r'\d<span class="(tcy|upright)">|</span>\d', html.replace('epub:type="pagebreak"', ""))
    assert "tcy" not in "".join(p.read_text(encoding="utf-8") for p in entry_documents(horizontal))
    assert 'epub:type="pagebreak"' in html
    opf = (vertical / "content.opf").read_text(encoding="utf-8")
    assert 'page-progression-direction="rtl"' in opf


@pytest.mark.parametrize(("html", "marked"), [
    ("<p>2016年12月，66家、8個，AI與GDP</p>", ["upright:2016", "tcy:12", "tcy:66", "tcy:8", "tcy:AI"]),
    ("<p>12345人，3.14倍，2017-05-01，urn:x:3，Ab，abc12</p>", []),
    ("<p><a>9</a>號<code>12</code> 34</p>", ["tcy:9", "tcy:34"]),
])
def test_upright_rule(html, marked):
    root = lxml.html.fragment_fromstring(html)
    text = root.text_content()
    mark_upright(root)
    assert root.text_content() == text
    assert [f"{s.get('class')}:{s.text}" for s in root.iter("span")] == marked
    assert etree.tostring(root, encoding="unicode").count("<span") == len(marked)


AUTOSPACE = """() => {
  // every paragraph whose text has a Han–Latin/digit boundary: its extent with the EPUB's styles and without autospace
  const boundary = /[\\u4e00-\\u9fff](?=[A-Za-z0-9])|[A-Za-z0-9](?=[\\u4e00-\\u9fff])/g;
  const out = [];
  for (const p of document.querySelectorAll('p')) {
    const n = (p.textContent.match(boundary) || []).length;
    if (!n) continue;
    const span = document.createElement('span');           // the paragraph's text as one unbroken run
    span.style.whiteSpace = 'nowrap';
    span.textContent = p.textContent;
    p.after(span);
    const spaced = span.getBoundingClientRect().width;
    span.style.textAutospace = 'no-autospace';
    const plain = span.getBoundingClientRect().width;
    span.remove();
    out.push({n, added: spaced - plain, em: parseFloat(getComputedStyle(p).fontSize)});
  }
  return {value: getComputedStyle(document.body).textAutospace, paragraphs: out};
}"""


def test_text_autospace_applies_in_chromium(editions, browser):
    """The EPUB asks for CJK–Latin spacing with text-autospace; Debian's chromium applies it (1/8 em a boundary)."""
    css = (editions["horizontal"] / "style" / "epub.css").read_text(encoding="utf-8")
    assert "text-autospace: normal" in css
    page = browser.new_page(viewport={"width": 820, "height": 1180})
    found = []
    for doc in entry_documents(editions["horizontal"]):
        page.goto(doc.as_uri())
        result = page.evaluate(AUTOSPACE)
        assert result["value"] == "normal"
        found += result["paragraphs"]
    page.close()
    assert sum(p["n"] for p in found) > 10
    for p in found:  # each boundary gets 1/8 em (CSS Text 4); the text itself carries no spans
        assert abs(p["added"] - p["n"] * p["em"] / 8) <= 0.5, p


MARK_BOXES = """() => {
  const flush = document.createElement('style');     // em boxes without justification's added space
  flush.textContent = '* { text-align: start !important; text-align-last: auto !important; text-justify: none !important; }';
  document.head.append(flush);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), boxes = [];
  for (let node; (node = walker.nextNode()); ) {
    for (let i = 0; i < node.data.length; i++) {
      if (!'。，、'.includes(node.data[i])) continue;
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      const b = r.getBoundingClientRect();
      if (b.left >= 0 && b.top >= 0 && b.right <= innerWidth && b.bottom <= innerHeight && b.width > 8)
        boxes.push([node.data[i], b.left, b.top, b.width, b.height]);
    }
  }
  return boxes;
}"""


@pytest.mark.parametrize(("edition", "corner"), [("vertical-hans", True), ("vertical", False)])
def test_vertical_marks_in_chromium(editions, browser, edition, corner, tmp_path):
    """Vertical 。，、 as each edition's readers expect: in the upper right of the em box for the mainland (the SC
    faces' vertical forms, GB/T 15834), centred for Taiwan (the TC faces' vertical forms); measured from the ink."""
    from PIL import Image

    scale = 3
    page = browser.new_page(viewport={"width": 820, "height": 1180})
    centres = []
    for doc in entry_documents(editions[edition]):
        page.goto(doc.as_uri())
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        boxes = page.evaluate(MARK_BOXES)
        shot = tmp_path / f"{edition}-{doc.stem}-marks.png"
        screenshot(page, shot, scale)
        image = Image.open(shot).convert("L")
        assert image.size == (820 * scale, 1180 * scale)
        for mark, left, top, width, height in boxes:
            crop = image.crop((round(left * scale), round(top * scale), round((left + width) * scale),
                               round((top + height) * scale)))
            ink = [(x, y) for y in range(crop.height) for x in range(crop.width) if crop.getpixel((x, y)) < 128]
            if ink:
                centres.append((mark, sum(x for x, _ in ink) / len(ink) / crop.width,
                                sum(y for _, y in ink) / len(ink) / crop.height))
    page.close()
    assert len(centres) >= 30, centres
    for mark, x, y in centres:
        if corner:
            assert x > 0.55 and y < 0.45, (doc.name, mark, x, y)     # right half, upper half
        else:
            assert 0.35 < x < 0.65 and 0.35 < y < 0.65, (doc.name, mark, x, y)
