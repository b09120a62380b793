"""The corpus of bad manuscripts (tests/roots/bad): one defect each, its code at its file:line, dist/ untouched.

Each folder under tests/roots/bad holds the files that differ from tests/roots/basic and an expected.txt:

    # what is wrong (one line)
    error CODE PATH:LINE          every error the check must report, and no other
    remove PATH | mkdir PATH | move PATH NEWPATH | link PATH -> TARGET
    big PATH BYTES | long PATH CHARS   a file too large, or one line too long (made at test time)
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOTS, UNFILLED, run_kwbook
from kwbook import api
from kwbook.messages import CATALOG

BAD = ROOTS / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())
OLD = {"basic.pdf": b"%PDF- old", "basic.epub": b"PK old", "basic.docx": b"PK old", ".basic.pages.json": b"{}"}


def _entry(text: str) -> str:
    return f"---\nkeyword: 加長詞條\nquote: 一句引文。\n---\n## 概念內涵\n\n{text}\n\n## 緣由演進\n\n一段。\n\n## 實踐成效\n\n一段。\n"


def _apply(op: str, root: Path) -> None:
    verb, _, rest = op.partition(" ")
    if verb == "remove":
        path = root / rest
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    elif verb == "mkdir":
        (root / rest).mkdir(parents=True, exist_ok=True)
    elif verb == "move":
        old, new = rest.split(" ")
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        (root / old).rename(root / new)
    elif verb == "link":
        path, target = rest.split(" -> ")
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / path)
    elif verb == "big":
        path, size = rest.split(" ")
        (root / path).write_text(_entry(("綠色發展的一段文字。\n" * (int(size) // 30 + 1))), encoding="utf-8")
    elif verb == "long":
        path, chars = rest.split(" ")
        (root / path).write_text(_entry("長" * int(chars)), encoding="utf-8")
    else:
        raise AssertionError(f"unknown operation in expected.txt: {op}")


def make_root(name: str, dest: Path) -> tuple[Path, list[str]]:
    """tests/roots/basic with the case's files laid over it; returns the manuscript and the expected errors."""
    root = dest / "m"
    shutil.copytree(ROOTS / "basic", root)
    case = BAD / name
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    expected = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("error "):
            expected.append(line.split(" ", 1)[1])
        elif line and not line.startswith("#"):
            _apply(line, root)
    return root, expected


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", CASES)
def test_bad_manuscript(name, tmp_path):
    root, expected = make_root(name, tmp_path)
    dist = tmp_path / "dist"
    dist.mkdir()
    for file, data in OLD.items():
        (dist / file).write_bytes(data)
    written, diags = api.build(root, dist)  # any exception fails the test: no traceback for bad input
    errors = sorted(f"{d.code} {os.path.relpath(d.path, root)}:{d.line}" for d in diags if d.severity == "error")
    assert errors == sorted(expected)
    assert written == []
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == OLD, "dist/ changed"
    for d in diags:
        assert d.msgid in CATALOG, d.msgid
        for lang in ("zh", "zh-Hans", "en"):  # every placeholder filled: render() falls back to the bare template
            assert not UNFILLED.search(d.localized(lang)), (lang, d.localized(lang))


@pytest.mark.parametrize("name", ["keyword-surrogate", "yaml-book-bomb", "front-absolute", "entry-link-dangling"])
def test_the_command_line_reports_without_a_traceback(name, tmp_path):
    root, expected = make_root(name, tmp_path)
    result = run_kwbook("build", root, "-o", tmp_path / "dist", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for item in expected:
        code, where = item.split(" ")
        assert any(line.startswith(where + ":") and line.endswith(f"[{code}]") for line in result.stderr.splitlines()), result.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("name", ["entry-link-loop", "front-link-outside", "yaml-book-bomb"])
def test_editorial_commands_report_without_a_traceback(name, tmp_path):
    root, _ = make_root(name, tmp_path)
    for command in (["status"], ["lint"], ["fix", "--diff"]):
        result = run_kwbook(*command, root, cwd=root)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode in (0, 1, 2), (command, result.stderr)


def _outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in dist.iterdir() if p.is_file()}


def test_unusable_output_paths_are_one_clear_line(basic, tmp_path):
    """-o naming a file, or a path through one: the path and the reason, no traceback, exit code 1."""
    a_file = tmp_path / "afile"
    a_file.write_bytes(b"keep")
    reasons = {a_file: "a file of that name exists where a folder is needed", a_file / "sub": "a part of the path is not a folder"}
    for command in (["build", basic], ["proof-entry", "綠色發展", basic], ["schema"]):
        for out, reason in reasons.items():
            result = run_kwbook("--lang", "en", *command, "-o", out, cwd=tmp_path)
            assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr)
            last = result.stderr.splitlines()[-1]
            if command[0] == "proof-entry":  # it names the first folder it could not make: a/.build/…, a/proof
                assert last.startswith(f"kwbook: error: cannot use {out}") and last.endswith(tuple(reasons.values())), last
            else:
                assert last == f"kwbook: error: cannot use {out}: {reason}", (command, result.stderr)
    assert a_file.read_bytes() == b"keep"
    zh = run_kwbook("build", basic, "-o", a_file, cwd=tmp_path)
    assert zh.stderr.splitlines()[-1] == f"kwbook: 錯誤：無法使用 {a_file}：已有同名的檔案，不是資料夾"


def test_a_read_only_dist_is_reported_and_kept(basic, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in ("basic.pdf", "basic.epub", "basic.docx"):
        (dist / name).write_bytes(b"old " + name.encode())
    old = _outputs(dist)
    if subprocess.run(["chattr", "+i", dist], capture_output=True).returncode != 0:
        dist.chmod(0o555)
    try:
        try:
            (dist / "probe").write_bytes(b"")
        except OSError:
            pass
        else:
            (dist / "probe").unlink()
            pytest.skip("cannot make a folder read-only here (root without chattr)")
        for command in (["build", basic], ["proof-entry", "綠色發展", basic]):
            result = run_kwbook("--lang", "en", *command, "-o", dist, cwd=tmp_path)
            assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr)
            last = result.stderr.splitlines()[-1]
            assert last.startswith(f"kwbook: error: cannot use {dist}") and last.endswith(": permission denied"), last
            assert ".part" not in last, "a temporary file is named by its target"
    finally:
        subprocess.run(["chattr", "-i", dist], capture_output=True)
        dist.chmod(0o755)
    assert _outputs(dist) == old


def test_an_argument_too_long_for_a_file_name_is_no_traceback(tmp_path):
    long = "長" * 100  # 300 bytes: more than a file name may have
    for command in (["check", long], ["build", long], ["--lang", "en", "check", long], ["lint", long]):
        result = run_kwbook(*command, cwd=tmp_path)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, (command, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_slug_too_long_for_a_file_name_is_refused_by_check(basic, tmp_path):
    book = basic / "book.yaml"
    text = book.read_text(encoding="utf-8")
    book.write_text(text.replace("slug: basic", "slug: " + "a" * 201), encoding="utf-8")
    _, diags = api.check(basic)
    assert [(d.code, d.msgid, d.line) for d in diags if d.severity == "error"] == [("config-slug", "config-slug/long", 6)]
    result = run_kwbook("--lang", "en", "build", basic, "-o", tmp_path / "dist", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and not (tmp_path / "dist").exists()
    assert "“slug” is too long (201 characters, at most 200)" in result.stderr, result.stderr
    book.write_text(text.replace("slug: basic", "slug: " + "a" * 200), encoding="utf-8")
    assert not [d for d in api.check(basic)[1] if d.severity == "error"]
