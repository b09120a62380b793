"""A face cut down to a set of characters by HarfBuzz's subsetter (libharfbuzz-subset, the library WeasyPrint
already uses for the PDF's fonts; scripts/setup.sh installs it).

It keeps every OpenType layout feature (the `vert`/`vrt2` alternates of 直排, `palt`, `kern` …), the vertical
metrics and the glyphs those features reach, and drops the hints; the output is an OpenType font whose bytes
depend only on the face and the characters. On a Noto CJK face it takes milliseconds where fontTools' subsetter
takes seconds. `subset` returns None when the library is missing or refuses the face, and the caller falls back
to fontTools.
"""

from __future__ import annotations

import os
from functools import lru_cache

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_clear(hb_set_t *set);
void hb_set_invert(hb_set_t *set);
const char *hb_version_string(void);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_LIBRARIES = {
    "hb": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz"),
    "subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll", "harfbuzz-subset"),
}
# hb-subset.h: hb_subset_flags_t and hb_subset_sets_t
NO_HINTING = 0x1
SETS_UNICODE = 1
SETS_LAYOUT_FEATURE_TAG = 6


def _open(ffi, names):
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    return None


@lru_cache(maxsize=1)
def _libraries():
    """(ffi, harfbuzz, harfbuzz-subset), or None when either library or a function this module calls is absent
    (hb_set_invert and hb_blob_create_from_file_or_fail need HarfBuzz ≥ 2.8.2; Debian 12 has 6.0)."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    hb, sub = _open(ffi, _LIBRARIES["hb"]), _open(ffi, _LIBRARIES["subset"])
    if hb is None or sub is None:
        return None
    try:
        for name in ("hb_blob_create_from_file_or_fail", "hb_set_invert", "hb_face_reference_blob"):
            getattr(hb, name)
        for name in ("hb_subset_input_create_or_fail", "hb_subset_input_set", "hb_subset_or_fail"):
            getattr(sub, name)
    except AttributeError:
        return None
    return ffi, hb, sub


def version() -> str:
    """HarfBuzz's version, '' when this module cannot use it (a subset's cache key holds it)."""
    libs = _libraries()
    return libs[0].string(libs[1].hb_version_string()).decode() if libs else ""


def subset(path: str, index: int, codepoints: set[int]) -> bytes | None:
    """Face `index` of the font file at `path` cut down to `codepoints` (all layout features kept, no hints), as
    OpenType bytes; None when HarfBuzz is not there or cannot read or subset the face."""
    libs = _libraries()
    if libs is None:
        return None
    ffi, hb, sub = libs
    blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(path))
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    plan = sub.hb_subset_input_create_or_fail()
    result = out = ffi.NULL
    try:
        if plan == ffi.NULL or hb.hb_face_get_glyph_count(face) == 0:  # no such face in the file
            return None
        unicodes = sub.hb_subset_input_set(plan, SETS_UNICODE)
        for codepoint in sorted(codepoints):
            hb.hb_set_add(unicodes, codepoint)
        features = sub.hb_subset_input_set(plan, SETS_LAYOUT_FEATURE_TAG)
        hb.hb_set_clear(features)
        hb.hb_set_invert(features)  # every feature, as fontTools' layout_features = ["*"]
        sub.hb_subset_input_set_flags(plan, NO_HINTING)
        result = sub.hb_subset_or_fail(face, plan)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(out, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else None
    finally:
        if out != ffi.NULL:
            hb.hb_blob_destroy(out)
        if result != ffi.NULL:
            hb.hb_face_destroy(result)
        if plan != ffi.NULL:
            sub.hb_subset_input_destroy(plan)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
