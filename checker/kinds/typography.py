"""Typography kinds: quotation marks, sentence fragments, unit conversions,
repeated words and clauses, stray capitals.

Each class is one mechanism a YAML rule in ``rules/typography/`` names with
``kind:``; the word lists and tables they use live in the rule files.  They
read shared document views only (``quote_marks``, ``sentences``,
``tokens``) and never re-split the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal

from ..findings import Applicability, Edit, Finding, Fix
from ..rule import Fixability, RuleContext, RuleMeta
from ..schema import SchemaError, doc
from ..spans import Span
from ..text import ABBREVIATIONS
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = [
    "QuoteMarksRule",
    "SentenceFragmentRule",
    "UnitConversionRule",
    "RepeatedWordRule",
    "RepeatedPhraseRule",
    "StrayCapitalRule",
    "run_start_matches",
]


def run_start_matches(rx: "re.Pattern[str]", text: str, anchors: "Iterator[int]", run: frozenset[str]) -> "Iterator[re.Match[str]]":
    """The matches of ``rx`` in ``text``, exactly what ``rx.finditer(text)`` gives,
    for a regex whose every match starts where a run of ``run`` characters
    begins and that run ends at one of ``anchors`` (ascending offsets of
    something rare the match needs: ". " after the word, a particle).

    ``rx`` is tried only at those run starts (its own look-behind still sees
    the text before), not at every character: a regex that opens with a
    look-behind gives the engine no first character to scan for, so
    ``finditer`` ran the whole pattern at each of them.  As in ``finditer``,
    a match is skipped when it would start inside the previous one.  The
    runs of different anchors do not overlap (an anchor ends its run), so
    the look back costs one pass over the text at most.
    """
    last = 0
    for at in anchors:
        k = at
        while k > 0 and text[k - 1] in run:
            k -= 1
        if k < last:
            continue
        m = rx.match(text, k)
        if m is not None:
            last = m.end()
            yield m


def _find_all(text: str, sub: str) -> "Iterator[int]":
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


_OPEN_FOR = {"“": "”", "”": "“"}


# -- quotation marks -----------------------------------------------------------

@dataclass(frozen=True)
class QuoteMarksSpec:
    check: Literal["reversed", "spacing", "unbalanced", "mixed"] = doc(
        "which problem to look for: reversed curly marks, white space inside a mark "
        "(or none outside it), marks that pair with nothing, straight and curly marks in one article"
    )


def _spacing_edits(text: str, q: Any) -> tuple[list[Edit], list[str]]:
    """Edits that put the spacing around quotation mark ``q`` right (by its role),
    and what each one repairs."""
    n = len(text)
    i = q.pos
    edits: list[Edit] = []
    problems: list[str] = []
    if q.role == "open":
        j = i + 1
        while j < n and text[j] in " \t\u00a0":
            j += 1
        if j > i + 1 and j < n and text[j] not in "\r\n":
            edits.append(Edit(Span(i + 1, j), ""))
            problems.append("space after the opening mark")
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in ",.;:!?"):
            edits.append(Edit(Span(i, i), " "))
            problems.append("no space before the opening mark")
    else:
        j = i
        while j > 0 and text[j - 1] in " \t\u00a0":
            j -= 1
        if j < i and j > 0 and text[j - 1] not in "\r\n":
            edits.append(Edit(Span(j, i), ""))
            problems.append("space before the closing mark")
        if i + 1 < n and text[i + 1].isalnum():
            edits.append(Edit(Span(i + 1, i + 1), " "))
            problems.append("no space after the closing mark")
    return edits, problems


class QuoteMarksRule(KindRule):
    """Double quotation marks that are reversed, badly spaced, unpaired or mixed.

    Works on ``doc.quote_marks``: each mark already knows whether it opens
    or closes (alternation within the paragraph, with news-style
    multi-paragraph quotes allowed), so the rule only compares that role
    with the glyph and the spacing around it.
    """

    Spec = QuoteMarksSpec
    needs = frozenset({"quote_marks"})
    fixable = Fixability.SOMETIMES

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        return getattr(self, "_" + self.spec.check)(doc, ctx)

    def _reversed(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        for q in doc.quote_marks:
            if not q.reversed:
                continue
            right = _OPEN_FOR[q.char]
            what = "opens" if q.role == "open" else "closes"
            # one mark, one finding (issue 12): a reversed mark that is also badly
            # spaced gets one combined fix here, and the spacing rule leaves it alone
            edits, problems = _spacing_edits(text, q) if q.partner >= 0 else ([], [])
            edits.append(Edit(Span(q.pos, q.pos + 1), right))
            edits.sort(key=lambda e: (e.span.start, e.span.end))
            message = f"Reversed quotation mark: {q.char!r} {what} this quotation; use {right!r}."
            if problems:
                message += " Misplaced space too: " + " and ".join(problems) + "."
            title = f"Replace with {right}" + (" and fix the spacing" if problems else "")
            # the fix is safe only when the mark pairs: then its role is certain
            fix = Fix(title, tuple(edits), Applicability.SAFE if q.partner >= 0 else Applicability.UNSAFE)
            yield ctx.finding(
                Span(min(e.span.start for e in edits), max(e.span.end for e in edits)),
                message,
                suggestions=(right,),
                fix=fix,
            )

    def _spacing(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        for q in doc.quote_marks:
            if q.partner < 0:
                continue  # role unsure: leave it to the unbalanced-quote rule
            if q.reversed:
                continue  # the reversed-quote rule reports this mark, spacing included
            edits, problems = _spacing_edits(text, q)
            if not edits:
                continue
            i = q.pos
            start = min(e.span.start for e in edits + [Edit(Span(i, i + 1), "")])
            end = max(e.span.end for e in edits + [Edit(Span(i, i + 1), "")])
            yield ctx.finding(
                Span(start, end),
                "Misplaced space at a quotation mark: " + " and ".join(problems) + ".",
                fix=Fix("Fix the spacing", tuple(edits), Applicability.SAFE),
            )

    def _unbalanced(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        for q in doc.quote_marks:
            if q.partner >= 0 or q.continued:
                continue
            if q.role == "open":
                msg = f"This quotation mark {q.char!r} opens a quotation that is never closed in its paragraph."
            else:
                msg = f"This quotation mark {q.char!r} closes a quotation that was never opened."
            yield ctx.finding(Span(q.pos, q.pos + 1), msg)

    def _mixed(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        marks = doc.quote_marks
        straight = [q for q in marks if q.glyph == "neutral"]
        curly = [q for q in marks if q.glyph != "neutral"]
        if not straight or not curly:
            return
        if len(curly) >= len(straight):
            minority, style = straight, "curly"
        else:
            minority, style = curly, "straight"
        for q in minority:
            if style == "curly":
                right = "“" if q.role == "open" else "”"
                app = Applicability.SAFE if q.partner >= 0 else Applicability.UNSAFE
            else:
                right, app = '"', Applicability.SAFE
            yield ctx.finding(
                Span(q.pos, q.pos + 1),
                f"Quotation mark style changes within the article: most marks are {style} ({len(marks) - len(minority)} of {len(marks)}); use {right!r}.",
                suggestions=(right,),
                fix=Fix(f"Replace with {right}", (Edit(Span(q.pos, q.pos + 1), right),), app),
            )


# -- sentence fragments --------------------------------------------------------

@dataclass(frozen=True)
class FragmentSpec:
    max_words: int = doc("longest fragment (in words) to consider", 3)
    common: tuple[str, ...] = doc("words that make a fine one-word sentence ('Yes.', 'Never.'), lower case", ())


class SentenceFragmentRule(KindRule):
    """A name or two standing alone as a sentence after a full stop.

    MT (and careless editing) sometimes turns a preposition into a full
    stop: "who helped the militias. Tripoli." (for "the militias in
    Tripoli").  Evidence required: the fragment is 1-``max_words``
    capitalised words ending in a full stop, not quoted speech, it follows a
    sentence in the same paragraph that ends in a full stop after a
    lower-case word, and none of its words is a word that makes a sentence
    on its own ("Yes.", "Never.", "Thanks.").
    """

    Spec = FragmentSpec
    needs = frozenset({"paragraphs", "quotations"})

    def prepare(self, base_dir: Path) -> None:
        self.common = frozenset(w.lower() for w in self.spec.common)
        n = max(1, self.spec.max_words)
        word = r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*"
        # "<lower-case word>. <one to n capitalised words>." then a space or the end
        self.regex = re.compile(rf"(?<![\w.’'-])(?P<prev>[a-z][a-z’'-]*)\. (?P<frag>{word}(?: {word}){{0,{n - 1}}}\.)(?=\s|$)")

    #: the characters of the word before the full stop (a match starts where their run does)
    _PREV = frozenset("abcdefghijklmnopqrstuvwxyz’'-")

    def matches(self, text: str) -> "Iterator[re.Match[str]]":
        """``self.regex.finditer(text)``, tried only before each ". " (``run_start_matches``)."""
        return run_start_matches(self.regex, text, _find_all(text, ". "), self._PREV)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        for m in self.matches(text):
            prev_word, frag = m.group("prev"), m.group("frag")
            if prev_word in ABBREVIATIONS:
                continue  # "etc. Paris." : the stop belongs to the abbreviation
            words = frag[:-1].split()
            if any(w.lower() in self.common or w.isupper() for w in words):
                continue  # "Yes.", or an agency sign-off in capitals ("AFP.")
            para = doc.paragraph_at(m.start("frag"))
            if para is None:
                continue
            # the sentence before must be a real one (four words or more)
            if not _words_before(text, para.start, m.start("prev"), 3):
                continue
            span = Span(m.start("frag"), m.end("frag"))
            if doc.in_quotation(span):
                continue
            yield ctx.finding(
                span,
                f"{frag!r} stands alone as a sentence: a misplaced full stop probably cut it off the previous sentence.",
            )


def _words_before(text: str, lo: int, pos: int, need: int) -> bool:
    """At least ``need`` spaces between ``pos`` and the last sentence end
    (". ", "? ", "! ") before it, not looking before ``lo``.  Looks back only
    over those few words (searching back to the sentence end first was
    quadratic in a long paragraph of fragments)."""
    k = pos
    for _ in range(need):
        k = text.rfind(" ", lo, k)
        if k < 0:
            return False
    return not any(text.find(p, k, pos) >= 0 for p in (". ", "? ", "! "))


# -- unit conversions ----------------------------------------------------------

@dataclass(frozen=True)
class UnitDef:
    """A unit: the names it is written with and its size in its dimension's base unit."""

    names: tuple[str, ...] = doc("spellings, matched case-sensitively as whole words after a number")
    dimension: str = doc("what it measures (length, mass, area, temperature ...); only units of one dimension are compared")
    factors: tuple[float, ...] = doc("size in the dimension's base unit; several when the unit is ambiguous (US/UK gallons)")
    offset: float = doc("added after scaling (temperatures): base = value * factor + offset", 0.0)


@dataclass(frozen=True)
class UnitSpec:
    units: tuple[UnitDef, ...] = doc("the units the rule knows")
    tolerance: float = doc("relative disagreement accepted on top of the rounding the figures show", 0.05)
    hedged_tolerance: float = doc("relative tolerance when the conversion is hedged ('about', 'some', 'nearly')", 0.12)


_HEDGES = r"(?:about|around|approximately|approx\.|roughly|some|nearly|almost|more\s+than|over|under|less\s+than|just\s+over|just\s+under|up\s+to|c\.|~)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


#: longest figure (characters) compared: anything longer is not a measurement
_MAX_FIGURE = 24


def _granularity(num: str) -> float:
    """Half the step the figure is rounded to: 140 → 5, 18 → 0.5, 2.5 → 0.05."""
    num = num.replace(",", "")
    if "." in num:
        return 0.5 * 10 ** -len(num.split(".")[1])
    zeros = len(num) - len(num.rstrip("0")) if num.strip("0") else 0
    return 0.5 * 10**zeros


class UnitConversionRule(KindRule):
    """A measurement followed by a conversion in parentheses that does not agree."""

    Spec = UnitSpec

    def __init__(self, meta: RuleMeta, spec: UnitSpec, base_dir: Path) -> None:
        self.meta = meta
        self.spec = spec
        self.by_name: dict[str, UnitDef] = {}
        for i, u in enumerate(spec.units):
            if not u.factors:
                raise SchemaError(f"units[{i}].factors", "a unit needs at least one factor")
            for name in u.names:
                if name in self.by_name:
                    raise SchemaError(f"units[{i}].names", f"unit name {name!r} is listed twice")
                self.by_name[name] = u
        names = sorted(self.by_name, key=len, reverse=True)
        unit_rx = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        self.regex = re.compile(
            rf"(?:(?<=[\s(])(?P<s1>[-−])|(?<![\w.,\-–−$£€¥/]))(?P<n1>{_NUM})(?:\s|-)?(?P<u1>{unit_rx})(?![\w²])"
            rf"\s*\(\s*(?P<hedge>{_HEDGES}\s+)?(?P<s2>[-−])?(?P<n2>{_NUM})(?:\s|-)?(?P<u2>{unit_rx})(?![\w²])\s*\)"
        )

    @staticmethod
    def _value(sign: str | None, num: str) -> float:
        v = float(num.replace(",", ""))
        return -v if sign else v

    _DIGITS = re.compile(r"\d+")

    def matches(self, text: str) -> "Iterator[re.Match[str]]":
        """``self.regex.finditer(text)``, tried only where a match can start.

        The first figure starts a run of digits (its look-behind rules out a
        digit before it), or a sign just before one does: the regex, which
        opens with look-behinds and so gave the engine no first character to
        scan for, is tried at those one or two places per number, not at
        every character; a start inside the previous match is skipped, as
        ``finditer`` does."""
        last = 0
        for run in self._DIGITS.finditer(text):
            d = run.start()
            for at in (d - 1, d) if d and text[d - 1] in "-−" else (d,):
                if at < last:
                    continue
                m = self.regex.match(text, at)
                if m is not None:
                    last = m.end()
                    yield m
                    break

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        if "(" not in text:
            return
        for m in self.matches(text):
            if len(m.group("n1")) > _MAX_FIGURE or len(m.group("n2")) > _MAX_FIGURE:
                continue  # not a measurement (and beyond float range)
            u1 = self.by_name[re.sub(r"\s+", " ", m.group("u1"))]
            u2 = self.by_name[re.sub(r"\s+", " ", m.group("u2"))]
            if u1.dimension != u2.dimension or u1 is u2:
                continue
            v1 = self._value(m.group("s1"), m.group("n1"))
            v2 = self._value(m.group("s2"), m.group("n2"))
            g1, g2 = _granularity(m.group("n1")), _granularity(m.group("n2"))
            tol = self.spec.hedged_tolerance if m.group("hedge") else self.spec.tolerance
            best = None
            agree = False
            for f1 in u1.factors:
                for f2 in u2.factors:
                    conv = lambda v: ((v * f1 + u1.offset) - u2.offset) / f2  # noqa: E731
                    lo, hi = sorted((conv(v1 - g1), conv(v1 + g1)))
                    slack = tol * max(abs(lo), abs(hi), abs(v2))
                    if lo - slack <= v2 + g2 and v2 - g2 <= hi + slack:
                        agree = True
                    if best is None:
                        best = conv(v1)
            if agree or best is None:
                continue
            expected = _round_like(best, m.group("n2"))
            yield ctx.finding(
                Span(m.start("n1") if not m.group("s1") else m.start("s1"), m.end()),
                f"The conversion does not agree: {m.group('s1') or ''}{m.group('n1')} {m.group('u1')} is about {expected} {m.group('u2')}, not {m.group('s2') or ''}{m.group('n2')}.",
                suggestions=(f"{expected} {m.group('u2')}",),
                data={"expected": best},
            )


def _round_like(value: float, like: str) -> str:
    like = like.replace(",", "")
    if "." in like:
        d = len(like.split(".")[1])
        return f"{value:,.{d}f}"
    if abs(value) >= 1:
        sig = max(2, len(like.lstrip("-").rstrip("0")) or 1)
        digits = int(math.floor(math.log10(abs(value)))) + 1
        return f"{round(value, -(digits - sig)) if digits > sig else round(value):,.0f}"
    return f"{value:.2g}"


# -- repeated words ------------------------------------------------------------

@dataclass(frozen=True)
class RepeatedWordSpec:
    allow: tuple[str, ...] = doc("words whose doubling is grammatical or idiomatic (had had, that that), lower case", ())


class RepeatedWordRule(KindRule):
    """The same word twice in a row ("the the")."""

    Spec = RepeatedWordSpec
    fixable = Fixability.ALWAYS

    # one pass over the text with a back-reference: far cheaper than pairing tokens
    # (the first word is taken whole, (?=(...))\1: backtracking into it letter by
    # letter cannot succeed and cost a second pass over a huge word)
    _RX = re.compile(r"(?<![\w'’-])(?=([^\W\d_]+(?:['’-][^\W\d_]+)*))\1[ \t\u00a0]+(\1)(?![\w'’-])", re.IGNORECASE)

    def __init__(self, meta: RuleMeta, spec: RepeatedWordSpec, base_dir: Path) -> None:
        self.meta = meta
        self.allow = frozenset(w.lower() for w in spec.allow)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        for m in self._RX.finditer(doc.text):
            first, second = m.group(1), m.group(2)
            low = first.lower()
            if low in self.allow:
                continue
            if second[:1].isupper() and len(low) > 3:
                continue  # "Sirhan Sirhan", "Duran Duran": names, not slips
            yield ctx.finding(
                Span(m.start(), m.end()),
                f"Repeated word: {first!r} appears twice in a row.",
                suggestions=(first,),
                fix=Fix(f"Delete the second {second!r}", (Edit(Span(m.end(1), m.end()), ""),), Applicability.SAFE),
            )


# -- near-repeated clauses -----------------------------------------------------

@dataclass(frozen=True)
class RepeatedPhraseSpec:
    particles: tuple[str, ...] = doc("particles that make a phrasal verb with the word before them")
    irregular: dict[str, str] = doc("irregular verb forms mapped to their base form (took: take)", default_factory=dict)
    skip: tuple[str, ...] = doc("verbs whose repetition is normal (be, have, go...) in base form", ())
    window: int = doc("at most this many words between the two occurrences", 12)


def _stem(word: str, irregular: dict[str, str]) -> str:
    w = irregular.get(word, word)
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    return w.rstrip("e")


_BOUNDARY = re.compile(r"[.!?;:]\s|\n")
#: words are never longer than this on average: a wider gap is "too far" without counting
#: (counting the spaces of every gap since the previous occurrence was quadratic)
_MAX_WORD_CHARS = 40


class RepeatedPhraseRule(KindRule):
    """The same phrasal verb twice within a few words ("took over ... after taking over")."""

    Spec = RepeatedPhraseSpec

    def prepare(self, base_dir: Path) -> None:
        self.irregular = {k.lower(): v.lower() for k, v in self.spec.irregular.items()}
        self.skip = frozenset(_stem(w, self.irregular) for w in self.spec.skip)
        parts = "|".join(re.escape(p) for p in sorted(self.spec.particles, key=len, reverse=True)) or r"(?!x)x"
        # a lower-case word followed by a particle; the text is scanned once
        self.regex = re.compile(rf"(?<![\w'’-])([a-z][a-z'’]*) ({parts})(?![\w'’-])")
        # where a particle follows a space: the word before it is the one place a match can start
        self._particle = re.compile(rf" (?:{parts})(?![\w'’-])")

    #: the characters of the verb (a match starts where their run does)
    _VERB = frozenset("abcdefghijklmnopqrstuvwxyz'’")

    def matches(self, text: str) -> "Iterator[re.Match[str]]":
        """``self.regex.finditer(text)``, tried only before each particle (``run_start_matches``)."""
        return run_start_matches(self.regex, text, (m.start() for m in self._particle.finditer(text)), self._VERB)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        seen: dict[tuple[str, str], tuple[int, int, str, Span | None]] = {}
        for m in self.matches(text):
            verb, particle = m.group(1), m.group(2)
            stem = _stem(verb, self.irregular)
            if stem in self.skip:
                continue
            key = (stem, particle)
            prev = seen.get(key)
            seen[key] = (m.start(), m.end(), verb, None)
            if prev is None or prev[2] == verb:
                continue  # identical repeats are usually deliberate parallelism
            gap = m.start() - prev[1]
            if gap > self.spec.window * _MAX_WORD_CHARS or text.count(" ", prev[1], m.start()) > self.spec.window \
                    or _BOUNDARY.search(text, prev[1], m.start()):
                continue  # too far apart, or in another sentence or paragraph
            del seen[key]
            yield ctx.finding(
                Span(prev[0], m.end()),
                f"Near-repeated phrase: {text[prev[0]:prev[1]]!r} and {m.group()!r} say the same thing twice.",
            )


# -- capitals in mid-sentence --------------------------------------------------

@dataclass(frozen=True)
class StrayCapitalSpec:
    min_zipf: float = doc("the lower-case word must be at least this common in English (wordfreq Zipf scale); 0 skips the check and the wordfreq import", 3.0)
    names: tuple[str, ...] = doc("words that are proper adjectives or names when capitalised (Labour, Conservative), lower case", ())
    connectors: tuple[str, ...] = doc("lower-case words that join the parts of a name ('Department for Transport'), lower case", ())


_WORD_RUN = re.compile(r"(?:[^\W_]|['’-])+")
#: distinct candidate words looked up by text search before a document's word index is built
_SEARCHES_BEFORE_INDEX = 24


class _Occurrences:
    """Whole-word occurrences of a word by text search, with the index's interface
    (``get``, ``in``): the same positions ``StrayCapitalRule._word_index`` gives."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, word: str, default=()):
        found = list(self._find(word))
        return found or default

    def __contains__(self, word: str) -> bool:
        return next(self._find(word), None) is not None

    def _find(self, word: str):
        text, n = self.text, len(word)
        i = text.find(word)
        while i >= 0:
            before = text[i - 1] if i else " "
            after = text[i + n] if i + n < len(text) else " "
            if not (before.isalnum() or before in "'’-") and not (after.isalnum() or after in "-"):
                yield i
            i = text.find(word, i + 1)


class StrayCapitalRule(KindRule):
    """A common word capitalised in mid-sentence, inside a lower-case phrase.

    Evidence, all required: the word is capitalised (not all capitals), not
    at a sentence start, sits between two lower-case words ("the Allied
    forces"), so it is not part of a multi-word name ("Allied Irish
    Banks"); the same word also appears in lower case in the article
    ("fighters allied with ..."), so the article itself treats it as a common
    word; and it is a common English word (wordfreq).
    """

    Spec = StrayCapitalSpec
    fixable = Fixability.SOMETIMES

    def __init__(self, meta: RuleMeta, spec: StrayCapitalSpec, base_dir: Path) -> None:
        self.meta = meta
        self.spec = spec
        self.names = frozenset(w.lower() for w in spec.names)
        self.connectors = frozenset(w.lower() for w in spec.connectors)

    def warm(self) -> None:
        """The English frequency table (read through ``checker.namematch.english_zipf``)."""
        if self.spec.min_zipf > 0:
            from ..wordfreq_data import warm

            warm(("en",))

    # starts with the capital (a fast first-character scan), then looks back
    _CAND = re.compile(r"([A-Z](?<=[a-z] [A-Z])[a-z]{2,}(?:['’]s)?)(?= [a-z])")
    _WORD = re.compile(r"[a-z][a-z'’-]*(?![\w])")

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        verdict: dict[str, bool] = {}
        index: dict[str, list[int]] | None = None
        zipf = None
        for m in self._CAND.finditer(text):
            w = m.group(1)
            low = w.lower()
            base = low[:-2] if low.endswith(("'s", "’s")) else low
            if base in self.names:
                continue
            if base.endswith("s") and not base.endswith(("ss", "us", "is")):
                continue  # a capitalised plural names a group: "the Allies", "the Blues"
            start, end = m.start(1), m.end(1)
            nxt = self._WORD.match(text, end + 1)
            if not nxt:
                continue
            before = text[max(0, start - 80) : start].split()
            if not before or not before[-1].isalpha() or not before[-1].islower():
                continue
            if nxt.group() in self.connectors and text[nxt.end() : nxt.end() + 2][-1:].isupper():
                continue  # "Value of Music", "Oil and Gas", "Stars on Thin Ice": a name
            if before[-1] in self.connectors and len(before) >= 2 and (
                before[-2][:1].isupper() or (before[-2] in self.connectors and len(before) >= 3 and before[-3][:1].isupper())
            ):
                continue  # "Department for Transport", "Born on the Fourth"
            if w not in verdict:
                if index is None and len(verdict) >= _SEARCHES_BEFORE_INDEX:
                    index = self._word_index(text)
                if index is None:  # a few words: a text search each is cheaper than an index
                    verdict[w] = self._lower_elsewhere(_Occurrences(text), low) and not self._in_name(text, _Occurrences(text), w)
                else:
                    verdict[w] = self._lower_elsewhere(index, low) and not self._in_name(text, index, w)
                if verdict[w] and self.spec.min_zipf > 0:  # 0 skips the word-frequency check
                    if zipf is None:
                        # wordfreq's data read directly (shared, loaded once): no wordfreq import
                        from ..names.keys import english_zipf as zipf
                    verdict[w] = zipf(base) >= self.spec.min_zipf
            if not verdict[w]:
                continue
            span = Span(start, end)
            yield ctx.finding(
                span,
                f"{w!r} is capitalised in mid-sentence, but the article also writes it in lower case: use {low!r}.",
                suggestions=(low,),
                fix=Fix(f"Lower-case {w!r}", (Edit(span, low),), Applicability.UNSAFE),
            )

    @staticmethod
    def _word_index(text: str) -> dict[str, list[int]]:
        """Where each word stands as a whole word: the start of a run of letters,
        digits, apostrophes and hyphens, up to the run's end or one of its
        apostrophes (so "Allied" is found in "Allied’s" but not in "Allied-led"
        or "unAllied").  Built once per document, on the first candidate: a
        text search per candidate word was quadratic in a page of capitals."""
        index: dict[str, list[int]] = {}
        for m in _WORD_RUN.finditer(text):
            run, at = m.group(), m.start()
            forms = [run] if run.count("'") + run.count("’") <= 1 else []
            cut = -1
            for _ in range(2):
                cut = min((i for i in (run.find("'", cut + 1), run.find("’", cut + 1)) if i >= 0), default=-1)
                if cut < 0:
                    break
                forms.append(run[:cut])
            for form in dict.fromkeys(forms):
                if form:
                    index.setdefault(form, []).append(at)
        return index

    @classmethod
    def _lower_elsewhere(cls, index: "dict[str, list[int]] | _Occurrences", low: str) -> bool:
        return low in index

    @classmethod
    def _in_name(cls, text: str, index: "dict[str, list[int]] | _Occurrences", word: str) -> bool:
        """Next to another capitalised word somewhere ("Mac Mini"): a name there."""
        for i in index.get(word, ()):
            j = i + len(word)
            if text[j : j + 1] == " " and text[j + 1 : j + 2].isupper():
                lead = text[max(0, i - 3) : i].rstrip(" \"“‘'")
                if i and lead and lead[-1] not in ".!?:\n":
                    return True
            k = text.rfind(" ", 0, max(0, i - 1))
            prev = text[k + 1 : i - 1] if i >= 2 and text[i - 1] == " " else ""
            if prev[:1].isupper() and prev.replace("-", "").replace("’", "").replace("'", "").isalpha():
                return True
        return False
