"""Simplified characters in Traditional text, judged with OpenCC: what lint flags and what fix may change.

A character is flagged when OpenCC's Simplified → Traditional conversions of its line (s2t and s2tw, the
Taiwan standard, which gives the suggested form) both change it while the Traditional → Simplified conversion
leaves the character itself unchanged (污 → 汙 or 着 → 著 alone are Taiwan variant preferences, not flagged): 后 in 先富幫后富 becomes 後, so
it is flagged; 後 is already Traditional (t2s changes it), and 后 in 皇后 is kept by the conversion, so neither
is flagged. A flagged character is fixable only when OpenCC's character table gives it a single Traditional
form (线 → 線); characters with several (后 → 後/后, 发 → 發/髮, 台 → 臺/檯/颱/台) are left to an editor.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from ..tempfiles import scratch_dir

_IDEOGRAPH = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f"))


def is_ideograph(ch: str) -> bool:
    return any(lo <= ch <= hi for lo, hi in _IDEOGRAPH)


@dataclass(frozen=True)
class Simplified:
    """A simplified character at index of a line, the Traditional form the context wants, and whether fix may apply it."""

    index: int
    char: str
    trad: str
    fixable: bool


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def _t2s(ch: str) -> str:
    return _converter("t2s").convert(ch)


def _dump(tool: Path, share: Path, name: str, out: Path) -> dict[str, list[str]]:
    target = out / f"{name}.txt"
    subprocess.run([str(tool), "-i", str(share / f"{name}.ocd2"), "-f", "ocd2", "-o", str(target), "-t", "text"],
                   check=True, capture_output=True, timeout=30)
    table: dict[str, list[str]] = {}
    for line in target.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            table[key] = values.split()
    return table


def _tables(*names: str) -> list[dict[str, list[str]]]:
    """OpenCC dictionaries (STCharacters, TWVariants …) as text tables, dumped with the package's own tool."""
    base = Path(opencc.__file__).resolve().parent / "clib"
    tool, share = base / "bin" / "opencc_dict", base / "share" / "opencc"
    with scratch_dir("opencc") as tmp:
        return [_dump(tool, share, name, Path(tmp)) for name in names]


@lru_cache(maxsize=1)
def candidates() -> dict[str, tuple[str, ...]]:
    """Simplified character → its Traditional (Taiwan) forms, from the dictionaries the opencc package ships.

    Empty when the package's dictionary tool cannot be run: then no character counts as unambiguous.
    """
    try:
        st, tw = _tables("STCharacters", "TWVariants")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, values in st.items():
        forms: list[str] = []
        for v in values:
            v = tw.get(v, [v])[0]
            if v not in forms:
                forms.append(v)
        out[key] = tuple(forms)
    return out


def _allowed(line: str, allow: frozenset[str]) -> set[int]:
    """Indexes covered by an allow-list entry: a single character anywhere, a word where it occurs."""
    out: set[int] = set()
    for word in allow:
        if len(word) == 1:
            out.update(i for i, ch in enumerate(line) if ch == word)
            continue
        start = line.find(word)
        while start != -1:
            out.update(range(start, start + len(word)))
            start = line.find(word, start + 1)
    return out


def _convert(line: str, config: str) -> str:
    """The line converted; character by character when a phrase conversion changed its length."""
    converter = _converter(config)
    converted = converter.convert(line)
    if len(converted) != len(line):
        converted = "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in line)
    return converted


def simplified_chars(line: str, allow: frozenset[str] = frozenset(), skip: set[int] | frozenset[int] = frozenset()) -> list[Simplified]:
    """The simplified characters of one line of Traditional text, judged in the line's context."""
    if not any(is_ideograph(ch) for ch in line):
        return []
    taiwan, generic = _convert(line, "s2tw"), _convert(line, "s2t")
    if taiwan == line or generic == line:  # a character is flagged only where both conversions change it
        return []
    allowed = _allowed(line, allow) if allow else set()
    table = candidates()
    out: list[Simplified] = []
    for i, (ch, trad, other) in enumerate(zip(line, taiwan, generic)):
        # both conversions must change it: 污 → 汙 or 着 → 著 alone are Taiwan variant preferences
        if ch == trad or ch == other or i in skip or i in allowed or not is_ideograph(ch) or _t2s(ch) != ch:
            continue
        out.append(Simplified(i, ch, trad, table.get(ch) == (trad,)))
    return out


def traditional_chars(line: str, allow: frozenset[str] = frozenset(), skip: set[int] | frozenset[int] = frozenset()) -> list[Simplified]:
    """The Traditional characters of one line of Simplified (zh-Hans) text, judged in the line's context.

    A character is flagged when both Traditional → Simplified conversions of its line (tw2s and t2s) change it;
    `trad` then holds the Simplified form the context wants (發 → 发, 後 → 后). It is fixable when the
    character converted alone gives that same form, as almost every Traditional character does; 瞭 (瞭解 →
    了解, but 瞭望 stays) is left to an editor.
    """
    if not any(is_ideograph(ch) for ch in line):
        return []
    mainland, generic = _convert(line, "tw2s"), _convert(line, "t2s")
    if mainland == line or generic == line:  # a character is flagged only where both conversions change it
        return []
    allowed = _allowed(line, allow) if allow else set()
    out: list[Simplified] = []
    for i, (ch, simp, other) in enumerate(zip(line, mainland, generic)):
        if ch == simp or ch == other or i in skip or i in allowed or not is_ideograph(ch):
            continue
        out.append(Simplified(i, ch, simp, _t2s(ch) == simp))
    return out


@lru_cache(maxsize=1)
def ts_candidates() -> dict[str, tuple[str, ...]]:
    """Traditional character → its Simplified forms (乾 → 干/乾, 著 → 着/著), from OpenCC's TSCharacters.

    Empty when the package's dictionary tool cannot be run.
    """
    try:
        (ts,) = _tables("TSCharacters")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return {}
    return {key: tuple(dict.fromkeys(values)) for key, values in ts.items()}
