"""One document's names: name words and entities (computed once per document).

A *name word* is one core word of a mention (particles and possessives
removed: "al-Sarraj's" -> "Sarraj"), keyed case-insensitively.  The
in-article check clusters name words.

An *entity* is a name of two or more core words ("Khalifa Haftar",
"Abdel-Fattah el-Sisi"): given names, then the surname.  A longer form
absorbs a shorter one with the same surname whose given names it contains
("Recep Tayyip Erdoğan" and "Tayyip Erdoğan").  Within the article, a
surname alone ("Haftar", "Al-Sarraj") links to the one entity with that
surname; when two entities share it ("Ed Miliband", "David Miliband") the
lone surname links to neither.  Entities are what may be compared across
files: a lone word from one story is never matched against a lone word
from another.

A capitalised word is *common* (not a name) when English uses it as an
ordinary word (wordfreq Zipf >= 3.0) and this document also writes it in
lower case ("the Court ruled ... the court"): such words take part in no
clustering.  Sentence-initial common words are already dropped by the
extraction (``checker.names.extract``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from ..spans import Span
from .keys import Spelling, english_zipf, make_spelling

if TYPE_CHECKING:
    from ..document import Document
    from .extract import NameMention

__all__ = ["Word", "Entity", "DocNames", "analyse", "written_lower", "to_table", "TABLE_VERSION", "COMMON_IN_DOC", "CONTEXT_SIZE"]

#: the layout of ``to_table``'s tables ("v"); bump it with ``checker.cache.LAYOUT``, so that
#: no cached table of another layout ever reaches ``reduce`` (tests/test_names_corpus.py)
TABLE_VERSION = 2

#: a capitalised word this frequent in English that the document also writes in lower case is a word
COMMON_IN_DOC = 3.0
#: how many of the document's most frequent distinctive name words describe its context
CONTEXT_SIZE = 8
#: context words must be rarer than this (London, Monday, Labour say little about who is meant)
CONTEXT_MAX_ZIPF = 4.0


class Word:
    """Every mention of one name word (case-insensitive spelling) in one document."""

    __slots__ = ("key", "text", "count", "first", "spans", "surfaces", "contexts", "zipf", "surname_of")

    def __init__(self, key: str, text: str, count: int = 0, first: int = 0, zipf: float = 0.0) -> None:
        self.key = key
        self.text = text  #: the first spelling seen, as written (core)
        self.count = count
        self.first = first
        self.spans: list[Span] = []
        self.surfaces: dict[str, int] = {}
        #: per mention: the other name words of that mention (lower case); empty for a lone word
        self.contexts: list[frozenset[str]] = []
        self.zipf = zipf  #: English Zipf frequency of the word (0.0 below 2.5)
        #: how many of the document's entities have this word as their surname
        self.surname_of = 0

    @property
    def lone_only(self) -> bool:
        """Every mention is this word alone ("Hoffmann said")."""
        return bool(self.contexts) and not any(self.contexts)

    def __repr__(self) -> str:
        return f"Word({self.text!r}, count={self.count})"

    @property
    def spelling(self) -> Spelling:
        return make_spelling(self.text)

    @property
    def surface(self) -> str:
        """The most frequent way the document writes it (ties: the first seen)."""
        return max(self.surfaces, key=self.surfaces.__getitem__)


@dataclass
class Entity:
    """A name of two or more words and its mentions (lone surnames linked to it included)."""

    words: tuple[str, ...]  #: keys: given names, then the surname
    count: int = 0
    first: int = 0
    #: (span, position of the word in ``words``) for every word of every mention
    spans: list[tuple[Span, int]] = field(default_factory=list)


@dataclass
class DocNames:
    """The name words and entities of one document."""

    words: dict[str, Word]
    entities: list[Entity]
    #: keys of common words (see module doc): never clustered
    common: frozenset[str]
    #: the document's most frequent distinctive name words, best first
    context: tuple[str, ...]

    def clusterable(self) -> dict[str, Word]:
        return {k: w for k, w in self.words.items() if k not in self.common}


def analyse(text: str, mentions: Sequence["NameMention"]) -> DocNames:
    """Name words and entities of a document (its text and mentions; see module doc)."""
    zipf = english_zipf
    words: dict[str, Word] = {}
    full: list[tuple[tuple[str, ...], list[tuple[Span, int]], int]] = []
    lone: list[tuple[str, Span]] = []
    empty: frozenset[str] = frozenset()
    for mention in mentions:
        parts = [p for p in mention.parts if not p.particle and len(p.core) >= 2 and (p.core.isalpha() or any(c.isalpha() for c in p.core))]
        if not parts:
            continue
        keys = [p.core.lower() for p in parts]
        many = len(parts) > 1
        # "Owen Paterson met ...": the dropped sentence-initial word is context, not a name
        # word, and the surname is then not written alone
        lead = mention.lead.lower() if mention.lead else ""
        # every word of the mention, once: each word's context is this set without it
        # (built per word, it cost the square of the words: "Very Very ... Very")
        mentioned = frozenset((*keys, lead)) - {""} if many or lead else empty
        for part, key in zip(parts, keys):
            w = words.get(key)
            if w is None:
                w = words[key] = Word(key, part.core, 0, part.span.start, zipf(key))
            w.count += 1
            w.spans.append(part.span)
            w.surfaces[part.text] = w.surfaces.get(part.text, 0) + 1
            w.contexts.append(mentioned - {key} if mentioned else empty)
        if many:
            full.append((tuple(keys), [(p.span, i) for i, p in enumerate(parts)], parts[0].span.start))
        elif not lead:
            lone.append((keys[0], parts[0].span))
    common = _common_words(text, words)
    entities = _entities(full, lone, common)
    for e in entities:
        words[e.words[-1]].surname_of += 1
    return DocNames(words, entities, common, _context(words, common))


def _common_words(text: str, words: dict[str, Word]) -> frozenset[str]:
    frequent = [k for k, w in words.items() if w.zipf >= COMMON_IN_DOC]
    if not frequent:
        return frozenset()
    return frozenset(k for k in frequent if written_lower(text, k))


def _joins(ch: str) -> bool:
    """``ch`` continues a word: a word character (``\\w``) or an apostrophe."""
    return ch.isalnum() or ch in "_'’"


def written_lower(text: str, key: str) -> bool:
    """``key`` stands in ``text`` as a whole lower-case word: a run of ``[a-z]``
    with no word character or apostrophe on either side (``(?<![\\w'’])key(?![\\w'’])``).

    Only the few frequent name words of a document are asked about, so their
    occurrences are found with ``str.find`` rather than by listing every
    lower-case word of the text."""
    if not (key.isascii() and key.isalpha() and key.islower()):
        return False  # not a run of a-z: never written so
    n = len(key)
    i = text.find(key)
    while i >= 0:
        if not (i and _joins(text[i - 1])) and not (i + n < len(text) and _joins(text[i + n])):
            return True
        i = text.find(key, i + 1)
    return False


def _entities(full: list[tuple[tuple[str, ...], list[tuple[Span, int]], int]], lone: list[tuple[str, Span]],
              common: frozenset[str]) -> list[Entity]:
    # one entity per distinct full form; a shorter form joins a longer one with the same
    # surname whose given names contain its own (Tayyip Erdoğan -> Recep Tayyip Erdoğan)
    forms: dict[tuple[str, ...], Entity] = {}
    for keys, spans, first in full:
        if keys[-1] in common:
            continue  # "Supreme Court": the last word is an ordinary word, not a surname
        e = forms.get(keys)
        if e is None:
            e = forms[keys] = Entity(keys, first=first)
        e.count += 1
        e.spans.extend(spans)
    by_surname: dict[str, list[Entity]] = {}
    for e in sorted(forms.values(), key=lambda e: (-len(e.words), e.first)):
        group = by_surname.setdefault(e.words[-1], [])
        given = set(e.words[:-1])
        host = next((h for h in group if given <= set(h.words[:-1])), None)
        if host is None:
            group.append(e)
            continue
        pos = {k: i for i, k in enumerate(host.words)}
        host.count += e.count
        host.first = min(host.first, e.first)
        host.spans.extend((sp, pos[e.words[i]]) for sp, i in e.spans)
    # a lone surname links to the one entity with that surname
    for key, span in lone:
        group = by_surname.get(key)
        if group and len(group) == 1:
            host = group[0]
            host.count += 1
            host.spans.append((span, len(host.words) - 1))
    out = [e for group in by_surname.values() for e in group]
    for e in out:
        e.spans.sort(key=lambda sp: (sp[0].start, sp[1]))
    out.sort(key=lambda e: (e.first, e.words))
    return out


def _context(words: dict[str, Word], common: frozenset[str]) -> tuple[str, ...]:
    ranked = sorted(
        (k for k, w in words.items() if k not in common and len(k) > 3 and w.zipf < CONTEXT_MAX_ZIPF),
        key=lambda k: (-words[k].count, words[k].first),
    )
    return tuple(ranked[:CONTEXT_SIZE])


def to_table(doc: "Document", names: DocNames, links: list[tuple[str, str, str]]) -> dict[str, Any]:
    """The plain-data table of one document for the cross-file phase.

    JSON/msgpack-ready (str keys, lists, str, int), compact (no text), and
    deterministic; spans are in the decoded file's coordinates.
    ``v``: ``TABLE_VERSION``;
    ``words``: key -> [most frequent spelling, count] for every name word;
    ``entities``: [[keys...], count, [[start, end, position], ...]];
    ``blocks``: key -> block key (``make_spelling(key).block``) of the first and
    the last word of every entity, which the reduce indexes entities by (so it
    is computed here, in the worker that checks the file, and not again in the
    serial reduce);
    ``links``: the article's own decisions [[variant key, head key, reason], ...];
    ``context``: the document's most frequent distinctive name words;
    ``common``: capitalised words the document also writes in lower case.
    """
    raw = doc.to_raw
    ends = sorted({k for e in names.entities for k in (e.words[0], e.words[-1])})
    return {
        "v": TABLE_VERSION,
        "words": {k: [w.surface, w.count] for k, w in sorted(names.words.items())},
        "entities": [
            [list(e.words), e.count, [[r.start, r.end, pos] for r, pos in ((raw(sp), pos) for sp, pos in e.spans)]]
            for e in names.entities
        ],
        "blocks": {k: make_spelling(k).block for k in ends},
        "links": [list(link) for link in sorted(links)],
        "context": list(names.context),
        "common": sorted(names.common),
    }
