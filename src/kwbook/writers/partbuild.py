"""The PDF built part by part: plan, lay out the parts on every core (cached), repeat while page numbers move, merge.

Each part is laid out knowing where it starts (page counter and side) and the pages of the anchors it cites in
other parts. Those come first from this build's results, else from the last build's state, else from an
estimate (a first build only measures the parts in its first pass: layout without writing). After a pass,
the parts whose inputs changed (a part before them grew by a page, an entry they cite moved) are laid out again; at most MAX_PASSES passes, then the build falls back to the single document.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import signal
import sys
from pathlib import Path

from ..messages import text
from ..model import Book
from ..render.page import page_css
from . import pagemap
from .partcache import PartCache, cache_dir, environment, part_key
from .partmerge import merge
from .parts import Part, finished_html, pad_css, pads_for, part_html, plan, unit_digest
from .partwork import lay_out_part

MAX_PASSES = 4
CHARS_PER_PAGE = 1400  # an estimate of the HTML a page holds, for a first build with no state to go by


class NotConverged(Exception):
    """Page numbers still moved after MAX_PASSES passes."""


def workers() -> int:
    return max(1, int(os.environ.get("KWBOOK_WORKERS") or os.cpu_count() or 1))


def _reset_at(counters: list[int]) -> int:
    """Index of the first page whose counter does not follow the one before (a counter reset), else len."""
    return next((i for i in range(1, len(counters)) if counters[i] != counters[i - 1] + 1), len(counters))


def plan_inputs(parts: list[Part], known: dict[str, dict]) -> dict[str, dict]:
    """Where each part starts and the pages it cites, from known results (this build's, else the last one's)."""
    starts: dict[str, tuple[int, int]] = {}
    anchors: dict[str, int] = {}
    index, counter = 0, 1
    for part in parts:
        starts[part.name] = (counter, pads_for(part, index))
        info = known.get(part.name)
        if info and info.get("counters"):
            # a part that opens on a right-hand page gains a blank page when it follows a right-hand page
            lead = int(part.opens_right and index % 2 == 1)
            counters, shift = info["counters"], counter + lead - info["start"] - info.get("blank", 0)
            reset = 0 if counters[0] != info["start"] else _reset_at(counters)
            for name, (page, value) in info["anchors"].items():
                anchors[name] = value + shift if page < reset else value
            index += info["pages"] - info.get("blank", 0) + lead
            counter = counters[-1] + (shift if reset == len(counters) else 0) + 1
        else:
            pages = max(1, sum(map(len, part.units)) // CHARS_PER_PAGE)
            index += pages
            counter = (1 if any("body-start" in u for u in part.units) else counter) + pages
    return {
        part.name: {"start": starts[part.name][0], "pads": starts[part.name][1],
                    "external": {name: anchors.get(name, 1) for name in sorted(part.refs)}}
        for part in parts
    }


class PartBuilder:
    """Lays out the parts of one Book (one edition) into the cache and merges them, as screen and/or press PDF.

    Every part is laid out with the press geometry (bleed, crop marks, the CMYK profile: nothing inside the trim
    moves) and written as each of variants, so one layout gives both PDFs and the cache keys do not depend
    on which was asked for.
    """

    def __init__(self, book: Book, styles: Path, dist: Path, press: bool = False, variants: tuple[str, ...] = ()):
        from .pdf import press_css

        self.book, self.styles = book, Path(styles)
        self.variants = tuple(variants) or (("press",) if press else ("screen",))
        self.cache = PartCache(cache_dir(dist, book.config.slug))
        self.css = [page_css(book.config)]
        self.press_css = press_css(book)
        self.icc = str(Path(book.config.print.icc_profile).resolve())
        self.env = environment(Path(book.root) / "book.yaml", self.styles, self.css + [self.press_css])
        self.parts = plan(book)
        self.laid_out = 0  # parts laid out (not taken from the cache) by this builder
        self._finished: dict[str, str] = {}  # part name → its document before pads (made once per build)
        cited = set().union(*(p.refs for p in self.parts))
        # a leaf: the last part, no anchor of it cited elsewhere: nothing else needs its pages (the index)
        self.leaves = {p.name for p in self.parts[-1:] if len(self.parts) > 1 and not p.anchors & cited}

    def job(self, part: Part, inputs: dict) -> dict:
        if part.name not in self._finished:
            self._finished[part.name] = finished_html(self.book, part)
        return {
            "html": part_html(self.book, part, inputs["pads"], self._finished[part.name]), "css": self.css + [pad_css(inputs["start"], inputs["pads"])],
            "root": str(self.book.root), "styles": str(self.styles), "press": self.press_css, "icc": self.icc,
            "pads": inputs["pads"], "external": inputs["external"],
        }

    def run(self) -> dict[str, dict]:
        """Lay out every part until page numbers settle; returns part name → result (with its key and inputs).

        A first build (nothing known of a part) measures it in the first pass, except a leaf (the index): no
        other part needs its pages, so it waits for the next pass and is laid out once, with its real inputs.
        Each job goes to the workers as soon as it is made, those never laid out first, then the slowest.
        """
        previous = self.cache.read_state()
        results: dict[str, dict] = {}
        progress = _Progress(len(self.parts))
        pool = None
        try:
            for _ in range(MAX_PASSES):
                inputs = plan_inputs(self.parts, {**previous, **results})
                todo = [p for p in self.parts if p.name not in results or results[p.name].get("measured")
                        or results[p.name]["inputs"] != inputs[p.name]]
                if not todo:
                    break
                unknown = {p.name for p in todo if p.name not in previous and p.name not in results}
                if unknown - self.leaves:  # measuring: a leaf is laid out once the others are known
                    todo = [p for p in todo if p.name not in unknown & self.leaves]
                todo.sort(key=lambda p: (p.name in results, -results.get(p.name, {}).get("seconds", 0),
                                         -sum(map(len, p.units))))
                jobs, futures = {}, {}
                for part in todo:
                    job = self.job(part, inputs[part.name])
                    key = part_key(self.env, job)
                    hit = self.cache.get(key, self.variants)
                    if hit is not None:
                        results[part.name] = {**hit, "key": key, "inputs": inputs[part.name], "start": inputs[part.name]["start"]}
                        progress.done(hit["pages"])
                        continue
                    job["measure"] = part.name in unknown - self.leaves  # nothing known of it: a first pass only measures it
                    job["out"] = {v: str(self.cache.pdf(key, v)) for v in self.variants}
                    jobs[part.name] = (key, job)
                    if pool is None and workers() > 1 and len(jobs) > 1:
                        pool = concurrent.futures.ProcessPoolExecutor(
                            min(workers(), len(todo)), mp_context=multiprocessing.get_context("fork"),
                            initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))  # Ctrl-C: the parent stops
                    if pool is not None:  # the workers start while the next jobs are made
                        futures.update({pool.submit(lay_out_part, jobs[n][1]): n for n in jobs if n not in futures.values()})
                if pool is None:
                    finished = ((name, lay_out_part(jobs[name][1])) for name in jobs)
                else:
                    finished = ((futures[f], f.result()) for f in concurrent.futures.as_completed(futures))
                for name, result in finished:
                    key, measured = jobs[name][0], jobs[name][1]["measure"]
                    if not measured:
                        self.cache.put(key, result, self.variants)
                        progress.done(result["pages"])
                    results[name] = {**result, "key": key, "inputs": inputs[name], "start": inputs[name]["start"],
                                     "measured": measured}
                    self.laid_out += 1
            else:
                if any(r.get("measured") for r in results.values()) or len(results) < len(self.parts) or \
                        plan_inputs(self.parts, results) != {n: r["inputs"] for n, r in results.items()}:
                    raise NotConverged
        finally:
            progress.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return results

    def layout_env(self) -> str:
        """The environment without the press set-up: screen and press parts break pages alike."""
        return environment(Path(self.book.root) / "book.yaml", self.styles, self.css)

    def state(self, results: dict[str, dict]) -> dict[str, dict]:
        """What the next build (and the one-entry proof, writers/entryproof.py) starts from: each part's layout
        facts, the environment digest and a digest of each of its units (what the facts were measured on)."""
        units = {p.name: [unit_digest(u) for u in p.units] for p in self.parts}
        return {name: {**{k: r[k] for k in ("pages", "counters", "anchors", "start", "blank")},
                       "env": self.layout_env(), "units": units.get(name, [])} for name, r in results.items()}

    def write(self, target: Path) -> tuple[Path, dict]:
        """Lay out (or reuse) the parts, merge them into target (the first variant); returns it and the page map."""
        return Path(target), self.write_variants({self.variants[0]: target})

    def write_variants(self, targets: dict[str, Path]) -> dict:
        """Lay out (or reuse) the parts once, merge each variant into its target; returns the book's page map."""
        results = self.run()
        ordered = [results[p.name] for p in self.parts]
        labels = [label for r in ordered for label in r["labels"]]
        for variant, target in targets.items():
            merge([(self.cache.pdf(r["key"], variant), r["bookmarks"]) for r in ordered], target, labels)
        self.cache.write_state(self.state(results))
        self.cache.prune({r["key"] for r in ordered})
        html = pagemap.print_html(self.book)
        pages = [{"label": label, "block": s[0] if s else None, "offset": s[1] if s else 0}
                 for r in ordered for label, s in zip(r["labels"], r["starts"])]
        data = {"format": pagemap.FORMAT, "key": pagemap.layout_key(self.book, self.styles, html),
                "source": Path(next(iter(targets.values()))).name, "pages": pages}
        return data


class _Progress:
    """Parts done / total and pages so far, on one terminal line; silent when stderr is not a terminal."""

    def __init__(self, total: int):
        self.total, self.count, self.pages = total, 0, 0
        self.shown = sys.stderr.isatty()

    def done(self, pages: int) -> None:
        self.count, self.pages = self.count + 1, self.pages + pages
        if self.shown:
            print("\r" + text("ui.parts-progress", done=self.count, total=self.total, pages=self.pages),
                  end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown and self.count:
            print(file=sys.stderr)
