"""`kwbook watch` and the one-entry proof: the proof's pages are the book's pages; errors keep dist/; Ctrl-C is clean."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import copy_root, run_kwbook
from pdfread import page_texts

LONG = "為校樣測試而加入的段落，讓這一條多出一頁。" * 70


def book_pages(dist: Path, slug: str, labels: list[str]) -> list[str]:
    """The text of the full PDF's pages that carry these folios (from the page map), in order."""
    folios = [p["label"] for p in json.loads((dist / f".{slug}.pages.json").read_text(encoding="utf-8"))["pages"]]
    first = folios.index(labels[0])
    assert folios[first:first + len(labels)] == labels
    return page_texts(dist / f"{slug}.pdf")[first:first + len(labels)]


def assert_proof_is_book(proof: Path, dist: Path, slug: str) -> list[str]:
    """Same folios (page labels), same text and layout (pdftotext -layout: running heads, folio side) as the book."""
    with pikepdf.open(proof) as pdf:
        labels = [page.label for page in pdf.pages]
    texts = page_texts(proof)
    assert len(texts) == len(labels) >= 1
    assert texts == book_pages(dist, slug, labels)
    return labels


@pytest.mark.parametrize("part_entries, entry_start", [("24", "page"), ("1", "page"), ("24", "right"), ("1", "right")])
def test_entry_proof_matches_the_book_after_an_edit_that_adds_a_page(basic: Path, tmp_path: Path, part_entries: str,
                                                                     entry_start: str, monkeypatch) -> None:
    monkeypatch.setenv("KWBOOK_PART_ENTRIES", part_entries)  # one part for the category, or a part per entry
    if entry_start == "right":  # every entry on a right-hand page: blank pages come and go between entries
        book_yaml = basic / "book.yaml"
        book_yaml.write_text(book_yaml.read_text(encoding="utf-8") + "entry_start: right\n", encoding="utf-8")
    dist = tmp_path / "dist"
    assert run_kwbook("build", basic, "--format", "pdf", "-o", dist).returncode == 0
    done = run_kwbook("proof-entry", "綠色發展", basic, "-o", dist, "--lang", "en")
    assert done.returncode == 0, done.stderr
    proof = dist / "proof" / "綠色發展.pdf"
    assert "wrote" in done.stdout and proof.name in done.stdout
    before = assert_proof_is_book(proof, dist, "basic")
    assert "數字經濟" in "".join(page_texts(proof))  # its see_also, with the page number the book prints

    entry = basic / "entries" / "alpha" / "010-綠色發展.md"
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + LONG + "\n", encoding="utf-8")
    assert run_kwbook("proof-entry", "綠色發展", basic, "-o", dist).returncode == 0  # from the last build's pages
    assert run_kwbook("build", basic, "--format", "pdf", "-o", dist).returncode == 0
    after = assert_proof_is_book(proof, dist, "basic")
    assert len(after) > len(before)  # the edit added a page, and the cited page number moved with it


def test_entry_proofs_of_every_edition(tmp_path: Path) -> None:
    """A zh-Hans manuscript with a Taiwan edition: watch writes the saved entry's proof for each edition, the
    converted one in dist/proof/<slug>/ with its own pages and text; proof-entry --edition writes one."""
    hans = copy_root("hans", tmp_path)
    dist = tmp_path / "dist"
    watch = Watch(hans, dist, "en")
    try:
        watch.until("rebuilt in")
        watch.settle()
        entry = hans / "entries" / "tuopin" / "建档立卡.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("第一步。", "第一步！", 1), encoding="utf-8")
        line = watch.until("rebuilt in")[-1]
    finally:
        watch.proc.send_signal(signal.SIGINT)
        watch.proc.wait(timeout=60)
    own, tw = dist / "proof" / "建档立卡.pdf", dist / "proof" / "hans-keywords-tw" / "建檔立卡.pdf"
    assert "0 errors" in line and os.path.join("proof", "建档立卡.pdf") in line
    assert os.path.join("proof", "hans-keywords-tw", "建檔立卡.pdf") in line, line
    assert_proof_is_book(own, dist, "hans-keywords")
    assert_proof_is_book(tw, dist, "hans-keywords-tw")
    own_text, tw_text = "".join(page_texts(own)), "".join(page_texts(tw))
    assert "第一步！" in own_text and "建档立卡" in own_text
    assert "第一步！" in tw_text and "建檔立卡" in tw_text and "建档立卡" not in tw_text
    assert "東西部扶貧協作（第" in tw_text  # its see_also, converted, with the edition's page number

    tw.unlink()
    for keyword in ("建档立卡", "建檔立卡"):  # as the manuscript writes it, or as the edition prints it
        done = run_kwbook("proof-entry", keyword, hans, "-o", dist, "--edition", "hans-keywords-tw", "--lang", "en")
        assert done.returncode == 0 and tw.name in done.stdout, done.stderr
        assert_proof_is_book(tw, dist, "hans-keywords-tw")
    wrong = run_kwbook("proof-entry", "建档立卡", hans, "-o", dist, "--edition", "nope", "--lang", "en")
    assert wrong.returncode == 2 and "no edition “nope”" in wrong.stderr and "hans-keywords-tw" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_proof_entry_unknown_keyword(basic: Path, tmp_path: Path) -> None:
    result = run_kwbook("proof-entry", "沒有這條", basic, "-o", tmp_path / "dist", "--lang", "en")
    assert result.returncode == 2
    assert "no entry “沒有這條”" in result.stderr and "Traceback" not in result.stderr


class Watch:
    """kwbook watch in a subprocess, its stdout read line by line."""

    def __init__(self, manuscript: Path, dist: Path, lang: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "kwbook.cli", "watch", str(manuscript), "-o", str(dist),
                                      "--lang", lang], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True).start()

    def until(self, needle: str, timeout: float = 300) -> list[str]:
        """Lines up to and including the first one containing needle."""
        seen, end = [], time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                seen.append(self.lines.get(timeout=1))
            except queue.Empty:
                assert self.proc.poll() is None, f"watch exited: {self.proc.stderr.read()}"
                continue
            if needle in seen[-1]:
                return seen
        raise AssertionError(f"no line with {needle!r} after {timeout} s: {seen}")

    def settle(self) -> None:
        time.sleep(1.5)  # let the next save be a new change (mtime resolution, debounce)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_watch_rebuilds_proofs_keeps_outputs_on_error_and_stops_on_ctrl_c(basic: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    watch = Watch(basic, dist, "en")
    try:
        first = watch.until("rebuilt in")
        assert "first build" in first[-1] and "0 errors" in first[-1]
        assert {"basic.pdf", "basic.epub", "basic.docx"} <= set(digest(dist))
        watch.settle()

        entry = basic / "entries" / "alpha" / "020-數字經濟.md"
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("。", "！", 1), encoding="utf-8")
        line = watch.until("rebuilt in")[-1]
        assert "020-數字經濟.md" in line and "pages" in line and "proof" in line and "數字經濟.pdf" in line
        proof = dist / "proof" / "數字經濟.pdf"
        assert_proof_is_book(proof, dist, "basic")
        assert "！" in "".join(page_texts(proof))
        watch.settle()

        good = digest(dist)
        broken = text.replace("## 實踐成效", "## 其他", 1)  # a section removed
        assert broken != text
        entry.write_text(broken, encoding="utf-8")
        lines = watch.until("not rebuilt")
        refused = lines[-1]
        assert "020-數字經濟.md" in refused and re.search(r"\b[1-9]\d* errors", refused), refused
        report = watch.until("020-數字經濟.md:")
        assert any(l.startswith(os.path.relpath(entry)) and ": error: " in l for l in report), report
        assert digest(dist) == good  # the last good outputs, byte for byte
    finally:
        watch.proc.send_signal(signal.SIGINT)
        code = watch.proc.wait(timeout=60)
    stderr = watch.proc.stderr.read()
    assert code in (0, 130), stderr
    assert "Traceback" not in stderr and "stopped watching" in stderr


def test_progress_on_a_terminal_only(basic: Path, tmp_path: Path) -> None:
    """Parts done / total and pages so far on a terminal's stderr; nothing on a pipe (CI logs)."""
    import pty

    master, slave = pty.openpty()
    cmd = [sys.executable, "-m", "kwbook.cli", "build", str(basic), "--format", "print", "--lang", "en"]
    proc = subprocess.Popen(cmd + ["-o", str(tmp_path / "tty")], stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(master)
    shown = seen.decode("utf-8", "replace")
    assert re.search(r"laying out parts (\d+)/\1, [1-9]\d* pages so far", shown), shown
    piped = subprocess.run(cmd + ["-o", str(tmp_path / "pipe")], capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.parametrize("new_pages, b_page", [(1, 6), (2, 6), (3, 8), (4, 8), (5, 10)])
def test_entry_proof_pages_with_entry_start_right(new_pages: int, b_page: int) -> None:
    """The proof's page numbers after the entry, every entry on a right-hand page: entry a (3 pages and a blank in
    the last build) gets new_pages; entry b after it in its part moves to the next right-hand page (an even index);
    the next part, which opens on a right-hand page, moves as far."""
    from kwbook.writers.entryproof import anchor_pages
    from kwbook.writers.parts import Part

    parts = [Part("front", ['<section id="toc">'], body=False),
             Part("p1", ['<article id="a">', '<article id="b">', '<article id="c">'], opens_right=True),
             Part("p2", ['<article id="d">'], opens_right=True)]
    state = {"front": {"pages": 4, "anchors": {"toc": [1, 2]}},  # book pages 0-3
             "p1": {"pages": 8, "anchors": {"a": [0, 1], "b": [4, 5], "c": [6, 7]}, "blank": 0},  # a 4-7, b 8-9, c 10-11
             "p2": {"pages": 2, "anchors": {"d": [0, 9]}, "blank": 0}}  # d 12-13
    pages = anchor_pages(parts, state, "a", new_pages - 4, right=True)
    moved = b_page - 8
    assert pages["toc"] == (1, 2) and pages["a"] == (4, 1)
    assert pages["b"] == (b_page, 5 + moved) and pages["c"] == (b_page + 2, 7 + moved)
    assert pages["d"] == (12 + moved, 9 + moved) and (12 + moved) % 2 == 0
    # c, the last entry of its part, one page longer: the next part gains a blank page to open on the right
    assert anchor_pages(parts, state, "c", 1, right=True)["d"] == (14, 11)
    assert anchor_pages(parts, state, "c", 2, right=True)["d"] == (14, 11)
    assert anchor_pages(parts, state, "c", 0, right=True)["d"] == (12, 9)
