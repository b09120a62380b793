"""CJK–Latin spacing (typography.latin_spacing) and decorative artifacts, read back from real PDFs."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import run_kwbook
from kwbook.render.autospace import autospace, boundary

BOUNDARY_SPACE = re.compile(r"[0-9A-Za-z] [\u4e00-\u9fff]|[\u4e00-\u9fff] [0-9A-Za-z]")


def test_spans_go_around_the_latin_run_beside_a_han_character():
    assert autospace("<p>2016年12月</p>") == (
        '<p><span class="ls ls-r">2016</span>年<span class="ls ls-l ls-r">12</span>月</p>')
    assert autospace("<p>用AI技術</p>") == '<p>用<span class="ls ls-l ls-r">AI</span>技術</p>'
    # punctuation on either side takes no spacing; a run is never split
    assert autospace("<p>〔2016〕69號，3.5%的</p>") == (
        '<p>〔2016〕<span class="ls ls-r">69</span>號，3.5%的</p>')
    assert autospace("<p>在 machine learning 中</p>") == "<p>在 machine learning 中</p>"
    assert autospace("<p>自2017-05-01起</p>") == '<p>自<span class="ls ls-l ls-r">2017-05-01</span>起</p>'
    # seen through a link, not through a footnote call or a block
    assert autospace('<p><a href="#x">年</a>2016</p>') == '<p><a href="#x">年</a><span class="ls ls-l">2016</span></p>'
    assert autospace('<p>年<sup class="fn">1</sup>起</p>') == '<p>年<sup class="fn">1</sup>起</p>'
    assert autospace("<p>年</p><p>2016</p>") == "<p>年</p><p>2016</p>"
    # full-width digits and attributes are left alone
    assert autospace('<p title="年2016">２０１６年</p>') == '<p title="年2016">２０１６年</p>'
    assert boundary("年", "A") and boundary("9", "月") and not boundary("，", "9") and not boundary("A", "B")


def _variant(source: Path, dest: Path, typography: str | None) -> Path:
    shutil.copytree(source, dest)
    if typography is not None:
        yaml = dest / "book.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8") + f"\ntypography: {typography}\n", encoding="utf-8")
    return dest


@pytest.mark.parametrize("value", ["1.5em", "0.25", "abc", "-1em", "true", "[1]"])
def test_bad_latin_spacing_is_refused_with_its_place(tmp_path, value):
    book = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 2, book).returncode == 0
    yaml = book / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"\ntypography: {{latin_spacing: {value}}}\n", encoding="utf-8")
    result = run_kwbook("check", book, "--lang", "en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"book\.yaml:\d+:\d+: error: .*typography\.latin_spacing.*\[config-type\]", result.stderr + result.stdout)


@pytest.fixture(scope="module")
def spaced_and_unspaced(tmp_path_factory):
    """A 6-entry book built with the default spacing and with `latin_spacing: 0` (the screen PDF, one document)."""
    root = tmp_path_factory.mktemp("autospace")
    assert run_kwbook("sample", "--entries", 6, root / "src").returncode == 0
    out = {}
    for name, typography in (("on", None), ("off", "{latin_spacing: 0}")):
        book = _variant(root / "src", root / name, typography)
        result = run_kwbook("build", book, "--format", "pdf", "--single", "-o", root / f"dist-{name}")
        assert result.returncode == 0, result.stderr
        out[name] = root / f"dist-{name}" / "sample-6.pdf"
    return out


def boundary_gaps(pdf: Path, size: float = 10.5) -> list[float]:
    """The gap (in em) at every Han–Latin/digit boundary of the body text, as pdfplumber reads the glyphs."""
    gaps = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if abs(c["size"] - size) < 0.05]
            for a, b in zip(chars, chars[1:]):
                if abs(a["top"] - b["top"]) < 1 and boundary(a["text"], b["text"]):
                    gaps.append((b["x0"] - a["x1"]) / size)
    return gaps


def test_quarter_em_between_han_and_latin_and_copying_gives_no_space(spaced_and_unspaced):
    on, off = boundary_gaps(spaced_and_unspaced["on"]), boundary_gaps(spaced_and_unspaced["off"])
    assert len(on) > 50 and abs(len(on) - len(off)) <= len(off) * 0.05  # lines break a little differently
    # ¼ em; a justified line may widen a few a little (clreq lets it stretch up to ½ em)
    assert min(on) >= 0.24 and max(on) <= 0.5 and 0.245 <= statistics.median(on) <= 0.26, (min(on), max(on))
    assert max(off) < 0.05  # latin_spacing: 0 switches it off
    poppler = subprocess.run(["pdftotext", str(spaced_and_unspaced["on"]), "-"], capture_output=True, text=True,
                             check=True).stdout
    with pdfplumber.open(spaced_and_unspaced["on"]) as doc:
        plumber = "\n".join(page.extract_text() for page in doc.pages)
    import pypdfium2  # PDFium (Chrome's reader, and kwbook verify) reads the ActualText of the innermost sequence

    with pypdfium2.PdfDocument(spaced_and_unspaced["on"]) as doc:
        pdfium = "\n".join(page.get_textpage().get_text_range() for page in doc)
    for text in (poppler, plumber, pdfium):  # the real spaces: 第 16 頁, 10 畫, a contents line, a copyright-table cell
        assert "2016年" in text and "12月" in text
        assert "2016 年" not in text and BOUNDARY_SPACE.findall(re.sub(r"第 \d+ 頁|\d+ 畫|\.+\d+ |日期 ", "", text)) == []


def test_actual_text_is_one_tagged_sequence_per_group(spaced_and_unspaced):
    """Each group is one balanced /Span sequence holding its MCID and ActualText, with no sequence nested inside."""
    with pikepdf.open(spaced_and_unspaced["on"]) as pdf:
        actual = 0
        for page in pdf.pages:
            stack = []
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("BDC", "BMC"):
                    props = operands[1] if str(op) == "BDC" else pikepdf.Dictionary()
                    if "/ActualText" in props:
                        actual += 1
                        assert "/MCID" in props and stack == []
                    assert not any("/ActualText" in p for p in stack)
                    stack.append(props)
                elif str(op) == "EMC":
                    stack.pop()
            assert stack == []
        assert actual > 20


def test_spacing_on_the_151_entry_book(built151):
    """≥ 99 % of Han–Latin/digit boundaries in the body have ≥ 0.2 em; pdftotext copies none with a space."""
    gaps = boundary_gaps(built151["pdf"])
    assert len(gaps) > 400
    assert sum(g >= 0.2 for g in gaps) / len(gaps) >= 0.99
    text = subprocess.run(["pdftotext", str(built151["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    assert "2016年" in text and "2016 年" not in text


def _marked_text(pdf: Path, pages: range) -> Counter:
    """How many glyph-showing operators draw inside each kind of marked content (innermost tag and type)."""
    found: Counter = Counter()
    with pikepdf.open(pdf) as doc:
        for n in pages:
            stack = []
            for operands, op in pikepdf.parse_content_stream(doc.pages[n]):
                name = str(op)
                if name == "BDC":
                    props = operands[1]
                    kind = "MCID" if "/MCID" in props else str(props.get("/Type", ""))
                    stack.append(f"{operands[0]}{kind}")
                elif name == "BMC":
                    stack.append(str(operands[0]))
                elif name == "EMC":
                    stack.pop()
                elif name in ("Tj", "TJ"):
                    text = bytes(operands[0]) if name == "Tj" else b""
                    found[(stack[-1] if stack else "", text)] += 1
    return found


def test_leaders_and_running_heads_are_artifacts(built151):
    """The contents' dot leaders and the folios sit in /Artifact marked content, never in a structure element."""
    with pdfplumber.open(built151["pdf"]) as doc:
        toc = [i for i, page in enumerate(doc.pages[:30]) if (page.extract_text() or "").count("....") > 10]
        dots = {i: [c for c in doc.pages[i].chars if c["text"] == "."] for i in toc}
        folios = {i: [c for c in doc.pages[i].chars if c["top"] > doc.pages[i].height * 0.9] for i in range(40, 45)}
        lines = sum("...." in line for line in doc.pages[toc[0]].extract_text().splitlines())
    assert toc and all(len(d) > 100 for d in dots.values())
    # pdfplumber gives each glyph the MCID of the marked content around it: leaders and folios have none
    assert all(c.get("mcid") is None and c.get("tag") == "Artifact" for d in dots.values() for c in d)
    assert all(c.get("mcid") is None and c.get("tag") == "Artifact" for f in folios.values() for c in f)
    kinds = _marked_text(built151["pdf"], range(toc[0], toc[0] + 1))
    # one run of dots a contents line (writers/leaders.py), each drawn as an artifact
    assert sum(n for (k, _), n in kinds.items() if k == "/Artifact/Layout") == lines > 20
    assert sum(n for (k, _), n in kinds.items() if k == "/SpanMCID") > 20  # the entries and page numbers stay content
    # every MCID a page draws is in the ParentTree, and every ParentTree entry of a page is drawn
    with pikepdf.open(built151["pdf"]) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            mcids = [int(o[1].MCID) for o, op in pikepdf.parse_content_stream(page) if str(op) == "BDC" and "/MCID" in o[1]]
            assert mcids == list(range(len(mcids)))
            assert len(tree[int(page.obj.StructParents)]) == len(mcids)
