"""`kwbook sample`: complete, valid and deterministic synthetic books."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_kwbook

from kwbook import check, sample
from kwbook.render.markdown import markdown, render_tokens


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_entries_and_seed_give_the_same_files(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        assert run_kwbook("sample", "--entries", 20, "--seed", seed, tmp_path / name).returncode == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_sample_book_is_complete_and_valid(book151_dir):
    book, diags = check(book151_dir)
    assert [d for d in diags if d.severity == "error"] == []
    assert diags == [], "a complete sample has no warning either"
    assert len(book.categories) == 7 and all(c.entries for c in book.categories)
    assert len(book.entries) == 151
    sizes = [len(e.quote) + sum(len(s.text) for s in e.sections) for e in book.entries]
    assert 1700 <= sum(sizes) / len(sizes) <= 2400, "about 2,000 characters an entry"
    assert any(e.see_also for e in book.entries)


def test_hard_wrapped_chinese_lines_join_without_space():
    html = render_tokens(markdown().parse("第一行文字\n第二行文字\n\nLatin words\nwrap with a space。\n中文\nEnglish"))
    assert "第一行文字第二行文字" in html
    assert "Latin words\nwrap" in html
    assert "中文\nEnglish" in html


def test_an_unusable_shipped_sample_names_its_first_error(tmp_path):
    shipped = tmp_path / "manuscript"
    shutil.copytree(sample.SHIPPED, shipped)
    entry = sorted((shipped / "entries").rglob("*.md"))[0]
    entry.write_text(entry.read_text(encoding="utf-8").replace("## 實踐成效", "## 實踐"), encoding="utf-8")
    with pytest.raises(sample.SampleError) as caught:
        sample._source_text(shipped)
    text = caught.value.message.render("en")
    assert str(shipped) in text and f"{entry.name}:" in text and "the first error:" in text


def test_sample_refuses_a_folder_that_is_not_empty(tmp_path):
    """`kwbook sample` onto an editor's manuscript would overwrite book.yaml, the front files and entries."""
    book = tmp_path / "book"
    assert run_kwbook("sample", "--entries", 3, "--seed", 1, book).returncode == 0
    (book / "book.yaml").write_text((book / "book.yaml").read_text(encoding="utf-8") + "# an editor's note\n", encoding="utf-8")
    before = files(book)
    again = run_kwbook("--lang", "en", "sample", "--entries", 3, "--seed", 2, book)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.strip() == f"{book} exists and is not an empty folder; not overwritten"
    assert files(book) == before, "nothing was written"
    other = tmp_path / "notes"
    (other / "sub").mkdir(parents=True)
    assert run_kwbook("sample", "--entries", 3, other).returncode == 1 and files(other) == {}
    a_file = tmp_path / "a.txt"
    a_file.write_text("keep", encoding="utf-8")
    assert run_kwbook("sample", "--entries", 3, a_file).returncode == 1 and a_file.read_text(encoding="utf-8") == "keep"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_kwbook("sample", "--entries", 3, empty).returncode == 0 and (empty / "book.yaml").is_file()
