"""Embedded EPUB fonts: the book's CJK faces subset to the characters it uses, with their @font-face sheet.

Each face is taken by name from its collection (.ttc) in the system font folders and cut down to the characters
of the documents that use it, vertical metrics and the `vert` alternates of 直排 kept: by HarfBuzz's subsetter
(hbsubset.py, milliseconds a face), or by fontTools' where that library is missing (seconds a face). It is saved
as WOFF2 or OTF with the face's own timestamp, so the same text gives the same bytes. The WOFF2 compression still
takes about a second a face, so the subsets are kept in dist/.build/<slug>/epubfonts/ under a key of the font
file, the characters, the format, the subsetter's version and this code: a rebuild whose text brings no new
character takes them from there.
"""

from __future__ import annotations

import hashlib
import io
import logging
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError
from . import hbsubset
from .blobcache import BlobCache

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
MEDIA_TYPES = {"woff2": "font/woff2", "otf": "font/otf"}
ALWAYS = string.printable.strip() + "　、。，：；！？「」『』“”‘’《》〈〉（）【】—…·"


@dataclass(frozen=True)
class Face:
    """One embedded face: its CSS family, the system family it is cut from, and which text it sets."""

    role: str            # serif, sans, kai
    css_family: str
    source_family: str
    weight: str
    pattern: str         # file name pattern in the font folders
    required: bool = True



# What each face sets; serif is the body face and the fallback of the others.
CSS_RULES = {
    "serif": "body",
    "sans": "h1, h2, h3, h4, h5, h6, .toc-category > a, .publisher, .index-group",
    "kai": ".quote",
}


@lru_cache(maxsize=None)
def find_face(family: str, pattern: str) -> tuple[str, int] | None:
    """The collection file and face index whose family name is `family`."""
    from fontTools.ttLib import TTFont

    for base in FONT_DIRS:
        if not base.is_dir():
            continue
        for path in sorted(base.rglob(pattern)):
            for index in range(32):
                try:
                    font = TTFont(str(path), fontNumber=index, lazy=True)
                except Exception:  # past the last face, or not a font
                    break
                try:
                    if font["name"].getDebugName(1) == family:
                        return str(path), index
                finally:
                    font.close()
                if not str(path).endswith((".ttc", ".otc")):
                    break
    return None


CACHE_TAG = b"kwbook-epubfonts-1"


def subset_key(path: str, index: int, chars: set[str], flavor: str) -> str:
    """What a subset depends on: the font file (path, size, modification time), the face in it, the characters,
    the format, the versions of fontTools and HarfBuzz and the code of this module and hbsubset.py."""
    import fontTools

    stat = Path(path).stat()
    fields = [CACHE_TAG, Path(__file__).read_bytes(), Path(hbsubset.__file__).read_bytes(), fontTools.version.encode(),
              hbsubset.version().encode(), path.encode(),
              f"{stat.st_size} {stat.st_mtime_ns} {index} {flavor}".encode(), "".join(sorted(set(chars))).encode()]
    return hashlib.sha256(b"\0".join(fields)).hexdigest()


def subset_font(path: str, index: int, chars: set[str], flavor: str, cache: Path | None = None) -> bytes:
    """The face cut down to chars (plus ASCII and common CJK punctuation), as WOFF2 or OTF bytes; from the cache
    folder, if given, when the same subset was made before (a missing or broken file is made again)."""
    store, key = BlobCache(cache, CACHE_TAG, limit=12), subset_key(path, index, chars, flavor)
    data = store.get(key)
    if data is None:
        data = _subset(path, index, chars, flavor)
        store.put(key, data)
    return data


def codepoints(chars: set[str]) -> set[int]:
    """What a face's subset keeps: the characters it sets, plus ASCII and common CJK punctuation (ALWAYS)."""
    return {ord(c) for c in set(chars) | set(ALWAYS)}


def _subset(path: str, index: int, chars: set[str], flavor: str) -> bytes:
    points = codepoints(chars)
    data = hbsubset.subset(path, index, points)
    if data is None:
        return _subset_fonttools(path, index, points, flavor)
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)
    _keep_base(font, path, index)
    return _save(font, flavor)


def _keep_base(font, path: str, index: int) -> None:
    """Put the face's BASE table (its ideographic baselines, which browsers read for vertical text) back into
    HarfBuzz's subset, which drops it, when the table is plain coordinates that name no glyph."""
    from fontTools.ttLib import TTFont

    source = TTFont(path, fontNumber=index)
    try:
        if "BASE" in source and "BASE" not in font and _names_no_glyph(source["BASE"].table):
            font["BASE"] = source["BASE"]
    finally:
        source.close()


def _names_no_glyph(value) -> bool:
    """Whether a BASE table holds only format-1 coordinates (formats 2 and 3 name a glyph or a device table)."""
    if type(value).__name__ == "BaseCoord":
        return value.Format == 1
    if isinstance(value, list):
        return all(map(_names_no_glyph, value))
    if type(value).__module__.startswith("fontTools.ttLib.tables.otTables"):
        return all(_names_no_glyph(v) for v in vars(value).values())
    return True


def _subset_fonttools(path: str, index: int, codepoints: set[int], flavor: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]          # keeps vert/vrt2 for vertical text, kern, palt …
    options.hinting = False
    options.desubroutinize = False
    options.drop_tables += ["FFTM"]
    font = TTFont(path, fontNumber=index, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    level = logging.getLogger("fontTools").level
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        subsetter.subset(font)
    finally:
        logging.getLogger("fontTools").setLevel(level)
    return _save(font, flavor)


def _save(font, flavor: str) -> bytes:
    font.flavor = "woff2" if flavor == "woff2" else None
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


@dataclass(frozen=True)
class EmbeddedFont:
    file_name: str       # relative to the package document, e.g. fonts/serif.woff2
    media_type: str
    content: bytes


def faces(language: str = "zh-Hant") -> tuple[Face, ...]:
    """The book's faces for its language: the SC cuts and a Simplified Kai for zh-Hans, the TC cuts otherwise."""
    from ..lang import profile

    p = profile(language)
    kai_file = "gkai00mp*.tt[cf]" if p.simplified else "ukai*.tt[cf]"
    return (
        Face("serif", "kwbook Serif", p.serif, "normal", "NotoSerifCJK*Regular*.tt[cf]"),
        Face("sans", "kwbook Sans", p.sans, "bold", "NotoSansCJK*Bold*.tt[cf]"),
        Face("kai", "kwbook Kai", p.kai, "normal", kai_file, required=False),
    )


def embedded_fonts(chars: dict[str, set[str]], flavor: str, language: str = "zh-Hant",
                   cache: Path | None = None) -> tuple[list[EmbeddedFont], str]:
    """Subset every available face to its characters; returns the font files and the @font-face stylesheet.

    chars maps a face role (serif, sans, kai) to the characters set in it; cache: the folder of subsets made
    before (subset_font).
    """
    ext = "woff2" if flavor == "woff2" else "otf"
    files: list[EmbeddedFont] = []
    css = ["/* Generated by kwbook: the book's faces, subset to the characters it uses. */"]
    book_faces = faces(language)
    for face in book_faces:
        found = find_face(face.source_family, face.pattern)
        if found is None:
            if face.required:
                raise BuildError("build.epub-font", family=face.source_family)
            continue
        name = f"fonts/{face.role}.{ext}"
        files.append(EmbeddedFont(name, MEDIA_TYPES[ext], subset_font(*found, chars.get(face.role, set()), ext, cache)))
        css.append(
            f'@font-face {{ font-family: "{face.css_family}"; font-weight: {face.weight}; font-style: normal; '
            f'src: url("../{name}") format("{"woff2" if ext == "woff2" else "opentype"}"); }}'
        )
    generic = {"serif": "serif", "sans": "sans-serif", "kai": "serif"}
    embedded = {f.role for f in book_faces if any(x.file_name.startswith(f"fonts/{f.role}.") for x in files)}
    for role, selector in CSS_RULES.items():
        if role in embedded:
            face = next(f for f in book_faces if f.role == role)
            fallback = '"kwbook Serif", ' if role == "kai" else ""
            css.append(f'{selector} {{ font-family: "{face.css_family}", {fallback}{generic[role]}; }}')
    return files, "\n".join(css) + "\n"
