"""Language profiles: what book.yaml's `language` tag decides (faces, quotes, book words, index, DOCX, OpenCC).

Every writer and renderer asks `profile(config.language)` instead of naming a face or a word itself, so a
zh-Hans book and a zh-Hant book come out of the same code. Book words (目錄, 參見 …) are content, not messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")

# The words kwbook itself puts into a book, in Traditional Chinese; SIMPLIFIED gives the zh-Hans forms.
WORDS_HANT = {
    "toc": "目錄", "index": "關鍵詞索引", "see_also": "參見", "copyright": "版權頁", "says": "指出",
    "cover": "封面", "body": "正文", "nav": "導覽", "page_numbers": "頁碼", "strokes": "畫", "other": "其他",
    "page": "頁", "book_title": "書名", "editors": "編者", "authors": "作者", "publisher": "出版",
    "edition": "版次", "date": "出版日期", "edited": "編", "written": "著",
}
WORDS_HANS = {
    "toc": "目录", "index": "关键词索引", "see_also": "参见", "copyright": "版权页", "says": "指出",
    "cover": "封面", "body": "正文", "nav": "导览", "page_numbers": "页码", "strokes": "画", "other": "其他",
    "page": "页", "book_title": "书名", "editors": "编者", "authors": "作者", "publisher": "出版",
    "edition": "版次", "date": "出版日期", "edited": "编", "written": "著",
}


@dataclass(frozen=True)
class Profile:
    """Everything that follows from one language tag."""

    tag: str
    script: str                      # "Hans" or "Hant"
    region: str                      # "CN", "TW" or "HK"
    serif: str
    sans: str
    kai: str
    quotes: tuple[str, str, str, str]   # outer open, outer close, inner open, inner close
    sections: tuple[str, str, str]
    index_sort: str
    docx_lang: str                   # w:lang w:eastAsia
    docx_fonts: dict[str, str] = field(default_factory=dict)
    compress: bool = False           # mainland punctuation compression (clreq 3.1.6)
    words: dict[str, str] = field(default_factory=dict)

    @property
    def simplified(self) -> bool:
        return self.script == "Hans"


_HANS = Profile(
    tag="zh-Hans", script="Hans", region="CN",
    serif="Noto Serif CJK SC", sans="Noto Sans CJK SC", kai="AR PL KaitiM GB",
    quotes=("“", "”", "‘", "’"), sections=("概念内涵", "缘由演进", "实践成效"), index_sort="pinyin",
    docx_lang="zh-CN", docx_fonts={"body": "SimSun", "heading": "SimHei", "quote": "KaiTi"},
    compress=True, words=WORDS_HANS,
)
_HANT = Profile(
    tag="zh-Hant", script="Hant", region="TW",
    serif="Noto Serif CJK TC", sans="Noto Sans CJK TC", kai="AR PL UKai TW",
    quotes=("「", "」", "『", "』"), sections=("概念內涵", "緣由演進", "實踐成效"), index_sort="strokes",
    docx_lang="zh-TW", docx_fonts={"body": "PMingLiU", "heading": "Microsoft JhengHei", "quote": "DFKai-SB"},
    words=WORDS_HANT,
)
_HK = Profile(
    tag="zh-Hant-HK", script="Hant", region="HK",
    serif="Noto Serif CJK HK", sans="Noto Sans CJK HK", kai="AR PL UKai HK",
    quotes=_HANT.quotes, sections=_HANT.sections, index_sort="strokes",
    docx_lang="zh-HK", docx_fonts={"body": "MingLiU_HKSCS", "heading": "Microsoft JhengHei", "quote": "DFKai-SB"},
    words=WORDS_HANT,
)
_PROFILES = {"zh-hans": _HANS, "zh-cn": _HANS, "zh-hans-cn": _HANS, "zh-sg": _HANS, "zh-hans-sg": _HANS,
             "zh-hant": _HANT, "zh-hant-tw": _HANT, "zh-tw": _HANT, "zh": _HANT,
             "zh-hant-hk": _HK, "zh-hk": _HK, "zh-hant-mo": _HK, "zh-mo": _HK}


def known(tag: str) -> bool:
    """True when kwbook has a profile for the tag (case-insensitive; zh-CN, zh-TW and zh-HK count too)."""
    return str(tag).strip().lower() in _PROFILES


def profile(tag: str) -> Profile:
    """The profile of a language tag; an unknown tag gets the zh-Hant (Taiwan) profile, as before."""
    return _PROFILES.get(str(tag).strip().lower(), _HANT)


def opencc_config(source: str, target: str) -> str:
    """The OpenCC configuration from one language to another: s2tw / s2hk / tw2s / hk2s, never the phrase variants.

    s2twp and tw2sp rewrite vocabulary (中央文件 → 中央檔案, 支持 → 支援); a book of Party and government
    documents must keep its words, so only character conversion (with OpenCC's character-level phrases) is used.
    """
    src, dst = profile(source), profile(target)
    if src.script == dst.script:
        raise ValueError(f"{source} → {target}: same script")
    if dst.simplified:
        return {"TW": "tw2s", "HK": "hk2s"}[src.region]
    return {"TW": "s2tw", "HK": "s2hk"}[dst.region]


def quote(text: str, tag: str) -> str:
    """The text in the language's outer quotation marks, with the other style's marks inside turned into inner marks."""
    p = profile(tag)
    o, c, io, ic = p.quotes
    inner = text
    for a, b in (("「", "『"), ("」", "』"), ("“", "‘"), ("”", "’")):
        inner = inner.replace(a, b)
    if p.simplified:
        inner = inner.replace("『", io).replace("』", ic)
    else:
        inner = inner.replace("‘", io).replace("’", ic)
    return f"{o}{inner}{c}"


def in_script(text: str, tag: str) -> str:
    """kwbook's own words (written in Traditional Chinese) in the script of the book's language.

    For a zh-Hans book they go through OpenCC t2s (character conversion only); a zh-Hant book keeps them.
    """
    if not profile(tag).simplified:
        return text
    return _t2s(text)


def _t2s(text: str) -> str:
    from functools import lru_cache

    global _t2s_cached
    if _t2s_cached is None:
        import opencc

        converter = opencc.OpenCC("tw2s")
        _t2s_cached = lru_cache(maxsize=4096)(converter.convert)
    return _t2s_cached(text)


_t2s_cached = None
