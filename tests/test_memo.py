"""load/memo.py: one process reads the manuscript once while its files are unchanged, and again after any change."""

from __future__ import annotations

import os

import pytest

from kwbook import api
from kwbook.load import load_editions, memo

ENTRY = "entries/alpha/010-綠色發展.md"


@pytest.fixture(autouse=True)
def fresh():
    memo.forget()
    yield
    memo.forget()


def test_unchanged_manuscript_is_loaded_once(basic):
    books, diags = api.editions(basic)
    again, diags_again = api.editions(basic)
    assert [b is a for b, a in zip(books, again)] == [True] * len(books)
    assert diags == diags_again
    books.clear()  # a caller's list is its own
    assert api.editions(basic)[0][0] is again[0]
    assert api.check(basic)[0] is again[0]


@pytest.mark.parametrize("change", ["entry", "book.yaml", "new entry", "removed front", "symlink"])
def test_any_change_is_read_again(basic, change):
    before = api.editions(basic)[0][0]
    entry = basic / ENTRY
    if change == "entry":  # same size, same second: only the bytes tell
        stat = entry.stat()
        text = entry.read_text(encoding="utf-8")
        assert "明顯改善" in text
        entry.write_text(text.replace("明顯改善", "持續改善"), encoding="utf-8")
        os.utime(entry, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "book.yaml":
        yaml = basic / "book.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace("title:", "title: 新", 1), encoding="utf-8")
    elif change == "new entry":
        (basic / "entries/beta/020-新條目.md").write_text(entry.read_text(encoding="utf-8").replace("綠色發展", "新條目"),
                                                         encoding="utf-8")
    elif change == "removed front":
        for path in (basic / "front").iterdir():
            path.unlink()
    else:
        (basic / "entries/link.md").symlink_to("/etc/hostname")
    books, diags = api.editions(basic)
    fresh_books, fresh_diags = load_editions(basic)  # what a process of its own reads
    assert [d.format() for d in diags] == [d.format() for d in fresh_diags]
    assert books == fresh_books
    after = books[0] if books else None
    assert after is not before
    if change == "entry":
        text = "".join(s.text for e in after.entries if e.keyword == "綠色發展" for s in e.sections)
        assert "持續改善" in text and "明顯改善" not in text
    elif change == "book.yaml":
        assert after.config.title.startswith("新") and not before.config.title.startswith("新")
    elif change == "new entry":
        assert "新條目" in {e.keyword for e in after.entries}
    else:
        assert any(d.severity == "error" for d in diags), "the change is reported"


def test_a_manuscript_with_an_error_is_not_kept(basic):
    entry = basic / ENTRY
    good = entry.read_text(encoding="utf-8")
    entry.write_text(good.replace("## 實踐成效\n", ""), encoding="utf-8")
    books, diags = api.editions(basic)
    assert books == [] and any(d.severity == "error" for d in diags)
    assert memo._last is None
    entry.write_text(good, encoding="utf-8")
    books, diags = api.editions(basic)
    assert books and not any(d.severity == "error" for d in diags)
