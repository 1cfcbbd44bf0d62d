"""Candidate proper-name mentions, a shared view of the document.

A mention is a run of capitalised words on one line, joined by single spaces
(lower-case name particles such as ``al``, ``bin``, ``de``, ``van`` may stand
between them: "Charles de Gaulle").  Inside a run:

* titles (``President``, ``Mr``, ``Prime Minister``...) end a mention and
  are recorded on the next one ("Egyptian President Abdel-Fattah el-Sisi"
  gives "Egyptian" and "Abdel-Fattah el-Sisi" with title "President");
* all-capital acronyms (``GNA``, ``U.S.``) are not names and split runs;
* a trailing possessive is removed (``Haftar's``, ``Haftar’s``, ``Reuters'``);
* each word becomes a ``NamePart`` whose ``core`` drops a particle prefix
  (``al-Jarf`` -> ``Jarf``, ``El`` in "El Sisi" is a particle part).

A sentence-initial word is dropped when it is a function word, or an
ordinary English word (``wordfreq`` Zipf >= 3.5) that the document never
capitalises mid-sentence ("Supported by Turkey", "Taking Sirte").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..spans import Span

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["NameMention", "NamePart", "extract_names", "PARTICLES", "TITLES"]

#: lower-case particles that may stand inside a name ("Charles de Gaulle")
PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "bint", "abu", "de", "del", "della", "der", "den", "van", "von", "da", "di", "du",
     "dos", "das", "la", "le", "ter", "y", "ben", "ould"}
)
#: particles stripped from the core of a name word: "al-Jarf" and "Al Jarf" are both "Jarf"
_PREFIX_PARTICLES = ("al", "el", "ad", "ed", "as", "ash", "at", "az", "ar", "an", "ul")
_STRIP_WORDS = frozenset({"al", "el", "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "ibn", "ben"})

TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president vice prime minister ministers premier chancellor
    secretary senator sen rep representative congressman congresswoman governor gov mayor judge justice
    king queen prince princess emir sheikh sheik sultan crown pope cardinal bishop archbishop imam ayatollah
    rabbi reverend rev father general gen colonel col lieutenant lt major maj captain capt commander cmdr
    admiral adm marshal field sergeant sgt corporal officer chief spokesman spokeswoman ambassador envoy
    president-elect chairman chairwoman director coach inspector detective supt""".split()
)

_FUNCTION_WORDS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my your
    in on at by for from with without into onto of to as after before during since until while
    but and or nor so yet if when where why how what who whom which whether although though
    because however meanwhile also still even only just then there here now once
    some many most more much several all both each every any no not other another such
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december""".split()
)
_SENTENCE_COMMON = 3.5


@dataclass(frozen=True, slots=True)
class NamePart:
    """One word of a name: ``text`` as written (possessive removed), ``core`` without particle prefix."""

    span: Span
    text: str
    core: str
    particle: bool = False


@dataclass(frozen=True, slots=True)
class NameMention:
    """One mention of a candidate name: ``text`` is the surface form without possessive."""

    span: Span
    text: str
    parts: tuple[NamePart, ...]
    sentence_initial: bool = False
    title: str = ""

    @property
    def cores(self) -> tuple[NamePart, ...]:
        """The name words that carry the name (particles left out)."""
        return tuple(p for p in self.parts if not p.particle)


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'S", "’S"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    if word[-1:] in "'’" and word[-2:-1] in ("s", "S"):
        return word[:-1]
    return word


def _core(word: str) -> str:
    head, sep, rest = word.partition("-")
    if sep and rest[:1].isupper() and head.lower() in _PREFIX_PARTICLES:
        return rest
    return word


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_capitalised(text: str) -> bool:
    if not text.isalpha() and any(c.isdigit() for c in text):
        return False
    if text[:1].isupper():
        return True
    # "el-Sisi", "al-Jarf": a lower-case particle prefix before a capitalised name
    head, sep, rest = text.partition("-")
    return bool(sep) and rest[:1].isupper() and head in _PREFIX_PARTICLES


def _name_word(text: str) -> str:
    """The part of a word that is a name: "London-based" -> "London"."""
    head, sep, rest = text.partition("-")
    if sep and head[:1].isupper() and rest[:1].islower() and "-" not in rest:
        return head
    return text


def extract_names(doc: "Document") -> Iterator[NameMention]:
    from .keys import english_zipf

    toks = doc.tokens
    text = doc.text
    starts = doc.sentence_starts
    n = len(toks)
    # words the document capitalises somewhere other than a sentence start
    mid_caps = {t.text for t in toks if t.kind == "word" and t.text[0].isupper() and t.index not in starts}

    def name_word(k: int) -> bool:
        t = toks[k]
        w = t.text
        if t.kind != "word" or (not w[0].isupper() and "-" not in w):
            return False  # the common case, decided cheaply
        return _is_capitalised(w) and not _is_acronym(_name_word(w))

    def joined(k: int) -> bool:  # token k follows token k-1 after one space
        return toks[k].start - toks[k - 1].end == 1 and text[toks[k - 1].end] == " "

    # only capitalised words (or "el-Sisi") can open a name
    candidates = [t.index for t in toks if t.kind == "word" and (t.text[0].isupper() or "-" in t.text)]
    ci = 0
    i = 0
    while ci < len(candidates):
        if candidates[ci] < i:
            ci += 1
            continue
        i = candidates[ci]
        ci += 1
        if not name_word(i):
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < n and joined(j):
            if name_word(j):
                run.append(j)
                j += 1
                continue
            if (
                toks[j].kind == "word"
                and toks[j].text in PARTICLES
                and j + 1 < n
                and joined(j + 1)
                and name_word(j + 1)
            ):
                run.append(j)
                j += 1
                continue
            break
        # drop leading function words ("The Hague" -> "Hague", "This" after a quote)
        while run and toks[run[0]].text.lower() in _FUNCTION_WORDS:
            run = run[1:]
        if not run:
            i = max(j, i + 1)
            continue
        # drop an ordinary sentence-initial word
        first = toks[run[0]]
        if run[0] in starts:
            low = _strip_possessive(first.text).lower()
            if low in _FUNCTION_WORDS or (
                first.text not in mid_caps and english_zipf(low) >= _SENTENCE_COMMON
            ):
                run = run[1:]
        # split at titles and after possessives ("China's Global Times")
        title = ""
        group: list[int] = []
        for k in run + [-1]:
            word = toks[k].text.rstrip(".").lower() if k >= 0 else ""
            if group and _strip_possessive(toks[group[-1]].text) != toks[group[-1]].text:
                yield _mention(doc, group, title, group[0] in starts)
                group = []
                title = ""
            if k < 0 or word in TITLES:
                while group and toks[group[-1]].text.lower() in PARTICLES:
                    group.pop()
                while group and toks[group[0]].text.lower() in PARTICLES and toks[group[0]].text[:1].islower():
                    group.pop(0)
                if group:
                    yield _mention(doc, group, title, group[0] in starts)
                group = []
                title = word if k >= 0 else ""
                continue
            group.append(k)
        i = max(j, i + 1)


def _mention(doc: "Document", idx: list[int], title: str, initial: bool) -> NameMention:
    toks = doc.tokens
    parts = []
    for pos, k in enumerate(idx):
        t = toks[k]
        word = _name_word(t.text)
        if pos == len(idx) - 1:
            word = _strip_possessive(word)
        particle = t.text.lower() in _STRIP_WORDS and pos < len(idx) - 1
        parts.append(NamePart(Span(t.start, t.start + len(word)), word, _core(word), particle))
    span = Span(parts[0].span.start, parts[-1].span.end)
    return NameMention(span, doc.text[span.start : span.end], tuple(parts), initial, title)
