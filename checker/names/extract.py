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
capitalises mid-sentence ("Supported by Turkey", "Taking Sirte"); before
another name word only a common one is (Zipf >= 4.0: "Taking Sirte" loses
"Taking", "Eliot Spitzer resigned" keeps "Eliot").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..spans import Span

if TYPE_CHECKING:
    from ..document import Document
    from ..text import Token

__all__ = ["Mentions", "NameMention", "NamePart", "core", "extract", "extract_names", "PARTICLES", "TITLES"]

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
#: longer words are not memoised (``_forms``): a megabyte "word" is not kept alive
_MEMO_CHARS = 64
#: ... unless another name word follows and it is rarer than this (Eliot, Dustin; not Taking, Following)
_GIVEN_NAME_MAX = 4.0


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
    #: an ordinary sentence-initial word dropped just before this mention ("Owen" in "Owen
    #: Paterson met ..."): probably a given name, so the mention is not a surname alone
    lead: str = ""

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


def core(word: str) -> str:
    """The name inside a particle prefix: "al-Sarraj" -> "Sarraj" (the word itself otherwise)."""
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


def _is_name_word(t: "Token") -> bool:
    """A capitalised word that is not an acronym ("Haftar", "el-Sisi"; not "GNA", "U.S.")."""
    if t.kind != "word":
        return False
    w = t.text
    if w.isalpha():  # the common case, decided without the slow checks
        return w[0].isupper() and not (len(w) >= 2 and w.isupper())
    if not w[0].isupper() and "-" not in w:
        return False
    return _is_capitalised(w) and not _is_acronym(_name_word(w))


def extract_names(doc: "Document") -> list[NameMention]:
    """Candidate name mentions of ``doc``, in text order (see the module doc)."""
    from .keys import english_zipf

    toks = doc.tokens
    text = doc.text
    starts = doc.sentence_starts
    n = len(toks)
    mid_caps: set[str] | None = None  # words capitalised somewhere other than a sentence start
    out: list[NameMention] = []
    nxt = 0  # the first token not yet consumed by a run
    # a run starts at a capitalised or hyphenated ("el-Sisi") word: the only words looked at
    # here, listed in one pass (which also serves ``mid_caps``)
    firsts = [(w, i, end) for _, end, w, _, i in doc.words if w[0].isupper() or "-" in w]
    for _, i, end in firsts:
        if i < nxt or not _is_name_word(toks[i]):
            continue
        run = [i]
        j = i + 1
        while j < n:
            t = toks[j]
            if t.start - end != 1 or text[end] != " ":
                break
            if _is_name_word(t):
                run.append(j)
                end = t.end
                j += 1
                continue
            if t.kind == "word" and t.text in PARTICLES and j + 1 < n:
                after = toks[j + 1]
                if after.start - t.end == 1 and text[t.end] == " " and _is_name_word(after):
                    run.append(j)
                    end = t.end
                    j += 1
                    continue
            break
        nxt = j
        # drop leading function words ("The Hague" -> "Hague", "This" after a quote)
        k0 = 0
        while k0 < len(run) and toks[run[k0]].text.lower() in _FUNCTION_WORDS:
            k0 += 1
        if k0:
            run = run[k0:]
        if not run:
            continue
        # drop an ordinary sentence-initial word
        lead = ""
        if run[0] in starts:
            head = toks[run[0]].text
            low = _strip_possessive(head).lower()
            if low in _FUNCTION_WORDS:
                run = run[1:]
            elif (z := english_zipf(low)) >= _SENTENCE_COMMON and not (len(run) > 1 and z < _GIVEN_NAME_MAX):
                # ("Eliot Spitzer resigned": a less common word before another name word is a given name)
                if mid_caps is None:
                    mid_caps = {w for w, k, _ in firsts if w[0].isupper() and k not in starts}
                if head not in mid_caps:
                    run = run[1:]
                    lead = head if head == low.capitalize() else ""
        _split(doc, run, starts, out, lead)
    return out


def _split(doc: "Document", run: list[int], starts: frozenset[int], out: list[NameMention], lead: str = "") -> None:
    """Split a run at titles and after possessives ("China's Global Times") into mentions."""
    toks = doc.tokens
    title = ""
    group: list[int] = []
    for k in run + [-1]:
        if group:
            last = toks[group[-1]].text
            if last[-1:] in "sS'’" and _strip_possessive(last) != last:
                out.append(_mention(doc, group, title, group[0] in starts, lead if group[0] == run[0] else ""))
                group = []
                title = ""
        word = toks[k].text.rstrip(".").lower() if k >= 0 else ""
        if k < 0 or word in TITLES:
            while group and toks[group[-1]].text.lower() in PARTICLES:
                group.pop()
            while group and toks[group[0]].text.lower() in PARTICLES and toks[group[0]].text[:1].islower():
                group.pop(0)
            if group:
                out.append(_mention(doc, group, title, group[0] in starts, lead if group[0] == run[0] else ""))
            group = []
            title = word if k >= 0 else ""
            continue
        group.append(k)


@lru_cache(maxsize=1 << 14)
def _forms(text: str, last: bool) -> tuple[str, str, bool]:
    """(name word, its core, a particle?) of a word of a mention; the last
    word of a mention loses its possessive, and is never a particle."""
    word = _name_word(text)
    if last:
        word = _strip_possessive(word)
    return word, core(word), not last and text.lower() in _STRIP_WORDS


def _mention(doc: "Document", idx: list[int], title: str, initial: bool, lead: str = "") -> NameMention:
    toks = doc.tokens
    parts = []
    last = len(idx) - 1
    for pos, k in enumerate(idx):
        start, _, text, _, _ = toks[k]
        # (memoised for words of ordinary length: names repeat, in a document and across documents)
        word, cored, particle = _forms(text, pos == last) if len(text) <= _MEMO_CHARS else _forms.__wrapped__(text, pos == last)
        parts.append(NamePart(Span(start, start + len(word)), word, cored, particle))
    span = Span(parts[0].span.start, parts[-1].span.end)
    return NameMention(span, doc.text[span.start : span.end], tuple(parts), initial, title, lead)


class Mentions(tuple):
    """The ``Document.names`` view: a tuple of ``NameMention``.

    It also carries what is derived from the mentions alone, computed once
    on first use and shared by every rule that reads it (the in-article
    check and ``collect`` both need the same analysis and decisions).
    """

    def __new__(cls, mentions: Any, text: str) -> "Mentions":
        self = super().__new__(cls, mentions)
        self._text = text
        self._analysis: Any = None  # the DocNames of checker.names.analyse
        self._decided: tuple[Any, int, Any] | None = None
        return self


def extract(doc: "Document") -> Mentions:
    """Phase 1: the candidate name mentions of ``doc`` (the ``Document.names`` view)."""
    return Mentions(extract_names(doc), doc.text)
