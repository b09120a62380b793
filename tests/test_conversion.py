"""Editions and script conversion: kwbook's phrases, the conversion report, round trips, editions in book.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import opencc
import pytest
from conftest import PROJECT, ROOTS, copy_root, run_kwbook

from kwbook import api
from kwbook.conversion import Converter
from kwbook.conversion.manuscript import convert_manuscript
from kwbook.conversion.phrases import TO_SIMPLIFIED, TO_TRADITIONAL
from kwbook.lang import opencc_config
from kwbook.load import load_editions, source_files

TO_TRAD_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")
TO_SIMP_CONFIGS = ("t2s", "tw2s", "tw2sp", "hk2s")


@pytest.mark.parametrize("source, target", sorted(TO_TRADITIONAL.items()))
def test_each_shipped_phrase_to_traditional(source, target):
    sentence = f"这一点{source}了"
    for config in TO_TRAD_CONFIGS:   # every OpenCC configuration gets it wrong …
        assert target not in opencc.OpenCC(config).convert(sentence), config
    for language in ("zh-Hant-TW", "zh-Hant-HK"):   # … kwbook gets it right
        assert target in Converter("zh-Hans", language).convert(sentence)


@pytest.mark.parametrize("source, target", sorted(TO_SIMPLIFIED.items()))
def test_each_shipped_phrase_to_simplified(source, target):
    sentence = f"這是{source}意思"
    for config in TO_SIMP_CONFIGS:
        assert target not in opencc.OpenCC(config).convert(sentence), config
    for language in ("zh-Hant-TW", "zh-Hant-HK"):
        assert target in Converter(language, "zh-Hans").convert(sentence)


def test_what_opencc_already_gets_right_is_not_in_the_table():
    """台风 → 颱風 and 了解了 → 瞭解了 (not 瞭解瞭) are right in OpenCC 1.4, so kwbook adds nothing for them."""
    assert opencc.OpenCC("s2tw").convert("台风") == "颱風"
    assert opencc.OpenCC("s2tw").convert("了解了") == "瞭解了"
    assert "台风" not in TO_TRADITIONAL and "了解了" not in TO_TRADITIONAL


def test_character_configurations_only():
    assert opencc_config("zh-Hans", "zh-Hant-TW") == "s2tw" and opencc_config("zh-Hant", "zh-Hans") == "tw2s"
    assert opencc_config("zh-Hans", "zh-Hant-HK") == "s2hk" and opencc_config("zh-Hant-HK", "zh-Hans") == "hk2s"
    # the phrase configurations would rewrite government vocabulary; the character ones keep it
    converted = Converter("zh-Hans", "zh-Hant-TW").convert("中央文件要求支持社区治理，重大项目依法定程序推进。")
    assert converted == "中央文件要求支持社區治理，重大項目依法定程序推進。"


def test_quotation_marks_follow_the_script():
    assert Converter("zh-Hans", "zh-Hant-TW").convert("他说：“要‘先富帮后富’。”") == "他說：「要『先富幫後富』。」"
    assert Converter("zh-Hant", "zh-Hans").convert("他說：「要『先富幫後富』。」") == "他说：“要‘先富帮后富’。”"
    assert Converter("zh-Hans", "zh-Hant-TW").convert("China’s “GDP”") == "China’s “GDP”"


def test_report_lists_each_decision_with_place_form_and_rule(tmp_path):
    root = copy_root("hans", tmp_path)
    entry = root / "entries/tuopin/建档立卡.md"
    text = entry.read_text(encoding="utf-8").replace("是精准扶贫的第一步。", "是精准扶贫的第一步，由各地带头发展。")
    entry.write_text(text, encoding="utf-8")
    out = tmp_path / "dist"
    result = run_kwbook("build", root, "--format", "docx", "-o", out)
    assert result.returncode == 0, result.stderr
    report = (out / "hans-keywords-tw-conversion.txt").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.split("\n"), 1) if "带头发展" in t)
    col = text.split("\n")[line - 1].index("带头发展") + 3
    # written in the book's language (zh-Hans), paths from the manuscript folder
    assert f"\nentries/tuopin/建档立卡.md:{line}:{col}  发 → 發  kwbook 词表 头发展→頭發展" in report
    assert "  后 → 後" in report and "OpenCC 单字默认" in report
    cli = run_kwbook("convert", root, "--report", "--lang", "en", cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr
    assert f"hans/entries/tuopin/建档立卡.md:{line}:{col}  发 → 發  kwbook phrase 头发展→頭發展" in cli.stdout


def test_manuscript_phrases_extend_the_table(tmp_path):
    root = copy_root("hans", tmp_path)
    entry = root / "entries/tuopin/建档立卡.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n驻村干部是扶贫的得力干将。\n", encoding="utf-8")
    assert "得力干將" in opencc.OpenCC("s2tw").convert("得力干将")  # OpenCC: the sword 干將, not a capable hand
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "conversion: {干将: 幹將}\n", encoding="utf-8")
    books, diags = load_editions(root)
    assert not [d for d in diags if d.severity == "error"]
    assert books[1].entries[1].sections[-1].text.endswith("駐村幹部是扶貧的得力幹將。")
    assert any(d.rule == "book" and d.phrase == "干将→幹將" and d.chosen == "幹" for d in books[1].conversion)
    (root / "phrases.yaml").write_text("力干将: 力幹將\n", encoding="utf-8")
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("conversion: {干将: 幹將}", "conversion: phrases.yaml"), encoding="utf-8")
    books, _ = load_editions(root)
    assert any(d.rule == "book" and d.phrase == "力干将→力幹將" for d in books[1].conversion)
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("conversion: phrases.yaml", "conversion: {干将: 幹將軍}"), encoding="utf-8")
    _, diags = load_editions(root)
    assert [(d.code, d.line) for d in diags if d.severity == "error"] == [("config-conversion", 19)]


def test_edition_declarations_are_checked(tmp_path):
    root = copy_root("hans", tmp_path)
    yaml = root / "book.yaml"
    base = yaml.read_text(encoding="utf-8")
    yaml.write_text(base.replace("{language: zh-Hant-TW, slug: hans-keywords-tw}", "{language: zh-Hans, slug: other}"), encoding="utf-8")
    assert [d.code for d in api.check(root)[1] if d.severity == "error"] == ["config-edition"]
    yaml.write_text(base.replace("slug: hans-keywords-tw}", "slug: hans-keywords}"), encoding="utf-8")
    assert [d.code for d in api.check(root)[1] if d.severity == "error"] == ["config-edition"]
    yaml.write_text(base.replace("slug: hans-keywords-tw}", "slug: hans-keywords-tw, title: 脫貧攻堅關鍵詞（臺灣版）}"), encoding="utf-8")
    books, diags = load_editions(root)
    assert not diags and books[1].config.title == "脫貧攻堅關鍵詞（臺灣版）"
    assert books[1].config.identifier != books[0].config.identifier and books[1].config.isbn == {}


def _differences(original: Path, back: Path, name) -> set[tuple[str, int, int]]:
    """(file, line, col) of every character that differs between a manuscript and its round trip.

    name maps an original file's path to its path after the round trip (file names are converted too).
    """
    out = set()
    for path in source_files(original):
        rel = path.relative_to(original).as_posix()
        a = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        b = (back / name(rel)).read_text(encoding="utf-8").rstrip("\n").split("\n")
        assert len(a) == len(b), rel
        for n, (x, y) in enumerate(zip(a, b), 1):
            if rel == "book.yaml" and x.startswith(("language:", "slug:")):
                continue  # book.yaml's language and slug differ by design; its title, names, categories do not
            assert len(x) == len(y), (rel, n)
            out |= {(rel, n, i + 1) for i, (p, q) in enumerate(zip(x, y)) if p != q}
    return out


def _round_trip(manuscript: Path, tmp: Path) -> tuple[set, set]:
    """zh-Hant → zh-Hans → zh-Hant; returns the differences and the places both conversion reports list."""
    hans, back = tmp / "hans", tmp / "back"
    there = convert_manuscript(manuscript, hans, "zh-Hans", "x-hans", "zh-Hant", "x", {}, False)
    again = convert_manuscript(hans, back, "zh-Hant-TW", "x", "zh-Hans", "x-hans", {}, False)
    listed = {(d.path.relative_to(manuscript.resolve()).as_posix(), d.line, d.col) for d in there.decisions}
    # the way back's report names the converted files: map them to the original names
    names = {there.convert(p.relative_to(manuscript).as_posix()): p.relative_to(manuscript).as_posix()
             for p in source_files(manuscript)}
    listed |= {(names.get(d.path.relative_to(hans.resolve()).as_posix(), ""), d.line, d.col) for d in again.decisions}
    return _differences(manuscript, back, lambda rel: again.convert(there.convert(rel))), listed


def test_round_trip_of_the_sample_changes_only_listed_places(tmp_path):
    differences, listed = _round_trip(PROJECT / "manuscript", tmp_path)
    assert differences, "the sample's 后 and 平台 come back as 後 and 平臺"
    assert differences <= listed, sorted(differences - listed)


def test_round_trip_of_the_151_entry_book(book151_dir, tmp_path):
    differences, listed = _round_trip(book151_dir, tmp_path)
    assert differences <= listed, sorted(differences - listed)[:20]


def test_convert_writes_a_manuscript_that_builds(tmp_path):
    out = tmp_path / "hans"
    result = run_kwbook("convert", PROJECT / "manuscript", "--to", "zh-Hans", "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "entries/tuopin/东西部扶贫协作.md").is_file() and (out / "front/编写说明.md").is_file()
    assert "language: zh-Hans" in (out / "book.yaml").read_text(encoding="utf-8")
    assert "OpenCC tw2s" in (out / "conversion.txt").read_text(encoding="utf-8")
    book, diags = api.check(out)
    assert book is not None and book.config.sections == ("概念内涵", "缘由演进", "实践成效"), [d.format() for d in diags]
    again = run_kwbook("convert", PROJECT / "manuscript", "--to", "zh-Hans", "-o", out, cwd=tmp_path)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    bad = run_kwbook("convert", PROJECT / "manuscript", "--to", "zh-Hans", "--slug", "../../x", "-o", tmp_path / "x",
                     "--lang", "en", cwd=tmp_path)
    assert bad.returncode == 2 and not (tmp_path / "x").exists(), "a slug book.yaml would refuse is refused first"
    assert bad.stderr.strip() == "kwbook: error: “slug” may only use letters, digits, dot, underscore and hyphen: ../../x"


def test_import_of_a_simplified_text_into_a_traditional_book(tmp_path):
    manuscript = copy_root("basic", tmp_path)
    raw = tmp_path / "raw.txt"
    raw.write_text("东西部扶贫协作\n\n东西部扶贫协作是东部发达省市与西部贫困地区结对开展扶贫协作的制度安排。\n", encoding="utf-8")
    result = run_kwbook("import", raw, "-m", manuscript, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entry = (tmp_path / "out/東西部扶貧協作.md").read_text(encoding="utf-8")
    assert "東西部扶貧協作是東部發達省市與西部貧困地區結對開展扶貧協作的制度安排。" in entry
    report = (tmp_path / "out/東西部扶貧協作.import-report.txt").read_text(encoding="utf-8")
    assert "OpenCC s2tw" in report
    assert "3 东西部扶贫协作是东部发达省市与西部贫困地区结对开展扶贫协作的制度安排。" in report  # the original, kept


def test_convert_reports_the_file_names_it_decided(tmp_path):
    """File names are converted too: each changed name is in the report, with the 发/后 decided inside it."""
    root = copy_root("hans", tmp_path)
    entry = root / "entries/tuopin/五个一批.md"
    entry.rename(entry.with_name("发展后劲.md"))
    out = tmp_path / "tw"
    result = run_kwbook("convert", root, "--to", "zh-Hant-TW", "-o", out, "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "entries/tuopin/發展後勁.md").is_file()
    report = (out / "conversion.txt").read_text(encoding="utf-8")
    assert "Converted file names (4;" in report
    assert ("  entries/tuopin/发展后劲.md → entries/tuopin/發展後勁.md  发 → 發 (OpenCC character default)"
            "  后 → 後 (OpenCC character default)") in report
    assert "  front/编写说明.md → front/編寫說明.md" in report
    assert "发展后劲.md:0" not in report   # a name's decisions are not listed as places in the text
