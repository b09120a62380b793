"""zh-Hans books: defaults, faces, language tags, quotes and mainland punctuation, read back from every format.

tests/roots/hans is a Simplified manuscript written from Simplified sources (the 东西部扶贫协作 material of the
shared corpus) with a Taiwan edition declared in book.yaml; it is built once for the module, both editions.
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import PROJECT, ROOTS, copy_root, run_kwbook
from pdfread import fonts
from test_docx import libreoffice_convert
from test_epub import epubcheck_problems

from kwbook import api
from kwbook.lang import profile
from kwbook.load.config import load_settings

HANS, TW = "hans-keywords", "hans-keywords-tw"
EM = 10.5
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hans-dist")
    result = run_kwbook("build", ROOTS / "hans", "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_language_decides_sections_index_and_words():
    settings, diags = load_settings(ROOTS / "hans/book.yaml")
    assert not diags
    config = settings.config
    assert config.sections == ("概念内涵", "缘由演进", "实践成效")
    assert config.index_sort == "pinyin"
    assert profile("zh-Hant-TW").sections == ("概念內涵", "緣由演進", "實踐成效")
    assert profile("zh-Hant").index_sort == "strokes"


def test_unknown_language_is_an_error(tmp_path):
    root = copy_root("hans", tmp_path)
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: zh-Hans", "language: ja"), encoding="utf-8")
    _, diags = api.check(root)
    assert [(d.code, d.line) for d in diags if d.severity == "error"] == [("config-language", 5)]


def test_check_messages_follow_the_book_language(tmp_path):
    root = copy_root("hans", tmp_path)
    entry = root / "entries/tuopin/建档立卡.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("## 缘由演进\n", ""), encoding="utf-8")
    result = run_kwbook("check", root, cwd=tmp_path)
    assert result.returncode == 1
    assert "缺少章节“缘由演进”（应为“## 缘由演进”）" in result.stderr
    traditional = run_kwbook("check", root, "--lang", "zh", cwd=tmp_path)
    assert "缺少章節「缘由演进」（應為「## 缘由演进」）" in traditional.stderr  # the title is the book's own


def test_sc_faces_in_the_pdf_and_tc_faces_in_the_taiwan_edition(dist):
    hans, tw = fonts(dist / f"{HANS}.pdf"), fonts(dist / f"{TW}.pdf")
    assert all(hans.values()) and all(tw.values()), "every face embedded"
    hans, tw = {n.split("+")[-1] for n in hans}, {n.split("+")[-1] for n in tw}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold", "AR-PL-KaitiM-GB"} <= set(hans)
    assert not [f for f in hans if "TC" in f or "UKai" in f]
    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC-Bold", "AR-PL-UKai-TW"} <= set(tw)
    assert not [f for f in tw if "SC" in f or "GB" in f]
    for name, lang in ((HANS, "zh-Hans"), (TW, "zh-Hant-TW")):
        with pikepdf.open(dist / f"{name}.pdf") as pdf:
            assert str(pdf.Root.Lang) == lang


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", "", "".join((p.extract_text() or "") for p in pdf.pages))


def test_quote_pattern_and_book_words(dist):
    hans, tw = _pdf_text(dist / f"{HANS}.pdf"), _pdf_text(dist / f"{TW}.pdf")
    assert "《报告》指出：“深化东西部扶贫协作" in hans and "实现‘先富帮后富’。”" in hans
    assert "《報告》指出：「深化東西部扶貧協作" in tw and "實現『先富幫後富』。」" in tw
    assert "目录" in hans and "关键词索引" in hans and "参见：东西部扶贫协作（第" in hans and "【概念内涵】" in hans
    assert "目錄" in tw and "關鍵詞索引" in tw and "參見：東西部扶貧協作（第" in tw and "【概念內涵】" in tw


def test_keyword_index_by_pinyin_and_by_strokes():
    from kwbook.render.html import words
    from kwbook.render.index import index_groups

    hans, tw = api.editions(ROOTS / "hans")[0]
    groups = [(label, [e.keyword for e in entries]) for label, entries in
              index_groups(hans.entries, hans.config.index_sort, words(hans.config))]
    # 东 dōng, 建 jiàn, 五 wǔ: the quotation mark before 五个一批 does not count
    assert groups == [("D", ["东西部扶贫协作"]), ("J", ["建档立卡"]), ("W", ["“五个一批”"])]
    groups = [(label, [e.keyword for e in entries]) for label, entries in
              index_groups(tw.entries, tw.config.index_sort, words(tw.config))]
    assert groups == [("4 畫", ["「五個一批」"]), ("8 畫", ["東西部扶貧協作", "建檔立卡"])]


def test_epub_language_fonts_and_epubcheck(dist, tmp_path):
    epub = dist / f"{HANS}.epub"
    assert epubcheck_problems(epub) == []
    with zipfile.ZipFile(epub) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
        entry = z.read(next(n for n in z.namelist() if n.endswith("kw-001.xhtml"))).decode()
        nav = z.read(next(n for n in z.namelist() if n.endswith("nav.xhtml"))).decode()
    assert "<dc:language>zh-Hans</dc:language>" in opf
    assert 'lang="zh-Hans" xml:lang="zh-Hans"' in entry
    assert "《报告》指出：“深化" in entry
    assert "本书为纯文字出版品" in opf and "本書" not in opf  # the accessibility summary in Simplified
    assert ">目录<" in nav and "目錄" not in nav


def test_epub_embeds_the_sc_faces(tmp_path):
    root = copy_root("hans", tmp_path)
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "epub: {embed_fonts: true}\n", encoding="utf-8")
    result = run_kwbook("build", root, "--format", "epub", "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    epub = tmp_path / "dist" / f"{HANS}.epub"
    assert epubcheck_problems(epub) == []
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(epub) as z:
        names = {}
        for n in z.namelist():
            if n.startswith("EPUB/fonts/") or "/fonts/" in n:
                import io

                font = TTFont(io.BytesIO(z.read(n)))
                names[Path(n).stem] = font["name"].getDebugName(1)
    assert names["serif"] == "Noto Serif CJK SC" and names["sans"] == "Noto Sans CJK SC"
    assert names["kai"] == "AR PL KaitiM GB"


def test_docx_language_and_faces_survive_libreoffice(dist, tmp_path):
    docx = dist / f"{HANS}.docx"
    with zipfile.ZipFile(docx) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and "zh-TW" not in styles
    for face in ("SimSun", "SimHei", "KaiTi"):
        assert f'w:eastAsia="{face}"' in styles
    saved = libreoffice_convert(docx, tmp_path, "docx:MS Word 2007 XML")
    with zipfile.ZipFile(saved) as z:
        again = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in again and 'w:eastAsia="SimSun"' in again
    pdf = libreoffice_convert(docx, tmp_path / "pdf", "pdf")
    assert "东西部扶贫协作" in _pdf_text(pdf)
    # with kwbook's fontconfig aliases the Windows faces become the Debian ones: KaiTi → AR PL KaitiM GB
    # (GBZenKai); the Noto CJK faces share one CFF named …CJKjp in the collection, so only Kai tells
    mapped = libreoffice_convert(docx, tmp_path / "mapped", "pdf", PROJECT / "styles/windows-faces.conf")
    assert any("GBZenKai" in f for f in fonts(mapped)) and not any("GBZenKai" in f for f in fonts(pdf))
    assert "《报告》指出：“深化东西部扶贫协作" in _pdf_text(mapped)


def test_press_pdf_and_cover_pass_preflight(tmp_path):
    out = tmp_path / "dist"
    for fmt in ("print", "cover"):
        result = run_kwbook("build", ROOTS / "hans", "--format", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
    for name in (HANS, TW):
        for suffix, cover in (("-print.pdf", False), ("-cover.pdf", True)):
            findings = api.preflight(out / f"{name}{suffix}", ROOTS / "hans", cover=cover)
            assert not [f for f in findings if f.severity == "error"], [f.format() for f in findings]
    cover_fonts = [n.split("+")[-1] for n in fonts(out / f"{HANS}-cover.pdf")]
    assert cover_fonts and all(f.startswith("Noto-S") and "SC" in f for f in cover_fonts), cover_fonts


# --- punctuation measured on the page ----------------------------------------------------------------------

SCALE = 600 / 72


def _body_chars(pdf, font: str, size: float | None = EM):
    """(page index, chars of the face at 10.5 pt, or any size) for every page."""
    for n, page in enumerate(pdf.pages):
        chars = [c for c in page.chars if c["fontname"].endswith(font) and (size is None or abs(c["size"] - size) < 0.05)]
        if chars:
            yield n, chars


def _lines(chars) -> list[list[dict]]:
    rows: dict[float, list] = {}
    for c in chars:
        rows.setdefault(round(c["top"], 1), []).append(c)
    return [sorted(row, key=lambda c: c["x0"]) for row in rows.values()]


def _ink_centres(path: Path, font: str, marks: str) -> list[tuple[str, float, float]]:
    """For each mark: its ink centre in its em box, as fractions of the em (0.5, 0.5 = centred).

    The box is cut at the next glyph's origin, so a compressed mark's neighbour does not count.
    """
    out = []
    doc = pdfium.PdfDocument(str(path))
    with pdfplumber.open(path) as pdf:
        for n, chars in _body_chars(pdf, font):
            wanted = [(c, row[i + 1]["x0"] if i + 1 < len(row) else c["x0"] + EM)
                      for row in _lines(chars) for i, c in enumerate(row) if c["text"] in marks]
            if not wanted:
                continue
            image = doc[n].render(scale=SCALE).to_pil().convert("L")
            for c, end in wanted:
                right = min(c["x0"] + EM, end)
                # the ideographic em box of Noto CJK: 0.88 em above the baseline, 0.12 em below it
                baseline = pdf.pages[n].height - c["matrix"][5]
                box = (round(c["x0"] * SCALE), round((baseline - 0.88 * EM) * SCALE), round(right * SCALE),
                       round((baseline + 0.12 * EM) * SCALE))
                crop = image.crop(box)
                ink = [(x, y) for y in range(crop.height) for x in range(crop.width) if crop.getpixel((x, y)) < 128]
                if ink:
                    out.append((c["text"], statistics.fmean(x for x, _ in ink) / (EM * SCALE),
                                statistics.fmean(y for _, y in ink) / crop.height))
    return out


def test_mainland_marks_sit_in_the_corner_taiwan_marks_in_the_centre(dist):
    hans = _ink_centres(dist / f"{HANS}.pdf", "Noto-Serif-CJK-SC", "。，、")
    tw = _ink_centres(dist / f"{TW}.pdf", "Noto-Serif-CJK-TC", "。，、")
    assert len(hans) > 40 and len(tw) > 40
    for mark, x, y in hans:
        assert x < 0.4 and y > 0.55, (mark, x, y)      # left half, lower half of the em box
    for mark, x, y in tw:
        assert 0.35 < x < 0.65 and 0.3 < y < 0.7, (mark, x, y)   # centred


CLOSING = "。，、；：？！”’）》」』"
MARKS = CLOSING + "“‘（《「『"


def _advances(path: Path, font: str, pairs_of: str = CLOSING, size: float | None = EM) -> tuple[list[float], list[float]]:
    """(advance of each closing mark followed by another mark, minus an em or the line's usual advance if that
    is less; each other ideograph's advance minus the line's usual one), from consecutive glyphs on one line."""
    pairs, others = [], []

    def ideograph(c) -> bool:
        return len(c["text"]) == 1 and c["text"] not in MARKS and ord(c["text"]) > 0x3000

    with pdfplumber.open(path) as pdf:
        for _, chars in _body_chars(pdf, font, size):
            for row in _lines(chars):
                steps = [(a, b, b["x0"] - a["x0"]) for a, b in zip(row, row[1:])]
                plain = [s for a, _, s in steps if ideograph(a)]
                if len(plain) < 3:
                    continue
                usual = statistics.median(plain)
                for a, b, step in steps:
                    if a["text"] in pairs_of and b["text"] in MARKS:
                        # against an em, or the line's usual advance when it is tighter: on a loose line the
                        # ideographs carry justification spacing that the compressed mark may not
                        pairs.append(step - min(usual, a["size"]))
                    elif ideograph(a):
                        others.append(step - usual)
    return pairs, others


def test_mainland_consecutive_marks_are_compressed_taiwan_marks_are_not(dist):
    hans_pairs, hans_others = _advances(dist / f"{HANS}.pdf", "Noto-Serif-CJK-SC")
    tw_pairs, _ = _advances(dist / f"{TW}.pdf", "Noto-Serif-CJK-TC")
    assert len(hans_pairs) >= 8 and len(tw_pairs) >= 5
    # a compressed mark advances half an em (plus, up to a point, the line's justification spacing)
    assert all(-EM / 2 - 0.05 < d < -EM / 2 + 0.8 for d in hans_pairs), hans_pairs
    # a Taiwan mark advances a full em (plus, up to a point, the line's justification spacing)
    assert all(-0.3 < d < 0.8 for d in tw_pairs), tw_pairs
    assert statistics.median(abs(d) for d in hans_others) < 0.05


def test_consecutive_marks_in_the_kai_quote_are_compressed_like_the_body(dist):
    """AR PL KaitiM GB has no halt: the quote's compressed marks get their half width from negative margins."""
    from kwbook.render.punctuation import has_halt

    assert not has_halt("AR PL KaitiM GB") and has_halt("Noto Serif CJK SC")
    with pdfplumber.open(dist / f"{HANS}.pdf") as pdf:
        sizes = {round(c["size"], 2) for p in pdf.pages for c in p.chars if c["fontname"].endswith("KaitiM-GB")}
    assert len(sizes) == 1
    size = sizes.pop()
    kai, _ = _advances(dist / f"{HANS}.pdf", "KaitiM-GB", size=None)
    # ：“ 。” ’。 in the three quotes; half an em shorter, as in the body
    assert len(kai) >= 6
    assert all(-size / 2 - 0.05 < d < -size / 2 + 0.8 for d in kai), kai
    tw, _ = _advances(dist / f"{TW}.pdf", "UKai-TW", size=None)
    assert len(tw) >= 4 and all(-0.3 < d < 0.8 for d in tw), tw


# --- the 151-entry book in zh-Hans ---------------------------------------------------------------------------

NO_LINE_START = set("、。，．：；！？」』）》〉】〕…”’")
NO_LINE_END = set("「『（《〈【〔“‘")


@pytest.fixture(scope="module")
def hans151_pdf(book151_dir, tmp_path_factory) -> Path:
    """`kwbook sample --entries 151` converted to zh-Hans (kwbook convert), its PDF built once."""
    tmp = tmp_path_factory.mktemp("hans151")
    result = run_kwbook("convert", book151_dir, "--to", "zh-Hans", "-o", tmp / "book", "--slug", "hans151")
    assert result.returncode == 0, result.stderr
    result = run_kwbook("build", tmp / "book", "--format", "pdf", "-o", tmp / "dist")
    assert result.returncode == 0, result.stderr
    return tmp / "dist/hans151.pdf"


def test_151_entry_hans_book_is_flush_and_breaks_lines_right(hans151_pdf):
    from pdfread import flush_share, line_texts

    flush, non_final, ragged = flush_share(hans151_pdf, font="Noto-Serif-CJK-SC")
    assert non_final > 5000
    assert flush / non_final >= 0.99, ragged[:5]
    texts = line_texts(hans151_pdf, font="Noto-Serif-CJK-SC") + line_texts(hans151_pdf, font="KaitiM-GB")
    assert len(texts) > 9000
    bad = [t for t in texts if t.strip() and (t.strip()[0] in NO_LINE_START or t.strip()[-1] in NO_LINE_END)]
    assert bad == []
    fonts_used = {n.split("+")[-1] for n in fonts(hans151_pdf)}
    assert not [f for f in fonts_used if "TC" in f], fonts_used


def test_dash_and_ellipsis_are_never_split(tmp_path):
    """Paragraphs whose —— or …… falls at every position around the line end, in both editions."""
    from pdfread import line_texts

    root = copy_root("hans", tmp_path)
    entry = root / "entries/tuopin/五个一批.md"
    body = "\n\n".join("推" * k + mark + "进" * 12 + "。" for k in range(30, 42) for mark in ("——", "……"))
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("## 实践成效\n", "## 实践成效\n" + body + "\n\n"), encoding="utf-8")
    result = run_kwbook("build", root, "--format", "pdf", "-o", tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    for name, face in ((HANS, "Noto-Serif-CJK-SC"), (TW, "Noto-Serif-CJK-TC")):
        texts = [t.strip() for t in line_texts(tmp_path / f"dist/{name}.pdf", font=face) if t.strip()]
        assert sum(t.count("——") for t in texts) >= 10 and sum(t.count("……") for t in texts) >= 10
        for a, b in zip(texts, texts[1:]):
            for mark in "—…":
                assert not (a.endswith(mark) and b.startswith(mark)), (name, a, b)


def test_docx_fonts_for_a_language_can_be_overridden():
    from kwbook.writers.docx import language_settings, load_docx_styles

    shipped = load_docx_styles(api.PROJECT / "styles")
    hans = language_settings(shipped, "zh-Hans")
    assert hans["language"] == "zh-CN" and hans["fonts"] == {"body": "SimSun", "heading": "SimHei", "quote": "KaiTi"}
    assert language_settings(shipped, "zh-Hant") is shipped
    own = {**shipped, "languages": {"zh-Hans": {"fonts": {"body": "Noto Serif CJK SC"}}}}
    assert language_settings(own, "zh-Hans")["fonts"]["body"] == "Noto Serif CJK SC"
    assert language_settings(own, "zh-Hans")["fonts"]["heading"] == "SimHei"


def test_the_shipped_sample_as_a_zh_hans_edition(tmp_path):
    """The zh-Hant sample with a zh-Hans edition declared: every format of that edition is a mainland book."""
    manuscript = tmp_path / "sample"
    shutil.copytree(PROJECT / "manuscript", manuscript)
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("editions:\n  - {language: zh-Hans, slug: sample-hans}\n")
    out = tmp_path / "dist"
    for fmt in ("all", "print"):
        result = run_kwbook("build", "--format", fmt, manuscript, "-o", out)
        assert result.returncode == 0, result.stderr
    pdf = out / "sample-hans.pdf"
    faces = [n.split("+")[-1] for n in fonts(pdf)]
    assert faces and all("SC" in f or f.endswith("GB") for f in faces), faces
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "zh-Hans"
    assert "东西部扶贫协作" in _pdf_text(pdf) and "概念内涵" in _pdf_text(pdf)
    findings = api.preflight(out / "sample-hans-print.pdf", manuscript)
    assert not [f for f in findings if f.severity == "error"], [f.format() for f in findings]
    epub = out / "sample-hans.epub"
    assert epubcheck_problems(epub) == []
    with zipfile.ZipFile(epub) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
    assert "<dc:language>zh-Hans</dc:language>" in opf and 'xml:lang="zh-Hans"' in opf
    docx = out / "sample-hans.docx"
    with zipfile.ZipFile(docx) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles
    assert "东西部扶贫协作" in _pdf_text(libreoffice_convert(docx, tmp_path / "lo", "pdf"))


def test_hong_kong_edition(tmp_path):
    """A zh-Hant-HK edition: s2hk character forms, Noto CJK HK faces, 「」, centred uncompressed marks, zh-HK."""
    root = copy_root("hans", tmp_path)
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "{language: zh-Hant-TW, slug: hans-keywords-tw}", "{language: zh-Hant-HK, slug: hans-keywords-hk}")
        + "epub: {embed_fonts: true}\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = run_kwbook("build", root, "-o", out)
    assert result.returncode == 0, result.stderr
    pdf = out / "hans-keywords-hk.pdf"
    faces = {n.split("+")[-1] for n in fonts(pdf)}
    assert {"Noto-Serif-CJK-HK", "Noto-Sans-CJK-HK-Bold", "AR-PL-UKai-HK"} <= faces, faces
    assert not [f for f in faces if "HK" not in f], faces
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "zh-Hant-HK"
    text = _pdf_text(pdf)
    # Hong Kong forms where Taiwan writes 戶 群 脫 說
    assert "貧困户" in text and "羣眾" in text and "脱貧" in text and "説" in text
    assert "戶" not in text and "脫" not in text and "說" not in text
    assert "《報告》指出：「深化東西部扶貧協作" in text and "實現『先富幫後富』。」" in text
    centres = _ink_centres(pdf, "Noto-Serif-CJK-HK", "。，、")
    assert len(centres) > 40 and all(0.35 < x < 0.65 and 0.3 < y < 0.7 for _, x, y in centres)
    pairs, _ = _advances(pdf, "Noto-Serif-CJK-HK")
    assert len(pairs) >= 5 and all(-0.3 < d < 0.8 for d in pairs), pairs
    epub = out / "hans-keywords-hk.epub"
    assert epubcheck_problems(epub) == []
    with zipfile.ZipFile(epub) as z:
        opf = z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()
        entry = z.read(next(n for n in z.namelist() if n.endswith("kw-001.xhtml"))).decode()
    assert "<dc:language>zh-Hant-HK</dc:language>" in opf and 'xml:lang="zh-Hant-HK"' in entry
    assert "《報告》指出：「" in entry
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(epub) as z:
        embedded = {Path(n).stem: TTFont(io.BytesIO(z.read(n)))["name"].getDebugName(1)
                    for n in z.namelist() if "/fonts/" in n}
    assert embedded == {"serif": "Noto Serif CJK HK", "sans": "Noto Sans CJK HK", "kai": "AR PL UKai HK"}, embedded
    docx = out / "hans-keywords-hk.docx"
    with zipfile.ZipFile(docx) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-HK"' in styles and 'w:eastAsia="MingLiU_HKSCS"' in styles and "zh-TW" not in styles
    assert "羣眾" in _pdf_text(libreoffice_convert(docx, tmp_path / "lo", "pdf"))


def test_editorial_commands_in_a_zh_hans_manuscript(tmp_path):
    """status, new, lint, fix, schema and import speak Simplified Chinese and write Simplified text for a zh-Hans book."""
    shutil.copytree(ROOTS / "hans", tmp_path / "manuscript")   # the default manuscript of every command
    status = run_kwbook("status", cwd=tmp_path)
    assert status.returncode == 0 and "分类" in status.stdout and "概念内涵" in status.stdout and "總" not in status.stdout
    new = run_kwbook("new", "精准扶贫", "--category", "脱贫类", cwd=tmp_path)
    assert new.returncode == 0 and "已创建" in new.stdout + new.stderr
    skeleton = (tmp_path / "manuscript/entries/tuopin/精准扶贫.md").read_text(encoding="utf-8")
    assert "## 概念内涵\n" in skeleton and "## 实践成效\n" in skeleton
    entry = tmp_path / "manuscript/entries/tuopin/建档立卡.md"
    original = entry.read_text(encoding="utf-8")
    entry.write_text(original.replace("建档立卡是", "建檔立卡是", 1), encoding="utf-8")
    lint = run_kwbook("lint", cwd=tmp_path)
    assert "简体书稿中“檔”应为“档”" in lint.stdout + lint.stderr
    fix = run_kwbook("fix", "--write", "--force", cwd=tmp_path)
    assert fix.returncode == 0, fix.stderr
    assert entry.read_text(encoding="utf-8") == original
    schema = run_kwbook("schema", "-o", tmp_path / "schema", cwd=tmp_path)
    assert "已写出" in schema.stdout
    assert "报告原文引文（印成《报告》指出：“…”）" in (tmp_path / "schema/entry.schema.json").read_text(encoding="utf-8")
    # import of a Traditional raw text: converted to Simplified, the original kept in the report
    raw = tmp_path / "raw.txt"
    raw.write_text("東西部扶貧協作\n\n東西部扶貧協作是「先富幫後富」的制度安排，幹部與乾糧。\n", encoding="utf-8")
    imported = run_kwbook("import", raw, "-o", tmp_path / "out", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "已导入" in imported.stdout + imported.stderr
    draft = (tmp_path / "out/东西部扶贫协作.md").read_text(encoding="utf-8")
    assert "## 未归类\n\n东西部扶贫协作是“先富帮后富”的制度安排，干部与干粮。" in draft and "未歸類" not in draft
    report = (tmp_path / "out/东西部扶贫协作.import-report.txt").read_text(encoding="utf-8")
    assert "OpenCC tw2s" in report and "3 東西部扶貧協作是「先富幫後富」的制度安排，幹部與乾糧。" in report
    assert "乾 → 干" in report
    # the marker is checked in a zh-Hans book too
    (tmp_path / "out/东西部扶贫协作.md").rename(tmp_path / "manuscript/entries/tuopin/东西部扶贫协作2.md")
    check = run_kwbook("check", cwd=tmp_path)
    assert "[unassigned-content]" in check.stderr and "未归类" in check.stderr


def test_index_order_is_configurable_in_both_scripts(tmp_path):
    """book.yaml `index: {sort: …}` overrides the language's default: strokes in a zh-Hans book, pinyin in zh-Hant."""
    from kwbook.render.html import words
    from kwbook.render.index import index_groups

    root = copy_root("hans", tmp_path)
    with (root / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("index: {sort: strokes}\n")
    hans, tw = api.editions(root)[0]
    assert hans.config.index_sort == "strokes"
    groups = [(label, [e.keyword for e in entries]) for label, entries in
              index_groups(hans.entries, hans.config.index_sort, words(hans.config))]
    # 五 4 strokes, 东 5 (Simplified), 建 8; the group words in Simplified
    assert groups == [("4 画", ["“五个一批”"]), ("5 画", ["东西部扶贫协作"]), ("8 画", ["建档立卡"])]
    sample = tmp_path / "sample"
    shutil.copytree(PROJECT / "manuscript", sample)
    with (sample / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("index: {sort: pinyin}\n")
    book = api.editions(sample)[0][0]
    labels = [label for label, _ in index_groups(book.entries, book.config.index_sort, words(book.config))]
    assert book.config.index_sort == "pinyin" and labels and all(len(label) == 1 and label.isupper() for label in labels)
