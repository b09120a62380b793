"""The PDF built part by part: plan, lay out the parts on every core (cached), repeat while page numbers move, merge.

Each part is laid out knowing where it starts (page counter and side) and the pages of the anchors it cites in
other parts. Those come first from this build's results, else from the last build's state, else from an
estimate: a first build measures most parts in its first pass (layout without writing), while a part whose
inputs are settled by the parts measured before it (the first body part, after the front matter) and the leaf
(the index, which no other part needs) are laid out once, when those are known (PartBuilder.waits_for). After a pass,
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

        A first build (nothing known of a part) measures it in the first pass (a layout, no writing), except
        the parts that can wait (waits_for): those are laid out once, with their real inputs, when what they
        depend on is measured. Jobs go to the workers as soon as they are made, the ones not laid out yet first,
        then the slowest.
        """
        previous = self.cache.read_state()
        results: dict[str, dict] = {}
        progress = _Progress(len(self.parts))
        self._pool = None
        try:
            for _ in range(MAX_PASSES):
                inputs = plan_inputs(self.parts, {**previous, **results})
                todo = [p for p in self.parts if p.name not in results or results[p.name].get("measured")
                        or results[p.name]["inputs"] != inputs[p.name]]
                if not todo:
                    break
                unknown = {p.name for p in todo if p.name not in previous and p.name not in results}
                measuring = unknown - self.leaves
                waiting = self.waits_for(todo, measuring)
                needed = set().union(*waiting.values())  # measured first, so the waiting parts start early
                todo = [p for p in todo if p.name not in waiting and not (measuring and p.name in unknown & self.leaves)]
                todo.sort(key=lambda p: (p.name in results, p.name not in needed,
                                         -results.get(p.name, {}).get("seconds", 0), -sum(map(len, p.units))))
                self._pass([(p, inputs[p.name], p.name in measuring) for p in todo], waiting, results, previous, progress)
            else:
                if any(r.get("measured") for r in results.values()) or len(results) < len(self.parts) or \
                        plan_inputs(self.parts, results) != {n: r["inputs"] for n, r in results.items()}:
                    raise NotConverged
        finally:
            progress.close()
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
        return results

    def waits_for(self, todo: list[Part], measuring: set[str]) -> dict[str, set[str]]:
        """In a measuring pass, the parts that wait for what they depend on rather than being measured.

        A part depends on the parts before it (where it starts) and on those holding the anchors it cites. Fewest
        of those first, a part waits when none of them waits and it is none's dependency (waiting never goes
        round in a circle): in a first build, the first body part waits for the front matter. Returns part name
        → the parts it waits for. (The leaf, the index, waits for the next pass, when everything is known.)
        """
        if not measuring:
            return {}
        holder = {a: p.name for p in self.parts for a in p.anchors}
        names = [p.name for p in self.parts]
        deps = {p.name: set(names[:names.index(p.name)]) | {holder[a] for a in p.refs if a in holder}
                for p in todo if p.name in measuring}
        waiting: dict[str, set[str]] = {}
        for name in sorted(deps, key=lambda n: len(deps[n])):
            if deps[name] and not deps[name] & waiting.keys() and not any(name in d for d in waiting.values()):
                waiting[name] = deps[name]
        return {**waiting, **{name: set() for name in deps if not deps[name]}}  # depending on nothing: no wait

    def _pass(self, ready: list, waiting: dict[str, set[str]], results: dict, previous: dict, progress) -> None:
        """One pass: make each job (a cache hit needs none), keep the workers busy, release the waiting parts."""
        passing = {p.name for p, *_ in ready} | set(waiting)
        jobs: dict[str, tuple] = {}
        made: list[str] = []
        running: dict = {}

        def finish(name: str, result: dict) -> None:
            key, job, part_inputs = jobs[name]
            if not job["measure"]:
                self.cache.put(key, result, self.variants)
                progress.done(result["pages"])
            results[name] = {**result, "key": key, "inputs": part_inputs, "start": part_inputs["start"],
                             "measured": job["measure"]}
            self.laid_out += 1

        def release() -> None:
            unsettled = passing - results.keys()
            for name in [n for n, deps in waiting.items() if not deps & unsettled]:
                del waiting[name]
                part = next(p for p in self.parts if p.name == name)
                ready.insert(0, (part, plan_inputs(self.parts, {**previous, **results})[name], False))

        release()
        while ready or made or running:
            while ready and len(made) + len(running) < max(2, workers()):
                part, part_inputs, measure = ready.pop(0)
                job = self.job(part, part_inputs)
                key = part_key(self.env, job)
                hit = self.cache.get(key, self.variants)
                if hit is not None:
                    results[part.name] = {**hit, "key": key, "inputs": part_inputs, "start": part_inputs["start"]}
                    progress.done(hit["pages"])
                    release()
                    continue
                job["measure"] = measure  # nothing known of it: a first pass only measures it
                job["out"] = {v: str(self.cache.pdf(key, v)) for v in self.variants}
                jobs[part.name] = (key, job, part_inputs)
                made.append(part.name)
            if self._pool is None and workers() > 1 and len(made) + len(running) > 1:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    workers(), mp_context=multiprocessing.get_context("fork"),
                    initializer=_worker_start)
            if self._pool is None:
                if made:
                    name = made.pop(0)
                    finish(name, lay_out_part(jobs[name][1]))
                    release()
                continue
            while made and len(running) < workers():
                name = made.pop(0)
                running[self._pool.submit(lay_out_part, jobs[name][1])] = name
            if running:
                done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    finish(running.pop(future), future.result())
                release()

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

    def write_variants(self, targets: dict[str, Path], meanwhile=None) -> dict:
        """Lay out (or reuse) the parts once, merge each variant into its target; returns the book's page map.

        The merges run in a forked child process (writers/aside.py): the merged document's objects (for a large
        book most of the build's memory: the structure trees) leave with it, so this process does not carry
        them into the EPUB and the DOCX. meanwhile(page map), if given, runs here while the child merges.
        """
        from .aside import Aside

        results = self.run()
        ordered = [results[p.name] for p in self.parts]
        labels = [label for r in ordered for label in r["labels"]]
        merging = Aside(_merge_all, [([(self.cache.pdf(r["key"], variant), r["bookmarks"]) for r in ordered], target,
                                      labels, self.cache.fonts) for variant, target in targets.items()])
        try:
            pages = [{"label": label, "block": s[0] if s else None, "offset": s[1] if s else 0}
                     for r in ordered for label, s in zip(r["labels"], r["starts"])]
            data = {"format": pagemap.FORMAT, "key": pagemap.layout_key(self.book, self.styles),
                    "source": Path(next(iter(targets.values()))).name, "pages": pages}
            if meanwhile is not None:
                meanwhile(data)
            merging.result()
        finally:
            merging.stop()
        self.cache.write_state(self.state(results))
        self.cache.prune({r["key"] for r in ordered})
        return data


def _worker_start() -> None:
    """A layout worker, just forked: Ctrl-C is the parent's to handle, and what the worker inherits is frozen.

    gc.freeze() puts the objects inherited from the build's process (the book's model, the loaded modules and
    their tables) out of the collector's reach: every collection during a layout, and the full one after each part,
    then walks only what the worker made itself (the collector's time in a part's layout: 0.72 → 0.49 s for
    five body parts), and leaves the shared pages unwritten.
    """
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def _merge_all(merges: list[tuple]) -> None:
    """Each merge (merge's arguments) in turn."""
    for args in merges:
        merge(*args)


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
