"""`kwbook sample`: a complete, valid synthetic book assembled from the shipped sample's own sentences."""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

from .editorial.lint import lint_text, read_settings
from .errors import MessageError
from .load import load_book
from .render.markdown import is_wide
from .text import fullwidth_punctuation, sentences

SHIPPED = Path(__file__).resolve().parents[2] / "manuscript"
_PHRASE_SPLIT = re.compile(r"[，、。；：「」『』《》（）〔〕\s·,;:()0-9A-Za-z]+")


class SampleError(MessageError):
    """The shipped sample book, the generator's only source of text, is missing or invalid."""


def _source_text(shipped: Path) -> tuple[dict, list[str], list[str]]:
    book, diags = load_book(shipped)
    if book is None:
        first = next((d for d in diags if d.severity == "error"), None)
        raise SampleError("sample.unusable", path=shipped, first=first.format() if first else "—")
    raw = yaml.safe_load((shipped / "book.yaml").read_text(encoding="utf-8"))
    text = "\n".join(s.text for e in book.entries for s in e.sections)
    text = fullwidth_punctuation(text)
    # Sentences and phrases that lint would flag (a Simplified form such as 后) stay out of synthetic books.
    settings, _ = read_settings(shipped)
    book_yaml = shipped / "book.yaml"

    def clean(s: str) -> bool:
        return not lint_text(s, book_yaml, settings)

    pool = [s for s in sentences(text) if clean(s)]
    phrases = sorted(p for p in {p for p in _PHRASE_SPLIT.split(text) if 4 <= len(p) <= 7} if clean(p))
    return raw, pool, phrases


def _keywords(phrases: list[str], n: int, rng: random.Random) -> list[str]:
    words = phrases[:]
    rng.shuffle(words)
    out: list[str] = []
    seen: set[str] = set()
    i, misses, pieces = 0, 0, 2
    while len(out) < n:
        if i < len(words):
            word = words[i]
        else:
            a, b = rng.choice(phrases), rng.choice(phrases)
            word = a[:2] + b[-2:] if len(a + b) > 4 else a + b
            # two pieces give only so many words (about a thousand): after a long run of repeats, add a piece
            word += "".join(rng.choice(phrases)[-2:] for _ in range(pieces - 2))
        i += 1
        if word not in seen:
            seen.add(word)
            out.append(word)
            misses = 0
        else:
            misses += 1
            if misses > 10_000:
                pieces, misses = pieces + 1, 0
    return out


def _wrap(paragraph: str, width: int) -> str:
    """Hard-wrap about every width characters, only between two Chinese characters."""
    lines, start = [], 0
    while len(paragraph) - start > width:
        cut = start + width
        while cut < len(paragraph) and not (is_wide(paragraph[cut - 1]) and is_wide(paragraph[cut])):
            cut += 1
        lines.append(paragraph[start:cut])
        start = cut
    lines.append(paragraph[start:])
    return "\n".join(line for line in lines if line)


def _section(pool: list[str], rng: random.Random, target: int) -> str:
    paragraphs, size = [], 0
    while size < target:
        para = "".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
        size += len(para)
        # A third of the paragraphs arrive hard-wrapped, as editors' files often do.
        paragraphs.append(_wrap(para, rng.randint(28, 40)) if rng.random() < 0.33 else para)
    return "\n\n".join(paragraphs)


def _split(n: int, parts: int) -> list[int]:
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def write_sample(out: Path, entries: int, seed: int = 0, shipped: Path = SHIPPED) -> Path:
    """Write a manuscript of `entries` entries to out; the same entries and seed give the same files."""
    raw, pool, phrases = _source_text(shipped)
    rng = random.Random(f"kwbook-sample:{entries}:{seed}")
    out = Path(out)
    (out / "front").mkdir(parents=True, exist_ok=True)
    for rel in raw.get("front") or []:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(fullwidth_punctuation((shipped / rel).read_text(encoding="utf-8")), encoding="utf-8")
    config = dict(raw)
    config["slug"] = f"sample-{entries}"
    config["planned_entries"] = entries
    config["identifier"] = f"urn:kwbook:sample:{entries}:{seed}"
    config["date"] = str(config.get("date", ""))
    (out / "book.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    keywords = _keywords(phrases, entries, rng)
    sections = config["sections"]
    k = 0
    for cat, count in zip(config["categories"], _split(entries, len(config["categories"]))):
        folder = out / "entries" / cat["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            keyword = keywords[k]
            meta = {"keyword": keyword, "quote": rng.choice([s for s in pool if len(s) <= 60] or pool)}
            if k >= 5 and rng.random() < 0.2:
                meta["see_also"] = rng.sample(keywords[:k], rng.randint(1, 2))
            body = "\n\n".join(f"## {title}\n\n{_section(pool, rng, rng.randint(450, 640))}" for title in sections)
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            (folder / f"{(i + 1) * 10:03d}-{keyword}.md").write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
            k += 1
    return out
