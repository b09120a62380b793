"""The date outputs are stamped with, and zip archives (EPUB, DOCX) rewritten with it: same sources, same bytes."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

from ..model import BookConfig

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DOS_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip member can carry


def source_date(config: BookConfig) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH if set, else the book's date (book.yaml `date`) at midnight UTC, else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    m = _DATE.match(str(config.date).strip())
    if m:
        try:
            return dt.datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1), tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return None


def write_zip(target: Path, members: list[tuple[str, bytes]], when: dt.datetime | None, stored: tuple[str, ...] = ()) -> None:
    """A zip of members in the order given, every one stamped `when` (else 1980-01-01) with the same mode;
    the names in stored are stored, the rest deflated."""
    stamp = when.timetuple()[:6] if when is not None and when.year >= 1980 else DOS_EPOCH
    with zipfile.ZipFile(target, "w") as dst:
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, data, compresslevel=9)
