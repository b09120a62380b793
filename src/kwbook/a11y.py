"""Accessibility gate after the EPUB writer: Ace by DAISY on a built EPUB, its reports kept, its violations listed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import BuildError
from .messages import Message, message
from .tempfiles import scratch_dir

ACE_VERSION = "1.4.6"          # the @daisy/ace release scripts/setup.sh --test installs and the docs cite
PROJECT = Path(__file__).resolve().parents[2]
ACE_PREFIX = PROJECT / ".ace"  # npm install --prefix .ace (git-ignored)
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
IMPACTS = ("critical", "serious", "moderate", "minor")
# What Ace's accessibility-metadata check looks for (schema.org, as EPUB Accessibility 1.1 asks).
REQUIRED_METADATA = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary")


@dataclass(frozen=True)
class Violation:
    """One failed Ace assertion: its rule, how serious, the document and the element it points at."""

    rule: str
    impact: str
    document: str
    element: str
    description: str

    def describe(self) -> Message:
        impact = message(f"a11y.impact/{self.impact}") if self.impact in IMPACTS else self.impact
        if self.element:
            return message("a11y.violation", document=self.document, impact=impact, rule=self.rule,
                           description=self.description, element=self.element)
        return message("a11y.violation/package", document=self.document, impact=impact, rule=self.rule,
                       description=self.description)


@dataclass(frozen=True)
class AceReport:
    """Ace's verdict on one EPUB, read from the report.json it wrote into `reports`."""

    epub: Path
    reports: Path
    version: str
    outcome: str
    violations: tuple[Violation, ...]
    metadata: dict

    @property
    def ok(self) -> bool:
        return not self.violations and self.outcome == "pass" and not self.missing_metadata

    @property
    def missing_metadata(self) -> list[str]:
        present = set(self.metadata.get("present", ()))
        return [name for name in REQUIRED_METADATA if name not in present]

    def describe(self) -> list[Message]:
        """The verdict line, then one line per violation (and one for missing metadata)."""
        html = self.reports / "report.html"
        if self.ok:
            return [message("a11y.pass", version=self.version, epub=self.epub, report=html)]
        lines = [message("a11y.fail", version=self.version, epub=self.epub, count=len(self.violations), report=html)]
        lines += [v.describe() for v in self.violations]
        if self.missing_metadata:
            lines.append(message("a11y.metadata-missing", names=", ".join(self.missing_metadata)))
        return lines


def violations(report: dict) -> list[Violation]:
    """Every failed assertion of Ace's JSON report (EARL), in the report's order."""
    found = []
    for subject in report.get("assertions", []):
        document = subject.get("earl:testSubject", {}).get("url", "")
        for item in subject.get("assertions", []):
            result = item.get("earl:result", {})
            if result.get("earl:outcome") != "fail":
                continue
            test = item.get("earl:test", {})
            pointer = result.get("earl:pointer", {})
            element = " ".join(pointer.get("css") or []) or " ".join(pointer.get("cfi") or [])
            found.append(Violation(test.get("dct:title", "?"), test.get("earl:impact", "?"), document, element,
                                   result.get("dct:description") or test.get("dct:description", "")))
    return found


def read_report(epub: Path, reports: Path) -> AceReport:
    """The AceReport of the report.json in reports."""
    try:
        data = json.loads((Path(reports) / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError("build.ace-report", path=Path(reports) / "report.json", reason=exc) from None
    version = data.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
    outcome = data.get("earl:result", {}).get("earl:outcome", "?")
    return AceReport(Path(epub), Path(reports), version, outcome, tuple(violations(data)), data.get("a11y-metadata", {}))


def ace_command() -> list[str]:
    """How to run Ace: $KWBOOK_ACE, else the copy scripts/setup.sh --test installed, else ace-puppeteer on PATH."""
    configured = os.environ.get("KWBOOK_ACE", "").strip()
    candidates = [Path(configured)] if configured else [ACE_PREFIX / "node_modules" / ".bin" / "ace-puppeteer"]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return [str(path)]
    on_path = shutil.which("ace-puppeteer")
    if on_path and not configured:
        return [on_path]
    raise BuildError("build.ace-missing", path=candidates[0])


def ace_environment() -> dict[str, str]:
    """Puppeteer inside Ace uses Debian's chromium (no browser of its own is downloaded); Ace adds --no-sandbox."""
    env = dict(os.environ)
    if not env.get("PUPPETEER_EXECUTABLE_PATH"):
        browser = next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)
        if browser is None:
            raise BuildError("build.ace-chromium")
        env["PUPPETEER_EXECUTABLE_PATH"] = browser
    env.setdefault("PUPPETEER_SKIP_DOWNLOAD", "1")
    return env


def ace_error(output: str) -> str:
    """The last error Ace logged (its log lines are coloured: `error:   …`), without colour codes."""
    lines = [ANSI.sub("", line).strip() for line in output.splitlines()]
    errors = [" ".join(line.split(":", 1)[1].split()) for line in lines if line.startswith("error:")]
    return errors[-1] if errors else ""


def reports_dir(epub: Path) -> Path:
    """dist/<slug>-ace/ beside dist/<slug>.epub."""
    return Path(epub).with_name(f"{Path(epub).stem}-ace")


def run_ace(epub: Path, reports: Path | None = None, timeout: int = 900) -> AceReport:
    """Run Ace on epub; its report.html, report.json and data/ replace `reports` only when Ace finished."""
    epub = Path(epub)
    reports = Path(reports) if reports else reports_dir(epub)
    if not epub.is_file():
        raise BuildError("build.ace-no-epub", path=epub)
    command = ace_command()
    env = ace_environment()
    reports.parent.mkdir(parents=True, exist_ok=True)
    with scratch_dir("ace", parent=reports.parent) as scratch:
        work = scratch / "reports"
        try:
            done = subprocess.run([*command, "--force", "--outdir", str(work), str(epub)],
                                  capture_output=True, text=True, env=env, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildError("build.ace-failed", epub=epub, reason=exc) from None
        if done.returncode != 0 or not (work / "report.json").is_file():
            raise BuildError("build.ace-failed", epub=epub, reason=ace_error(done.stderr + done.stdout) or f"exit {done.returncode}")
        report = read_report(epub, work)
        if reports.exists():
            shutil.rmtree(reports)
        work.rename(reports)
    return replace(report, reports=reports)
