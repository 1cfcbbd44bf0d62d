"""Phrase lists: the library the list kinds share, outside ``checker/kinds/``.

Moved out of ``kinds/lexicon.py`` (issue 13) so that no kind imports from
another kind module: ``existence`` / ``substitution`` (``kinds/lexicon.py``)
and ``foreign_fragment`` (``kinds/untranslated.py``) both match phrase lists
with ``PhraseMatcher``, ``spelling`` reads TSV word lists, ``backend`` and
``spelling`` read plain word files.

- ``Entry``: one listed word or phrase and what to say about it;
  ``entry_from`` builds one from a YAML item or a TSV row;
  ``load_entries_file`` reads a TSV word list with a header row;
  ``read_word_file`` a plain one-per-line word file (as a frozenset, read
  errors as ``SchemaError``).
- ``PhraseMatcher``: every listed phrase in a text, leftmost first, longest
  at a place, matched over the document's word runs, with per-entry context
  guards (``not-before`` / ``not-after`` / ``requires-before`` /
  ``requires-after``).
- ``trie_regex``: a list of phrases as one regular expression built from a
  character trie (shared prefixes matched once, as Vale and proselint merge
  their lists).
- ``inflect: verb`` / ``inflect: noun`` expansion (``expand_inflections``,
  ``verb_forms``, ``noun_forms``): the forms, irregular ones included, come
  from lemminflect's lexicon (``checker/inflection.py``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from . import inflection
from .findings import Severity
from .schema import SchemaError, build, doc
from .spans import Span
from .text import WordRuns, canonical_gap
from .wordlists import read_word_list

__all__ = [
    "Entry",
    "entry_from",
    "normalize_phrase",
    "load_entries_file",
    "read_word_file",
    "PhraseMatcher",
    "trie_regex",
    "expand_inflections",
    "verb_forms",
    "noun_forms",
]

_APOSTROPHES = "'’"
_WS = re.compile(r"\s+")


def normalize_phrase(text: str) -> str:
    """The key a match and an entry share: case-folded, spaces collapsed, one apostrophe."""
    return _WS.sub(" ", text.strip()).lower().replace("’", "'")


@dataclass(frozen=True)
class Entry:
    """One listed word or phrase and what to say about it."""

    phrase: str = doc("the word or phrase, matched case-insensitively; spaces match any white space")
    suggest: tuple[str, ...] = doc("replacements to suggest, best first", ())
    reason: str = doc("why it is wrong: for MT artifacts, the likely source-language cause", "")
    message: str | None = doc("a message for this entry, overriding the rule's", None)
    severity: Severity | None = doc("severity for this entry, overriding the rule's", None)
    lang: str = doc("likely source language (fr, es, de, ar, ru, zh...), for documentation", "")
    case: Literal["insensitive", "sensitive"] = doc("match case exactly with 'sensitive'", "insensitive")
    regex: bool = doc("treat phrase as a regular expression (use sparingly)", False)
    not_before: str | None = doc("regex: skip the match when the text just before it matches", None)
    not_after: str | None = doc("regex: skip the match when the text just after it matches", None)
    requires_before: str | None = doc("regex: keep the match only when the text just before it matches", None)
    requires_after: str | None = doc("regex: keep the match only when the text just after it matches", None)
    inflect: Literal["verb", "noun"] | None = doc("expand the first word (verb) or last word (noun) into its inflected forms", None)
    fix: Literal["safe", "unsafe", "none"] | None = doc("fix applicability for this entry", None)

    def __post_init__(self) -> None:
        if not self.phrase.strip():
            raise ValueError("empty phrase")
        if isinstance(self.suggest, str):  # pragma: no cover - schema converts
            object.__setattr__(self, "suggest", (self.suggest,))


def entry_from(raw: Any, where: str) -> Entry:
    if isinstance(raw, str):
        return Entry(phrase=raw)
    if isinstance(raw, dict) and isinstance(raw.get("suggest"), str):
        raw = {**raw, "suggest": [raw["suggest"]]}
    return _plain_entry(raw) or build(Entry, raw, where)


@lru_cache(maxsize=1)
def _entry_kinds() -> dict[str, Any]:
    """Each ``Entry`` field's accepted plain values: ``str``, ``bool``, a set of
    choices (a ``Literal``, or the severities), or ``"strings"`` (``suggest``)."""
    import typing

    kinds: dict[str, Any] = {}
    for name, hint in typing.get_type_hints(Entry).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if hint is str or args == [str]:
            kinds[name] = str
        elif hint is bool:
            kinds[name] = bool
        elif name == "suggest":
            kinds[name] = "strings"
        elif args and typing.get_origin(args[0]) is typing.Literal:
            kinds[name] = frozenset(typing.get_args(args[0]))
        elif typing.get_origin(hint) is typing.Literal:
            kinds[name] = frozenset(typing.get_args(hint))
        elif args == [Severity]:
            kinds[name] = Severity
    return kinds


def _plain_entry(raw: Any) -> Entry | None:
    """A word-list row of plain values as an ``Entry``, without the generic
    schema walk (a thousand rows cost 0.1 s through it); None for anything
    else, which then goes through ``schema.build`` and its error messages."""
    if not isinstance(raw, dict):
        return None
    kinds = _entry_kinds()
    kw: dict[str, Any] = {}
    for key, value in raw.items():
        kind = kinds.get(key)
        if kind is str or kind is bool:
            if type(value) is not kind:
                return None
            kw[key] = value
        elif kind == "strings":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            kw[key] = tuple(value)
        elif kind is Severity:
            if not isinstance(value, str):
                return None
            try:
                kw[key] = Severity.parse(value)
            except ValueError:
                return None
        elif isinstance(kind, frozenset) and value in kind:
            kw[key] = value
        else:
            return None
    if "phrase" not in kw:
        return None
    try:
        return Entry(**kw)
    except (TypeError, ValueError):
        return None


def load_entries_file(path: Path) -> list[dict[str, Any]]:
    """Entries from a TSV with a header row (phrase, suggest, reason, ...).

    ``suggest`` may hold several suggestions separated by ``|``; lines
    starting with ``#`` are comments.
    """
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or "phrase" not in reader.fieldnames:
        raise SchemaError(path.name, "a word-list file needs a header row with a 'phrase' column")
    for n, row in enumerate(reader, start=2):
        if None in row:
            raise SchemaError(f"{path.name}:{n}", "more columns than the header names")
        item: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or v == "":
                continue
            if k == "suggest":
                item[k] = [s.strip() for s in v.split("|") if s.strip()]
            elif k == "regex":
                item[k] = v.strip().lower() in ("1", "true", "yes")
            else:
                item[k] = v
        item["_line"] = n
        rows.append(item)
    return rows


# -- the trie regex ---------------------------------------------------------
_BOUND = "\x00b"  # word boundary pseudo-character
_END = "\x00$"


def _char_regex(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    if ch == "-":
        return "[-‐‑]"
    if ch == _BOUND:
        return r"\b"
    return re.escape(ch)


def trie_regex(phrases: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for p in phrases:
        node = trie
        seq: list[str] = []
        if p[0].isalnum() or p[0] == "_":
            seq.append(_BOUND)
        seq.extend(p)
        if p[-1].isalnum() or p[-1] == "_":
            seq.append(_BOUND)
        for ch in seq:
            node = node.setdefault(ch, {})
        node[_END] = {}

    def emit(node: dict[str, Any]) -> str:
        optional = _END in node
        # longer continuations first, the word-boundary ending last, so the
        # leftmost match is also the longest listed phrase
        keys = sorted((k for k in node if k != _END), key=lambda k: (k == _BOUND, k))
        alts = [_char_regex(k) + emit(node[k]) for k in keys]
        if not alts:
            return ""
        if len(alts) == 1 and not optional:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if optional else body

    return emit(trie)



# -- inflection ----------------------------------------------------------------
def verb_forms(base: str) -> tuple[str, str, str, str, str]:
    """``(base, 3sg, past, past participle, -ing)`` of an English verb, from lemminflect's lexicon."""
    return tuple(spellings[0] for _, spellings in inflection.forms(base, "verb"))  # type: ignore[return-value]


def noun_forms(base: str) -> tuple[str, str]:
    """``(singular, plural)`` of an English noun, from lemminflect's lexicon."""
    return tuple(spellings[0] for _, spellings in inflection.forms(base, "noun"))  # type: ignore[return-value]


def _inflect_phrase(phrase: str, how: str) -> dict[str, tuple[str, ...]]:
    """Penn tag -> the phrase with its head word in that form (every spelling).

    A verb phrase ("carry out a study") inflects its first word, a noun
    phrase ("military society") its last.
    """
    words = phrase.split(" ")
    if how == "verb":
        return {tag: tuple(" ".join([f, *words[1:]]) for f in fs) for tag, fs in inflection.forms(words[0], "verb")}
    return {tag: tuple(" ".join([*words[:-1], f]) for f in fs) for tag, fs in inflection.forms(words[-1], "noun")}


def expand_inflections(e: Entry) -> list[Entry]:
    """The entry itself, or one entry per inflected form, suggestions inflected alike.

    A form with two spellings ("travelled", "traveled") gives two entries;
    each suggestion takes the same form (and the same spelling when it has
    one).
    """
    if not e.inflect or e.regex:
        return [e]
    phrases = _inflect_phrase(e.phrase, e.inflect)
    suggestions = [_inflect_phrase(s, e.inflect) for s in e.suggest]
    out: list[Entry] = []
    seen: set[str] = set()
    for tag, spellings in phrases.items():
        for k, p in enumerate(spellings):
            if p in seen:
                continue
            seen.add(p)
            suggest = tuple(s[tag][min(k, len(s[tag]) - 1)] for s in suggestions)
            out.append(replace(e, phrase=p, suggest=suggest, inflect=None))
    return out


class _Node:
    """One word of the phrase trie: phrases that continue (by separator and
    next word) and phrases that end here (by the non-word characters that
    close them, "" for none)."""

    __slots__ = ("next", "ends")

    def __init__(self) -> None:
        self.next: dict[tuple[str, str], _Node] = {}
        self.ends: dict[str, str] = {}


_RUN_SPLIT = re.compile(r"(\w+)")


def _raw_length(gap: str, canon: str, from_end: bool = False) -> int:
    """How many characters of ``gap`` the canonical string ``canon`` covers
    (from its start, or from its end), a space standing for a run of white space."""
    n, i = len(gap), 0
    chars = reversed(canon) if from_end else canon
    for ch in chars:
        if ch == " ":
            while i < n and gap[n - 1 - i if from_end else i].isspace():
                i += 1
        else:
            i += 1
    return i


class PhraseMatcher:
    """Finds every listed phrase in a text, leftmost first, longest at a place.

    Literal phrases are matched over the document's word runs
    (``Document.word_runs``): each phrase is its words and the non-word
    characters between them (a space matches any white space, ' matches ’,
    - matches the hyphen characters), kept in a trie of words.  A phrase can
    only start where its first word is a whole run, so the work is one
    dictionary lookup per distinct word of the document, and nothing is
    compiled: a list of ten thousand phrases loads in milliseconds and costs
    a document nothing where its first words do not occur.  The result is
    what one case-insensitive trie regex with word boundaries gave (the
    previous implementation, still used for text whose lower-case form
    changes length): leftmost match first, the longest listed phrase at that
    place, matches never overlapping.  ``regex: true`` entries (and phrases
    without a word character) form one alternation, compiled on first use;
    at the same place a listed phrase wins over them.
    """

    def __init__(self, entries: Iterable[Entry], where: str = "") -> None:
        self.literal: dict[str, Entry] = {}
        self.patterns: list[tuple[re.Pattern[str], Entry]] = []
        self._where = where
        listed = list(entries)
        explicit = {normalize_phrase(e.phrase) for e in listed if not e.regex}
        expanded: list[Entry] = []
        for e in listed:
            for x in expand_inflections(e):
                # an explicitly listed form wins over another entry's expansion
                if x is not e and normalize_phrase(x.phrase) in explicit and normalize_phrase(x.phrase) != normalize_phrase(e.phrase):
                    continue
                expanded.append(x)
        for e in expanded:
            if e.regex:
                try:
                    self.patterns.append((re.compile(e.phrase, re.IGNORECASE if e.case == "insensitive" else 0), e))
                except re.error as exc:
                    raise SchemaError(where, f"entry {e.phrase!r}: bad regular expression: {exc}") from None
                continue
            key = normalize_phrase(e.phrase)
            if key in self.literal:
                raise SchemaError(where, f"entry {e.phrase!r} is listed twice")
            self.literal[key] = e
        # the word trie: first word -> node (phrases starting with a word), and
        # first word -> [(leading characters, node)] for phrases like "«la"
        self._firsts: dict[str, _Node] = {}
        self._prefixed: dict[str, list[tuple[str, _Node]]] = {}
        self._wordless: list[str] = []  # phrases with no word character: matched by the alternation
        for key in self.literal:
            parts = _RUN_SPLIT.split(key)  # [lead, word, sep, word, ..., word, tail]
            if len(parts) < 3:
                self._wordless.append(key)
                continue
            lead, tail = canonical_gap(parts[0]), canonical_gap(parts[-1])
            words, seps = parts[1:-1:2], [canonical_gap(x) for x in parts[2:-1:2]]
            if lead:
                node = next((n for p, n in self._prefixed.get(words[0], []) if p == lead), None)
                if node is None:
                    node = _Node()
                    self._prefixed.setdefault(words[0], []).append((lead, node))
            else:
                node = self._firsts.setdefault(words[0], _Node())
            for sep, word in zip(seps, words[1:]):
                node = node.next.setdefault((sep, word), _Node())
            node.ends[tail] = key
        self._starters = frozenset(self._firsts) | frozenset(self._prefixed)
        self._extra: re.Pattern[str] | None = None
        self._regex: re.Pattern[str] | None = None
        # context guards are compiled the first time a match needs them (most
        # entries never match a given run's documents); warm() compiles them all
        self._guards: dict[int, tuple[re.Pattern[str] | None, ...]] = {}
        self._compiled: dict[tuple[str, bool], re.Pattern[str]] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The whole list as one case-insensitive trie regex (compiled on first use;
        only text whose lower-case form changes length is matched with it)."""
        if self._regex is None:
            parts = [trie_regex(sorted(self.literal))] if self.literal else []
            parts.extend(f"(?:{p.pattern})" for p, _ in self.patterns)
            self._regex = re.compile("|".join(parts) if parts else r"(?!x)x", re.IGNORECASE)
        return self._regex

    @property
    def extra(self) -> re.Pattern[str] | None:
        """``regex: true`` entries and word-less phrases as one alternation (compiled on first use)."""
        if self._extra is None and (self.patterns or self._wordless):
            parts = [trie_regex(sorted(self._wordless))] if self._wordless else []
            parts.extend(f"(?:{p.pattern})" for p, _ in self.patterns)
            self._extra = re.compile("|".join(parts), re.IGNORECASE)
        return self._extra

    def warm(self) -> None:
        """Compile what is otherwise compiled on first use (and so check every guard)."""
        _ = self.extra
        for e in list(self.literal.values()) + [e for _, e in self.patterns]:
            self._guards_for(e)

    def _guards_for(self, e: Entry) -> tuple[re.Pattern[str] | None, ...]:
        """``(not_before, not_after, requires_before, requires_after)`` of an entry, compiled."""
        got = self._guards.get(id(e))
        if got is None:
            try:
                got = self._guards[id(e)] = (
                    self._rx(e.not_before, True),
                    self._rx(e.not_after, False),
                    self._rx(e.requires_before, True),
                    self._rx(e.requires_after, False),
                )
            except re.error as exc:
                raise SchemaError(self._where, f"entry {e.phrase!r}: bad context regex: {exc}") from None
        return got

    def _rx(self, source: str | None, anchored_end: bool) -> re.Pattern[str] | None:
        if not source:
            return None
        key = (source, anchored_end)
        rx = self._compiled.get(key)
        if rx is None:
            rx = self._compiled[key] = re.compile(f"(?:{source})$" if anchored_end else source)
        return rx

    def __len__(self) -> int:
        return len(self.literal) + len(self.patterns)

    def entry_for(self, matched: str) -> Entry | None:
        e = self.literal.get(normalize_phrase(matched))
        if e is not None:
            if e.case == "sensitive" and _WS.sub(" ", matched) != e.phrase:
                return None
            return e
        for pat, e in self.patterns:
            if pat.fullmatch(matched):
                return e
        return None

    # -- matching ------------------------------------------------------------------
    def _longest_at(self, runs: WordRuns, i: int, node: _Node, start: int) -> tuple[int, int] | None:
        """The longest listed phrase whose first word is run ``i`` (as ``(start, end)``)."""
        words, ends, n = runs.words, runs.ends, len(runs.words)
        best = -1
        j = i
        while True:
            for tail in node.ends:
                if not tail:
                    end = ends[j]
                else:
                    gap = runs.gap_after(j)
                    if not canonical_gap(gap).startswith(tail):
                        continue
                    end = ends[j] + _raw_length(gap, tail)
                if end > best:
                    best = end
            if j + 1 >= n or not node.next:
                break
            child = node.next.get((canonical_gap(runs.gap_after(j)), words[j + 1]))
            if child is None:
                break
            node, j = child, j + 1
        return (start, best) if best >= 0 else None

    #: id(node) -> the words that may follow its word in a listed phrase (``_after``)
    _follow: dict[int, frozenset[str]] | None = None

    def _after(self, node: _Node) -> frozenset[str]:
        """The words that may come next after ``node`` (memoised: the trie is immutable)."""
        if self._follow is None:
            self._follow = {}
        got = self._follow.get(id(node))
        if got is None:
            got = self._follow[id(node)] = frozenset(word for _, word in node.next)
        return got

    def _literal_spans(self, runs: WordRuns) -> list[tuple[int, int]]:
        """The longest literal match at each place where one starts, by start."""
        found: dict[int, int] = {}
        index, words = runs.index, runs.words
        last = len(words) - 1
        for word in self._starters.intersection(index):
            node = self._firsts.get(word)
            prefixed = self._prefixed.get(word, ())
            at = index[word]
            if node is not None and not node.ends and not prefixed:
                # no listed phrase is this word alone: only the places where a listed
                # second word follows can match (most "the"s of a text are not looked at)
                after = self._after(node)
                at = [i for i in at if i < last and words[i + 1] in after]
            for i in at:
                if node is not None:
                    hit = self._longest_at(runs, i, node, runs.starts[i])
                    if hit is not None and hit[1] > found.get(hit[0], -1):
                        found[hit[0]] = hit[1]
                for lead, pnode in prefixed:
                    gap = runs.gap_before(i)
                    if not canonical_gap(gap).endswith(lead):
                        continue
                    hit = self._longest_at(runs, i, pnode, runs.starts[i] - _raw_length(gap, lead, from_end=True))
                    if hit is not None and hit[1] > found.get(hit[0], -1):
                        found[hit[0]] = hit[1]
        return sorted(found.items())

    def _spans(self, text: str, runs: WordRuns | None) -> Iterator[tuple[int, int]]:
        """Match spans, leftmost first and never overlapping (what ``finditer`` of
        the one combined regex gave): a literal wins at the place it starts."""
        if runs is None:
            low = text.lower()
            if len(low) != len(text):
                for m in self.regex.finditer(text):
                    yield m.span()
                return
            runs = WordRuns(low)
        literal = self._literal_spans(runs) if self._starters else []
        extra = self.extra
        pos, k = 0, 0
        x = None
        while True:
            while k < len(literal) and literal[k][0] < pos:
                k += 1
            if extra is not None and (x is None or x.start() < pos):
                x = extra.search(text, pos)
            lit = literal[k] if k < len(literal) else None
            if lit is None and x is None:
                return
            if lit is not None and (x is None or lit[0] <= x.start()):
                yield lit
                pos = lit[1]
            else:
                assert x is not None
                if x.end() == x.start():
                    pos = x.start() + 1
                    x = None
                    continue
                yield x.span()
                pos = x.end()

    def finditer(self, text: str, runs: WordRuns | None = None) -> Iterator[tuple[Span, Entry]]:
        """``(span, entry)`` for every listed phrase in ``text`` whose context
        guards allow it; ``runs`` is ``Document.word_runs`` when the caller has it."""
        for s, e in self._spans(text, runs):
            entry = self.entry_for(text[s:e])
            if entry is None:
                continue
            before, after, need_before, need_after = self._guards_for(entry)
            lo = max(0, s - 80)
            if before is not None and before.search(text, lo, s):
                continue
            if after is not None and after.match(text, e):
                continue
            if need_before is not None and not need_before.search(text, lo, s):
                continue
            if need_after is not None and not need_after.match(text, e):
                continue
            yield Span(s, e), entry


def read_word_file(path: Path) -> frozenset[str]:
    """One word or phrase per line; ``#`` starts a comment line."""
    try:
        return frozenset(read_word_list(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(path.name, f"cannot read word list: {getattr(exc, 'strerror', None) or exc}") from None
