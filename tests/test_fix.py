"""kwbook fix: safe corrections only, idempotent, atomic, with a backup outside the manuscript and a git guard."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import copy_root, require, run_kwbook

from kwbook.editorial.fix import fix_text
from kwbook.editorial.lint import lint_manuscript
from kwbook.text import HALF_TO_FULL

ENTRY = Path("entries/tuopin/010-產業扶貧.md")
DIRTY = ("---\nkeyword: 產業扶貧\nquote: 發展特色產業,帶動增收。\nsee_also: [數字經濟,產業扶貧]\n---\n"
         "## 概念內涵\n\n產業扶貧,是以市場為導向的方式(見下文)。人口3,000人。\n\n"
         "## 緣由演進\n\n各地推行「公司+農戶」模式&ldquo;效果&rdquo;明顯,A&amp;B 不變。\n\n"
         "## 實踐成效\n\n线路通暢,先富幫后富。`a,b` 保持。\n")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = copy_root("editorial", tmp_path)
    (root / ENTRY).write_text(DIRTY, encoding="utf-8")
    return root


def only_punctuation_changed(old: str, new: str) -> bool:
    return len(old) == len(new) and all(a == b or HALF_TO_FULL.get(a) == b for a, b in zip(old, new))


def test_fix_text_changes_only_what_is_safe():
    new, counts = fix_text(DIRTY)
    assert "quote: 發展特色產業，帶動增收。" in new
    assert "see_also: [數字經濟,產業扶貧]" in new, "YAML structure is not prose"
    assert "產業扶貧，是以市場為導向的方式（見下文）。人口3,000人。" in new
    assert "模式“效果”明顯，A&amp;B 不變。" in new, "&ldquo; decoded, &amp; (ASCII syntax) kept"
    assert "線路通暢，先富幫后富。`a,b` 保持。" in new, "线 has one Traditional form; 后 is left to an editor"
    assert counts == {"punct-halfwidth": 6, "html-entity": 2, "simplified-char": 1}
    assert fix_text(new) == (new, {}), "idempotent"


def test_line_ends_and_bom_are_kept():
    text = "\ufeff## 概念內涵\r\n\r\n文字,文字。\r\n最後一行,沒有換行"
    new, _ = fix_text(text)
    assert new == "\ufeff## 概念內涵\r\n\r\n文字，文字。\r\n最後一行，沒有換行"


def test_diff_shows_and_does_not_write(book):
    before = (book / ENTRY).read_bytes()
    result = run_kwbook("fix", "--diff", book, cwd=book.parent)
    assert result.returncode == 0, result.stderr
    assert (book / ENTRY).read_bytes() == before
    assert f"--- a/editorial/{ENTRY.as_posix()}" in result.stdout
    assert "+產業扶貧，是以市場為導向的方式（見下文）。人口3,000人。" in result.stdout
    assert "可自動修正 1 個檔案中的 9 處" in result.stderr, result.stderr  # DIRTY: 6 + 2 + 1 (test_fix_text)


def test_write_fixes_keeps_a_backup_outside_the_manuscript_and_is_idempotent(book):
    original = (book / ENTRY).read_text(encoding="utf-8")
    result = run_kwbook("fix", "--write", book, cwd=book.parent)
    assert result.returncode == 0, result.stderr
    fixed = (book / ENTRY).read_text(encoding="utf-8")
    assert fixed == fix_text(original)[0]
    backups = list((book.parent / ".kwbook-backup").rglob("010-產業扶貧.md"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == original
    assert not any(p.name.endswith(".part") for p in book.rglob("*"))
    assert [d.code for d in lint_manuscript(book)] == ["html-entity", "simplified-char"], "&amp; and 后 are left to an editor"
    again = run_kwbook("fix", "--write", book, cwd=book.parent)
    assert again.returncode == 0 and (book / ENTRY).read_text(encoding="utf-8") == fixed
    assert len(list((book.parent / ".kwbook-backup").rglob("*.md"))) == 1, "nothing written, nothing backed up"


def test_single_files_can_be_fixed(book):
    result = run_kwbook("fix", "--write", book / ENTRY, book / "front/說明.md")
    assert result.returncode == 0, result.stderr
    assert "，" in (book / ENTRY).read_text(encoding="utf-8")
    missing = run_kwbook("fix", "--write", book / "nope.md")
    assert missing.returncode == 1 and "nope.md" in missing.stderr and "Traceback" not in missing.stderr


def test_uncommitted_changes_are_not_overwritten_without_force(book):
    require(shutil.which("git"), "git")

    def git(*args):
        subprocess.run(["git", "-C", str(book), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    clean = run_kwbook("fix", "--write", book)
    assert clean.returncode == 0, "a committed file is rewritten (git keeps the original)"
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "fixed")
    (book / ENTRY).write_text(DIRTY, encoding="utf-8")  # now an uncommitted change
    refused = run_kwbook("fix", "--write", book)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert (book / ENTRY).read_text(encoding="utf-8") == DIRTY
    forced = run_kwbook("fix", "--write", "--force", book)
    assert forced.returncode == 0 and (book / ENTRY).read_text(encoding="utf-8") != DIRTY


def test_only_punctuation_changes_on_the_shipped_style_text(book):
    text = "## 概念內涵\n\n東部發展優勢,彌補西部短板(國辦發〔2013〕11號),實現先富幫后富。\n"
    new, _ = fix_text(text)
    assert only_punctuation_changed(text, new) and new != text


def test_a_named_file_linking_outside_the_manuscript_is_neither_read_nor_rewritten(book, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "other.md"
    target.write_text(DIRTY, encoding="utf-8")
    link = book / "entries/tuopin/020-外部.md"
    link.symlink_to(target)
    for options in (["--write"], ["--diff"], ["--write", "--force"]):
        result = run_kwbook("--lang", "en", "fix", *options, link)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "leads outside the manuscript folder" in result.stderr and str(target) in result.stderr, result.stderr
        assert "other" not in result.stdout, "no diff of the outside file"
    assert link.is_symlink() and target.read_text(encoding="utf-8") == DIRTY
    assert sorted(p.name for p in outside.iterdir()) == ["other.md"], "no backup beside the outside file"
    assert not (book.parent / ".kwbook-backup").exists()
    whole = run_kwbook("fix", "--write", book)  # the manuscript as a whole skips the link as before
    assert whole.returncode == 0, whole.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == DIRTY


def test_a_link_within_the_manuscript_is_fixed_through_and_stays_a_link(book):
    link = book / "entries/tuopin/020-同一篇.md"
    link.symlink_to(book / ENTRY)
    result = run_kwbook("fix", "--write", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (book / ENTRY).read_text(encoding="utf-8") == fix_text(DIRTY)[0]
