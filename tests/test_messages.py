"""The message catalog: every message kwbook prints exists in Traditional Chinese and English, with the same codes."""

from __future__ import annotations

import ast
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT, run_kwbook

from kwbook import messages
from kwbook.errors import BuildError
from kwbook.preflight import preflight
from kwbook.verify import Verdict
from kwbook.verify.compare import QUOTE, Difference, text_difference

SRC = Path(__file__).resolve().parents[1] / "src/kwbook"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LINE = re.compile(r"^(?P<place>.+?:\d+:\d+: (?:error|warning)): (?P<message>.*) \[(?P<code>[\w/-]+)\]$")


@pytest.fixture
def english():
    """The current language set to English for one test, and set back afterwards."""
    before = messages.current_lang()
    messages.set_lang("en")
    yield
    messages.set_lang(before)


def _fields(template: str) -> list[str]:
    return sorted({name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name})


def test_every_entry_has_both_languages_with_the_same_placeholders():
    for msgid, (zh, en) in messages.CATALOG.items():
        assert zh.strip() and en.strip(), msgid
        assert _fields(zh) == _fields(en), f"{msgid}: placeholders differ"


def test_english_differs_from_chinese():
    for msgid, (zh, en) in messages.CATALOG.items():
        assert zh != en, msgid


def _broken_settings(manuscript: Path) -> None:
    book = manuscript / "book.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "entry_start: sideways\nindex: {sort: radical}\n"
                    "print: {signature: 0, icc_profile: /nowhere/cmyk.icc}\n", encoding="utf-8")


def _lines(output: str) -> list[re.Match]:
    found = [LINE.match(line) for line in output.splitlines()]
    return [m for m in found if m]


def test_check_in_english_has_the_codes_and_places_of_chinese(basic):
    _broken_settings(basic)
    (basic / "entries/alpha/010-綠色發展.md").write_text("---\nkeyword: 綠色發展\n---\n## 概念內涵\n\n文字。\n", encoding="utf-8")
    zh = run_kwbook("check", basic, cwd=basic.parent)
    en = run_kwbook("check", basic, "--lang", "en", cwd=basic.parent)
    assert zh.returncode == en.returncode == 1
    zh_lines, en_lines = _lines(zh.stderr), _lines(en.stderr)
    assert len(zh_lines) == len(en_lines) >= 4
    assert [(m["place"], m["code"]) for m in zh_lines] == [(m["place"], m["code"]) for m in en_lines]
    for z, e in zip(zh_lines, en_lines):
        assert z["message"] != e["message"] and CJK.search(z["message"]), z.group(0)
    zh_by_code = {m["message"] for m in zh_lines}
    en_by_code = {m["message"] for m in en_lines}
    # the Chinese texts are those kwbook has always printed
    assert "「entry_start」只能是 page（新頁）或 right（新的右頁）" in zh_by_code
    assert "「index.sort」只能是 strokes（筆畫）或 pinyin（拼音）" in zh_by_code
    assert "「print.signature」必須是正整數（每台頁數，如 16）" in zh_by_code
    assert "找不到 CMYK 色彩描述檔：/nowhere/cmyk.icc" in zh_by_code
    assert "“entry_start” can only be page (a new page) or right (a new right-hand page)" in en_by_code
    assert "“index.sort” can only be strokes (stroke count) or pinyin" in en_by_code
    assert "CMYK colour profile not found: /nowhere/cmyk.icc" in en_by_code
    assert not any(CJK.search(m["message"]) for m in en_lines if m["code"].startswith("config"))
    assert re.fullmatch(r"\d+ errors, \d+ warnings\.", en.stderr.splitlines()[-1])


def test_kwbook_lang_environment_variable(basic):
    _broken_settings(basic)
    env = {**os.environ, "KWBOOK_LANG": "en"}
    result = subprocess.run([sys.executable, "-m", "kwbook.cli", "check", str(basic)], capture_output=True, text=True, env=env)
    assert "“entry_start” can only be page" in result.stderr and "只能是" not in result.stderr


def _rgb_pdf(path: Path) -> None:
    pdf = pikepdf.new()
    helv = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = pdf.add_blank_page(page_size=(200, 200))
    page.obj.Resources = pdf.make_indirect(pikepdf.Dictionary({"/Font": pikepdf.Dictionary(F1=helv)}))
    page.obj.Contents = pdf.make_stream(b"1 0 0 rg BT /F1 12 Tf 10 10 Td (Hi) Tj ET")
    pdf.save(path)


def test_preflight_in_english(tmp_path):
    _rgb_pdf(tmp_path / "screen.pdf")
    zh = run_kwbook("preflight", tmp_path / "screen.pdf")
    en = run_kwbook("preflight", "--lang", "en", tmp_path / "screen.pdf")
    assert zh.returncode == en.returncode == 1
    codes = lambda out: [(line.split(":", 1)[0], line.rsplit("[", 1)[1]) for line in out.splitlines()]
    assert codes(zh.stdout) == codes(en.stdout) and len(codes(en.stdout)) == 13
    assert not CJK.search(en.stdout), en.stdout
    assert "error: 字型未內嵌：Helvetica [font-not-embedded]" in zh.stdout.splitlines()
    assert "error: fonts not embedded: Helvetica [font-not-embedded]" in en.stdout.splitlines()
    assert "error: no output intent (OutputIntent): not a PDF/X file for print [output-intent]" in en.stdout.splitlines()
    assert "warning: 1 pages, not a multiple of 16 pages a signature (15 pages short) [signature]" in en.stdout.splitlines()
    missing = run_kwbook("preflight", tmp_path / "nowhere.pdf", "--lang", "en")
    assert missing.returncode == 2 and missing.stderr == f"kwbook: no such PDF: {tmp_path / 'nowhere.pdf'}\n"


def test_finding_keeps_chinese_message_and_renders_english(tmp_path, english):
    _rgb_pdf(tmp_path / "screen.pdf")
    found = {f.code: f for f in preflight(tmp_path / "screen.pdf")}
    assert found["rgb-colour"].message == "印刷檔中有 1 處 RGB 顏色或影像；應全部為 CMYK"
    assert found["rgb-colour"].format() == "error: 1 RGB colours or images in the print file; all should be CMYK [rgb-colour]"
    assert found["rgb-colour"].format("zh") == "error: 印刷檔中有 1 處 RGB 顏色或影像；應全部為 CMYK [rgb-colour]"


def test_build_error_in_english(basic, tmp_path, english):
    # A stylesheet's url() outside the manuscript is refused by check (style-resource, at its line), and would the
    # build reach it, by the PDF's fetcher (build.refused): both in the user's language.
    shutil.copytree(PROJECT / "styles", basic / "styles")
    with open(basic / "styles" / "print.css", "a", encoding="utf-8") as css:
        css.write("\nbody { background: url(file:///etc/passwd); }\n")
    line = (basic / "styles" / "print.css").read_text(encoding="utf-8").count("\n")
    zh = run_kwbook("build", basic, "--format", "pdf", "-o", tmp_path / "zh")
    en = run_kwbook("build", basic, "--format", "pdf", "-o", tmp_path / "en", "--lang", "en")
    assert zh.returncode == en.returncode == 1 and not (tmp_path / "zh").exists() and not (tmp_path / "en").exists()
    assert f"styles/print.css:{line}:" in en.stderr and "[style-resource]" in en.stderr, en.stderr
    assert "the stylesheet refers to “file:///etc/passwd”" in en.stderr and "樣式表引用的「file:///etc/passwd」" in zh.stderr
    assert "Traceback" not in en.stderr
    assert str(BuildError("build.refused", url="file:///etc/passwd")) == \
        "refused to read a resource outside the manuscript and styles folders: file:///etc/passwd"


def test_build_error_text_follows_the_language(english):
    exc = BuildError("build.epub-css", path="/x/epub.css")
    assert str(exc) == "EPUB stylesheet not found: /x/epub.css"
    assert exc.message.render("zh") == "找不到 EPUB 樣式表：/x/epub.css"
    assert str(BuildError("not a catalog id")) == "not a catalog id"


def test_verify_in_english(basic, tmp_path):
    result = run_kwbook("verify", basic, "--format", "pdf", "-o", tmp_path / "empty", "--lang", "en")
    assert result.returncode == 1
    assert result.stderr.strip() == f"PDF ({tmp_path / 'empty' / 'basic.pdf'}) cannot be checked: file not found: build it first (kwbook build)"


def test_verdict_and_difference_in_both_languages(english):
    detail = text_difference(["甲乙丙", "丁戊"], "甲乙丙丁己")
    difference = Difference("綠色發展", QUOTE, detail, messages.message("verify.where-page", page=3))
    assert difference.message == "第 2 段第 2 字起不同：書稿「甲乙丙丁戊」，輸出「甲乙丙丁己」"
    verdict = Verdict("pdf", Path("dist/a.pdf"), difference=difference)
    assert verdict.describe("zh") == ("PDF（dist/a.pdf）與書稿不符：詞條「綠色發展」〈引文〉："
                                      "第 2 段第 2 字起不同：書稿「甲乙丙丁戊」，輸出「甲乙丙丁己」（第 3 頁）")
    assert verdict.describe() == ("PDF (dist/a.pdf) differs from the manuscript: entry “綠色發展”, quote: "
                                  "paragraph 2 differs from character 2: manuscript “甲乙丙丁戊”, output “甲乙丙丁己” (page 3)")


# Modules whose messages all come from the catalog.
CONVERTED = ["api.py", "cli.py", "errors.py", "preflight.py", "proof.py", "sample.py", "watch.py", "load/config.py",
             "render/cover.py", "editorial/commands.py", *[f"{d}/{p.name}" for d in ("validate", "verify", "writers")
                                                           for p in sorted((SRC / d).glob("*.py"))]]
# Calls that show their arguments to the user.
MESSAGE_CALLS = {"error", "warning", "print", "_err", "_out", "_say", "Finding", "Difference", "Verdict", "BuildError",
                 "MessageError", "SampleError", "PdfReadError", "EpubReadError", "DocxReadError"}


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def hardcoded_messages(source: str) -> list[tuple[int, str]]:
    """(line, text) of each CJK string literal passed to a message call, or to an exception that is raised."""
    found = []
    for node in ast.walk(ast.parse(source)):
        calls = []
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in MESSAGE_CALLS:
                calls.append(node)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            calls.append(node.exc)
        for call in calls:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                if CJK.search(_literal_text(arg)):
                    found.append((arg.lineno, _literal_text(arg)))
    return sorted(set(found))


def test_the_scan_finds_hardcoded_messages():
    source = ('diags.append(error("x", "「a」錯了", p))\nraise BuildError(f"找不到 {p}")\nprint(f"已寫出 {p}")\n'
              'Finding("ok", "c", "好")\nraise ValueError("壞")\nprint(text("ui.written", path=p))\nx = "目錄"\n')
    assert [line for line, _ in hardcoded_messages(source)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("module", CONVERTED)
def test_no_hardcoded_chinese_message(module):
    assert hardcoded_messages((SRC / module).read_text(encoding="utf-8")) == []


def _help(*args, cwd: Path, locale: str = "C.UTF-8") -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("KWBOOK_LANG", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = locale
    result = subprocess.run([sys.executable, "-m", "kwbook.cli", *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("lang, usage, words", [
    ("zh", "用法：", ["位置參數", "選項", "顯示這段說明後結束", "簡繁轉換", "轉成這種文字的新書稿"]),
    ("zh-Hans", "用法：", ["位置参数", "选项", "显示这段说明后结束", "简繁转换", "转成这种文字的新书稿"]),
    ("en", "usage:", ["positional arguments", "options:", "show this help message and exit",
                      "script conversion", "write a new manuscript in this language’s script"]),
])
def test_help_in_each_catalog_language(tmp_path, lang, usage, words):
    out = _help("convert", "--help", "--lang", lang, cwd=tmp_path)
    assert out.startswith(usage) and all(w in out for w in words), out
    top = _help("--lang", lang, "--help", cwd=tmp_path)
    assert all(messages.render(f"help.{k}", lang) in top.replace("\n" + " " * 24, "") for k in ("check", "new"))
    if lang != "en":
        assert not re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", top.split("\n", 3)[-1]), top  # no English sentence


def test_help_follows_the_book_then_the_locale(tmp_path):
    hans = PROJECT / "tests/roots/hans"
    assert "构建书籍" in _help("build", hans, "--help", cwd=tmp_path)
    assert "建置書籍" in _help("build", PROJECT / "manuscript", "--help", cwd=tmp_path)
    shutil.copytree(hans, tmp_path / "manuscript")   # ./manuscript is the default manuscript
    assert "检查书稿" in _help("check", "--help", cwd=tmp_path)
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    assert "检查书稿" in _help("check", "--help", cwd=elsewhere, locale="zh_CN.UTF-8")
    assert "檢查書稿" in _help("check", "--help", cwd=elsewhere, locale="zh_TW.UTF-8")
    assert "check the manuscript" in _help("check", "--help", "--lang", "en", cwd=tmp_path)


def test_an_os_error_names_its_path_and_reason_in_the_current_language():
    import errno

    from kwbook.cli import _os_error

    before = messages.current_lang()
    try:
        error = NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), "dist/sub")
        part = PermissionError(errno.EACCES, os.strerror(errno.EACCES), "dist/.book.pdf.kwbook-12-ab3.part")
        other = OSError(errno.EIO, os.strerror(errno.EIO))
        expected = {"en": ("cannot use dist/sub: a part of the path is not a folder", "cannot use dist/book.pdf: permission denied"),
                    "zh": ("無法使用 dist/sub：路徑中有一段不是資料夾", "無法使用 dist/book.pdf：沒有權限")}
        for lang, lines in expected.items():
            messages.set_lang(lang)
            assert (_os_error(error), _os_error(part)) == lines
            assert os.strerror(errno.EIO) in _os_error(other)
        messages.set_lang("zh-Hans")
        assert CJK.search(_os_error(error)) and "dist/sub" in _os_error(error)
    finally:
        messages.set_lang(before)
