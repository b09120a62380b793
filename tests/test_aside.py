"""writers/aside.py: a format written by a forked child beside the build: its value, its error, a stop."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kwbook.errors import BuildError
from kwbook.writers.aside import Aside
from kwbook.writers.output import atomic_output


def _write(target: Path, text: str) -> Path:
    with atomic_output(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _slow_write(target: Path, started: Path) -> Path:
    with atomic_output(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        note = started.with_suffix(".part")
        note.write_text(str(tmp), encoding="utf-8")
        os.replace(note, started)  # whole: the parent reads the name only once it is all there
        time.sleep(30)
    return target


def _refuse(name: str):
    raise BuildError("build.epub-font", family=name)


def test_the_childs_value_and_output(tmp_path):
    aside = Aside(_write, tmp_path / "out.docx", "全文")
    assert aside.result() == tmp_path / "out.docx"
    assert (tmp_path / "out.docx").read_text(encoding="utf-8") == "全文"
    aside.stop()  # after result(): nothing left to stop


def test_the_childs_build_error_is_raised_as_itself(tmp_path):
    expected = str(BuildError("build.epub-font", family="Noto Serif CJK TC"))
    with pytest.raises(BuildError) as caught:
        Aside(_refuse, "Noto Serif CJK TC").result()
    assert str(caught.value) == expected and "Noto Serif CJK TC" in expected


def test_a_child_that_dies_is_an_error_not_a_hang(tmp_path):
    with pytest.raises(RuntimeError, match="exit code 3"):
        Aside(os._exit, 3).result()


def test_stopping_a_child_leaves_neither_its_output_nor_its_temporary_file(tmp_path):
    started = tmp_path / "started"
    aside = Aside(_slow_write, tmp_path / "out.docx", started)
    for _ in range(200):
        if started.exists():
            break
        time.sleep(0.05)
    tmp = Path(started.read_text(encoding="utf-8"))
    assert tmp.parent == tmp_path and tmp.is_file()
    aside.stop()  # SIGINT: were it ignored, stop() would kill the child and its temporary file would stay
    assert not (tmp_path / "out.docx").exists() and not tmp.exists()
