"""Script conversion between editions (zh-Hans ↔ zh-Hant) with OpenCC, kwbook's phrases and a decision log.

`Converter` converts a source file's text line by line with OpenCC's character configurations (s2tw, s2hk,
tw2s, hk2s: never the phrase-level s2twp/tw2sp, which rewrite Party and government vocabulary), then applies
kwbook's phrase table and the manuscript's own phrases. Every place where a character with more than one form
in the other script was decided (发 → 發/髮, 後 → 后, 乾 → 干/乾) becomes a `Decision` with its file, line,
column, the chosen form and the rule that chose it: what the conversion report lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..editorial import hanzi
from ..lang import opencc_config, profile
from .phrases import shipped

RULE_KWBOOK, RULE_BOOK, RULE_PHRASE, RULE_CHAR, RULE_QUOTE = "kwbook", "book", "opencc-phrase", "opencc-char", "quote"
TO_CORNER = {"“": "「", "”": "」", "‘": "『", "’": "』"}
TO_CURLY = {v: k for k, v in TO_CORNER.items()}


# Simplified characters whose Traditional forms are all in common use: every place is listed for review.
REVIEW = set("发干后里台范面云余系只制冲钟了复历征几尽采斗谷卷汇准划获表布症签蒙累借松郁须胡")
# Traditional characters that a Simplified text writes in two ways (乾隆 / 干净, 著作 / 着手): listed too.
REVIEW_T = set("乾著瞭藉徵覆麼於餘夥鍾蘋甚")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Decision:
    """One one-to-many character decided: where, what it was, what it became, and by which rule."""

    path: Path
    line: int
    col: int
    source: str
    chosen: str
    rule: str
    phrase: str = ""      # the phrase of a kwbook or book.yaml rule
    context: str = ""     # the characters around it, for the report


@dataclass(frozen=True)
class Rename:
    """A file written under a converted name (kwbook convert --to), with the decisions taken inside the name."""

    source: Path
    target: Path
    decisions: tuple[Decision, ...] = ()


@dataclass
class Converter:
    """Converts text from one language's script to another's, logging every one-to-many decision."""

    source: str
    target: str
    phrases: dict[str, str] = field(default_factory=dict)   # the manuscript's own (book.yaml conversion:)
    decisions: list[Decision] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)   # file names converted by convert_path

    def __post_init__(self):
        self.config = opencc_config(self.source, self.target)
        self.to_simplified = profile(self.target).simplified
        self.kwbook = shipped(self.to_simplified)
        self.st = hanzi.candidates()          # Simplified → Traditional forms, the default first
        self.ts = hanzi.ts_candidates()       # Traditional → Simplified forms

    def _opencc(self, line: str) -> str:
        converter = hanzi._converter(self.config)
        out = converter.convert(line)
        if len(out) != len(line):  # a phrase of another length: keep the columns, character by character
            out = "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in line)
        return out

    def _single(self, ch: str) -> str:
        out = hanzi._converter(self.config).convert(ch)
        return out if len(out) == 1 else ch

    def convert_line(self, line: str, path: Path | None = None, number: int = 0) -> str:
        """One line converted; decisions are logged when path is given."""
        plain = self._opencc(line)
        out = list(plain)
        rule_at: dict[int, tuple[str, str]] = {}
        for rule, table in ((RULE_KWBOOK, self.kwbook), (RULE_BOOK, self.phrases)):
            for src in sorted(table, key=len, reverse=True):
                start = line.find(src)
                while start != -1:
                    out[start:start + len(src)] = table[src]
                    for i in range(start, start + len(src)):
                        rule_at[i] = (rule, f"{src}→{table[src]}")
                    start = line.find(src, start + len(src))
        quotes = TO_CURLY if self.to_simplified else TO_CORNER
        for i, ch in enumerate(line):
            # “ ” ‘ ’ ↔ 「 」 『 』, but not an apostrophe or a quote around Latin text (China’s, ‘Hello’)
            if ch in quotes and not (_latin(line[i - 1:i] or " ") or _latin(line[i + 1:i + 2] or " ")):
                out[i] = quotes[ch]
                rule_at.setdefault(i, (RULE_QUOTE, ""))
        if path is not None:
            for i, ch in enumerate(line):
                phrase_rule = i in rule_at and rule_at[i][0] != RULE_QUOTE and out[i] != plain[i]
                # a curly quote in a Traditional text stays curly, as 「」 become: the way back gives 「」
                merged_quote = self.to_simplified and ch in TO_CORNER
                if not (self._listed(ch, out[i]) or phrase_rule or merged_quote):
                    continue
                if merged_quote:
                    rule_at[i] = (RULE_QUOTE, "")
                rule, phrase = rule_at.get(i, (RULE_CHAR if out[i] == self._single(ch) else RULE_PHRASE, ""))
                context = "".join(out[max(0, i - 6):i + 7])
                self.decisions.append(Decision(path, number, i + 1, ch, out[i], rule, phrase, context))
        return "".join(out)

    def _listed(self, ch: str, chosen: str) -> bool:
        """Whether a decision goes into the report.

        To Traditional: a character of REVIEW, or any one-to-many character given a form other than its
        default (向往 → 嚮往). To Simplified: a one-to-many character (乾 → 干 or 乾), or a Traditional form
        that is not the default of the character it merges into (髮 → 发, which converts back to 發): the
        places where the way back may differ.
        """
        if self.to_simplified:
            if ch in REVIEW_T and len(self.ts.get(ch, ())) > 1:
                return True
            back = self.st.get(chosen, ())
            return len(back) > 1 and back[0] != ch
        forms = self.st.get(ch, ())
        return len(forms) > 1 and (ch in REVIEW or chosen != forms[0])

    def convert_text(self, text: str, path: Path | None = None) -> str:
        """A whole file's text, line by line (the lines and columns of the decisions are the source's)."""
        return "\n".join(self.convert_line(line, path, n) for n, line in enumerate(text.split("\n"), 1))

    def convert_path(self, rel: Path) -> Path:
        """A relative file path with each part converted; a changed name is logged in renames, with its decisions."""
        logged = len(self.decisions)
        target = Path(*[self.convert_line(part, rel, 0) for part in rel.parts])
        decisions = tuple(self.decisions[logged:])
        del self.decisions[logged:]   # a name's decisions are reported with the name, not as places in the text
        if target != rel or decisions:
            self.renames.append(Rename(rel, target, decisions))
        return target

    def convert(self, text: str) -> str:
        """A short text (a title, a value) converted without logging."""
        return "\n".join(self.convert_line(line) for line in text.split("\n"))


def detect_script(text: str) -> str | None:
    """"zh-Hans" or "zh-Hant" for a raw text, by which conversion changes more of its characters; None without Chinese."""
    to_trad = hanzi._converter("s2t").convert(text)
    to_simp = hanzi._converter("t2s").convert(text)
    if len(to_trad) != len(text) or len(to_simp) != len(text):
        to_trad = "".join(map(hanzi._converter("s2t").convert, text))
        to_simp = "".join(map(hanzi._converter("t2s").convert, text))
    simplified = sum(a != b for a, b in zip(text, to_trad))
    traditional = sum(a != b for a, b in zip(text, to_simp))
    if not simplified and not traditional:
        return None
    return "zh-Hans" if simplified > traditional else "zh-Hant"


def check_phrases(phrases: dict) -> list[str]:
    """The problems of a phrase table: each key and value a non-empty string of the same length."""
    problems = []
    for key, value in phrases.items():
        if not (isinstance(key, str) and isinstance(value, str) and key and len(key) == len(value)):
            problems.append(f"{key}: {value}")
    return problems
