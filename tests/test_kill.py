"""Builds killed with SIGKILL at random moments: dist/ keeps complete files, the next build cleans up."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf

from conftest import copy_root

OUTPUTS = ("basic.pdf", "basic.epub", "basic.docx")
KILLS = 3


def _start(manuscript: Path, dist: Path, tmpdir: Path) -> subprocess.Popen:
    """A build, started as from a terminal: with Ctrl-C's SIGINT in effect, even when these tests run in a
    background job (`cmd &`, nohup, some CI runners), which hands its children SIGINT ignored."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.Popen([sys.executable, "-m", "kwbook.cli", "build", str(manuscript), "-o", str(dist)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _complete(path: Path) -> bool:
    """The file is a whole PDF, EPUB or DOCX (not one cut short)."""
    if path.suffix == ".pdf":
        try:
            with pikepdf.open(path) as pdf:
                return len(pdf.pages) > 0
        except pikepdf.PdfError:
            return False
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None
    except zipfile.BadZipFile:
        return False


def _strays(*folders: Path) -> list[str]:
    return sorted(p.name for f in folders for p in f.iterdir() if ".part" in p.name or "kwbook-" in p.name)


def _built_then_edited(tmp_path: Path) -> tuple[Path, Path, Path, float, dict[str, bytes]]:
    """The basic book built once (its outputs, and how long that took), then one entry edited."""
    manuscript = copy_root("basic", tmp_path)
    dist, tmpdir = tmp_path / "dist", tmp_path / "tmp"
    tmpdir.mkdir()
    began = time.monotonic()
    first = _start(manuscript, dist, tmpdir)
    assert first.wait() == 0, first.stderr.read().decode()
    duration = time.monotonic() - began
    old = {name: (dist / name).read_bytes() for name in OUTPUTS}
    entry = next((manuscript / "entries" / "alpha").glob("010-*.md"))
    entry.write_text(entry.read_text(encoding="utf-8").replace("## 實踐成效\n", "## 實踐成效\n\n新增的一段文字。\n"), encoding="utf-8")
    return manuscript, dist, tmpdir, duration, old


def test_killed_builds_leave_old_or_new_files_and_the_next_build_cleans_up(tmp_path):
    manuscript, dist, tmpdir, duration, old = _built_then_edited(tmp_path)

    rng = random.Random(12)
    killed, attempts, scale = 0, 0, 0.7
    while killed < KILLS and attempts < 3 * KILLS:
        attempts += 1
        build = _start(manuscript, dist, tmpdir)
        time.sleep(rng.uniform(0.05, 1.0) * scale * duration)
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            killed += 1
        else:
            scale /= 2  # this build was quicker than the first: kill the next one sooner
        build.wait()
        for name in OUTPUTS:
            path = dist / name
            assert path.is_file(), f"{name} vanished after a kill"
            data = path.read_bytes()
            assert data == old[name] or _complete(path), f"{name} is neither the old file nor a complete new one"
    assert killed == KILLS, "the builds finished before they could be killed: the test proves nothing"

    final = _start(manuscript, dist, tmpdir)
    assert final.wait() == 0, final.stderr.read().decode()
    assert all(_complete(dist / name) for name in OUTPUTS)
    assert (dist / "basic.pdf").read_bytes() != old["basic.pdf"], "the last build wrote the new text"
    assert _strays(dist, tmpdir) == [], "a killed build's temporary files were left behind"


def test_a_build_removes_what_dead_processes_left_and_keeps_what_live_ones_write(tmp_path):
    from kwbook.tempfiles import sweep

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = tmp_path / "dist"
    folder.mkdir()
    stale = [folder / f".basic.pdf.kwbook-{dead.pid}-x1.part", folder / f".pikepdf..basic.pdf.kwbook-{dead.pid}-x2.partab"]
    live = folder / f".basic.epub.kwbook-{os.getpid()}-x3.part"
    other = folder / ".basic.pdf.notours.part"
    for path in (*stale, live, other):
        path.write_bytes(b"%PDF-")
    scratch = tmp_path / f"kwbook-{dead.pid}-docx-abc"
    scratch.mkdir()
    (scratch / "reference.docx").write_bytes(b"PK")
    assert sorted(sweep(folder, hidden=True)) == sorted(stale)
    assert sweep(tmp_path) == [scratch]
    assert live.exists() and other.exists() and not scratch.exists()


def test_a_zombies_files_are_removed(tmp_path):
    """A killed build's child outlives its parent as a zombie until reaped: it cannot clean up, so it is not alive."""
    from kwbook.tempfiles import sweep

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    for _ in range(100):  # ended, not reaped (no wait): a zombie
        if Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.05)
    scratch = tmp_path / f"kwbook-{child.pid}-docx-abc"
    scratch.mkdir()
    assert sweep(tmp_path) == [scratch] and not scratch.exists()
    child.wait()


def _interrupt(manuscript: Path, dist: Path, tmpdir: Path, signum: int, delay: float) -> subprocess.CompletedProcess | None:
    """A build sent signum after delay seconds; None when it finished first."""
    build = _start(manuscript, dist, tmpdir)
    time.sleep(delay)
    if build.poll() is not None:
        build.stderr.read()
        return None
    os.killpg(build.pid, signum)
    stderr = build.stderr.read().decode()
    return subprocess.CompletedProcess(build.args, build.wait(), "", stderr)


def test_an_interrupted_build_leaves_every_old_output_and_no_temporary_file(tmp_path):
    """Ctrl-C or SIGTERM at any moment: the outputs are renamed into place together at the end, so dist/ keeps
    the old PDF, EPUB and DOCX all three (not a new DOCX beside an old PDF), and no `.part` is left."""
    manuscript, dist, tmpdir, duration, old = _built_then_edited(tmp_path)

    interrupted = {signal.SIGINT: 0, signal.SIGTERM: 0}
    for fraction in (0.15, 0.25, 0.35, 0.45, 0.6, 0.75):
        for signum in interrupted:
            before = {name: (dist / name).read_bytes() for name in OUTPUTS}
            result = _interrupt(manuscript, dist, tmpdir, signum, fraction * duration)
            after = {name: (dist / name).read_bytes() for name in OUTPUTS}
            assert _strays(dist) == [], f"{signum!r} left temporary files"
            if result is not None and result.returncode == 128 + signum:  # stopped within the command
                interrupted[signum] += 1
                assert "Traceback" not in result.stderr, result.stderr
                assert "interrupted" in result.stderr or "已中斷" in result.stderr, result.stderr
                assert after == before, f"a build stopped with {signum!r} changed dist/"
            else:  # it finished first (or was killed before it began): every output new, or none
                changed = {name for name in OUTPUTS if after[name] != before[name]}
                assert changed in (set(), set(OUTPUTS)) or (after == before), changed
                assert all(_complete(dist / name) for name in OUTPUTS)
    assert all(interrupted.values()), "the builds finished before they could be interrupted: the test proves nothing"

    final = _start(manuscript, dist, tmpdir)
    assert final.wait() == 0, final.stderr.read().decode()
    assert all((dist / name).read_bytes() != old[name] for name in ("basic.pdf", "basic.docx")), "the new text"
    assert _strays(dist, tmpdir) == []


def test_a_failed_format_leaves_the_others_unchanged(tmp_path, monkeypatch):
    """The EPUB fails after the PDF is written and while the DOCX is written aside: no output is replaced."""
    from kwbook import api
    from kwbook.errors import BuildError
    from kwbook.writers import epub

    manuscript = copy_root("basic", tmp_path)
    dist = tmp_path / "dist"
    dist.mkdir()
    old = {name: f"old {name}".encode() for name in OUTPUTS}
    for name, data in old.items():
        (dist / name).write_bytes(data)

    def refuse(*args, **kwargs):
        raise BuildError("build.refused", url="file:///nowhere")

    monkeypatch.setattr(epub, "write_epub", refuse)
    books, _ = api.editions(manuscript)
    try:
        api.build_books(books, manuscript, dist)
    except BuildError:
        pass
    else:
        raise AssertionError("the EPUB's error was not raised")
    assert {name: (dist / name).read_bytes() for name in OUTPUTS} == old
    assert _strays(dist) == []


def _write_aside(target: Path, data: bytes) -> Path:
    from kwbook.writers.output import atomic_output

    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
    return target


def test_outputs_written_together_are_renamed_only_at_the_end(tmp_path):
    from kwbook.writers.aside import Aside
    from kwbook.writers.output import atomic_output, together

    a, b, cache = tmp_path / "a.pdf", tmp_path / "b.docx", tmp_path / "cache.json"
    for path in (a, b):
        path.write_bytes(b"old")
    try:
        with together([a, b]):
            with atomic_output(a) as tmp:
                tmp.write_bytes(b"new a")
            assert Aside(_write_aside, b, b"new b").result() == b  # written in a forked child
            with atomic_output(cache) as tmp:  # not an output of the build: in place at once
                tmp.write_bytes(b"{}")
            assert a.read_bytes() == b.read_bytes() == b"old" and cache.read_bytes() == b"{}"
            Aside(_write_aside, b, b"newer b").stop()  # a child stopped, whether or not it had finished
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert a.read_bytes() == b.read_bytes() == b"old"
    assert _strays(tmp_path) == []

    with together([a, b]):
        with atomic_output(a) as tmp:
            tmp.write_bytes(b"new a")
        Aside(_write_aside, b, b"new b").result()
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
    assert _strays(tmp_path) == []
