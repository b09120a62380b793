"""`doit proof`: PNG contact sheets of a PDF (4 × 4 pages a sheet) so an editor sees the whole book at once.

Not the one-entry proof PDF (writers/entryproof.py, `kwbook proof-entry`), which shares dist/proof/ and is kept.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from .errors import BuildError
from .tempfiles import scratch_dir

COLS, ROWS = 4, 4
DPI = 24
GAP = 12


def _render_pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise BuildError("build.no-pdftoppm")
    result = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "p")], capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("build.pdftoppm-failed", pdf=pdf, reason=result.stderr.strip())
    return sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


def _sheet(pages: list[Path], first: int) -> Image.Image:
    images = [Image.open(p).convert("RGB") for p in pages]
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    sheet = Image.new("RGB", (COLS * (w + GAP) + GAP, ROWS * (h + GAP + 14) + GAP), (200, 200, 200))
    draw = ImageDraw.Draw(sheet)
    for n, image in enumerate(images):
        x = GAP + (n % COLS) * (w + GAP)
        y = GAP + (n // COLS) * (h + GAP + 14)
        sheet.paste(image, (x, y))
        draw.text((x, y + h + 1), str(first + n), fill=(40, 40, 40))
    return sheet


def write_proof(pdf: Path, out_dir: Path, dpi: int = DPI) -> list[Path]:
    """Replace out_dir with sheets <stem>-NN.png; a failure leaves the previous sheets as they were."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with scratch_dir("proof", parent=out_dir.parent) as tmp:
        work, fresh = Path(tmp) / "pages", Path(tmp) / "sheets"
        work.mkdir()
        fresh.mkdir()
        pages = _render_pages(Path(pdf), work, dpi)
        per = COLS * ROWS
        for k in range(0, len(pages), per):
            _sheet(pages[k:k + per], k + 1).save(fresh / f"{Path(pdf).stem}-{k // per + 1:02d}.png", optimize=True)
        old = Path(tmp) / "old"
        if out_dir.exists():
            for kept in out_dir.iterdir():  # the one-entry proofs (kwbook proof-entry) stay, the editions' folders too
                if kept.is_dir() and not kept.is_symlink():
                    shutil.copytree(kept, fresh / kept.name)
                elif kept.suffix == ".pdf":
                    shutil.copy2(kept, fresh / kept.name)
            out_dir.rename(old)
        fresh.rename(out_dir)
    return sorted(out_dir.glob("*.png"))
