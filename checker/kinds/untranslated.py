"""``foreign_fragment``: source-language words left in English text.

Two kinds of evidence, both cheap on clean English text:

* **Script.** Letters of another script (CJK, kana, hangul, Arabic, Hebrew,
  Cyrillic, Thai, Devanagari) in an English article are almost always a
  fragment the MT system could not render ("@芳芳一人食").  A gloss in
  parentheses right after a name ("Xi Jinping (习近平)") is kept: that is
  an editorial choice, not an artifact.
* **Function words.** A short, closed list of French, Spanish, Portuguese,
  Italian, German and Dutch function words (``foreign_words.tsv``, with
  wordfreq frequencies computed by ``scripts/build_foreign_words.py``) is
  compiled into one regex.  A hit is a finding only with language evidence:
    - a ``function`` word (und, avec, muy...) standing in running text;
    - any listed word next to a word that wordfreq says is clearly more
      common in a source language than in English ("la ville");
    - a name particle (de, del, di...) between a common English word and a
      capitalised word when the document never writes that name with a first
      name ("fighters de Hafter"; "Charles de Gaulle", "said de Blasio",
      "by del Toro" pass).
  Loanwords in normal English use ("de facto", "coup d'état", "per se") are
  listed in ``loanwords.txt`` and never flagged; tokens joined by a hyphen
  ("el-Sisi", "al-Jarf") are not separate words, and capitalised words are
  never triggers ("Al Jazeera", "La Liga").

Word frequencies come from the tables ``scripts/build_tables.py`` writes
from wordfreq's data (``checker.wordfreq_data``: no wordfreq import, no
whole-language dictionaries), read only when a hit needs a neighbour
checked, and each word's verdict is memoised on the rule object for the run
(a pure function of the word, so no state leaks between documents).  Every
step is linear in the document: loanword containment is a binary search,
and "the same name written with a first name" is one index per document.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..findings import Finding
from ..phrases import Entry, PhraseMatcher, trie_regex
from ..rule import RuleContext, RuleMeta
from ..schema import SchemaError, doc
from ..spans import Span
from ..wordlists import read_word_list
from .base import KindRule
from ..wordfreq_data import zipf, zipf_at_least

if TYPE_CHECKING:
    from ..document import Document
    from ..text import Token

__all__ = ["ForeignFragmentRule", "ForeignFragmentSpec"]

_SCRIPTS = (
    "\u0400-\u04ff"  # Cyrillic
    "\u0590-\u05ff"  # Hebrew
    "\u0600-\u06ff\u0750-\u077f"  # Arabic
    "\u0900-\u097f"  # Devanagari
    "\u0e00-\u0e7f"  # Thai
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK
    "\uac00-\ud7af"  # hangul
)
#: the lowest character of ``_SCRIPTS``: a text without one has no script run
_SCRIPTS_FROM = "\u0400"


#: a run of non-Latin script (``_script_run`` compiles it)
SCRIPT_RUN = f"[{_SCRIPTS}](?:[{_SCRIPTS}\\s·・，、。：；！？“”《》（）]*[{_SCRIPTS}])?"


@lru_cache(maxsize=1)
def _script_run() -> re.Pattern[str]:
    """``SCRIPT_RUN``, compiled on first need (its character classes span 40,000
    code points: 10 ms to compile, and English copy rarely needs it)."""
    return re.compile(SCRIPT_RUN)


@dataclass(frozen=True)
class ForeignFragmentSpec:
    words_file: str = doc("TSV of source-language function words (word, role, lang, zipf_source, zipf_en)")
    loanwords_file: str = doc("phrases borrowed into English, one per line, never flagged", "")
    english_file: str = doc("common English words, one per line: neighbours found here need no wordfreq lookup", "")
    name_context: tuple[str, ...] = doc(
        "lower-case words that may stand before a name particle (\"said de Blasio\", \"by del Toro\")", ()
    )
    name_particles: tuple[str, ...] = doc(
        "particles that start a name when followed by a capitalised word", ("de", "del", "della", "di", "da", "du", "des", "dos")
    )
    languages: tuple[str, ...] = doc("wordfreq languages that count as source languages", ("fr", "es", "pt", "it", "de", "nl"))
    margin: float = doc("a neighbour is foreign when its best source zipf exceeds its English zipf by this much", 1.5)
    min_zipf: float = doc("... and its source zipf is at least this (rare words prove nothing)", 3.0)
    scripts: bool = doc("also flag letters of non-Latin scripts", True)
    message: str = doc("message template: {match}, {lang}, {evidence}", "{match!r} looks like an untranslated {lang} fragment ({evidence}).")


class ForeignFragmentRule(KindRule):
    """Flags source-language words and script left untranslated in English text."""

    Spec = ForeignFragmentSpec
    needs: frozenset[str] = frozenset({"tokens", "sentences"})

    def __init__(self, meta: RuleMeta, spec: ForeignFragmentSpec, base_dir: Path) -> None:
        self.meta = meta
        self.spec = spec
        path = base_dir / spec.words_file
        if not path.is_file():
            raise SchemaError("words-file", f"{spec.words_file!r} not found next to the rule file")
        self.words: dict[str, tuple[str, str, float, float]] = {}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#") or line.startswith("word\t"):
                continue
            parts = line.split("\t")
            if len(parts) != 5 or parts[1] not in ("function", "particle"):
                raise SchemaError(f"{spec.words_file}:{n}", "expected: word, function|particle, lang, zipf_source, zipf_en")
            self.words[parts[0]] = (parts[1], parts[2], float(parts[3]), float(parts[4]))
        # Triggers: a listed word (case as listed), or its capitalised form at a
        # sentence start ("Les combattants ..."), standing as a whole word after
        # white space, a bracket, an opening quote, a dash or a slash, and not
        # followed by an apostrophe or a hyphen.  Found through the document's
        # word runs (a dictionary lookup per distinct word); the two regexes
        # that say the same are compiled only for a text whose lower-case form
        # changes length.
        self._caps = frozenset(w[:1].upper() + w[1:] for w in self.words)
        self._keys = frozenset(w.lower() for w in self.words) | frozenset(w.lower() for w in self._caps)
        self._by_runs = all(_WORD.fullmatch(w) for w in self.words)
        self._trigger_rx: tuple[re.Pattern[str], ...] | None = None
        # the loanword list and the English word list are read on the first
        # trigger hit: most clean articles never need them, and a one-file
        # run should not pay for 25,000 words it does not look at
        self._base_dir = base_dir
        for key, fname in (("loanwords-file", spec.loanwords_file), ("english-file", spec.english_file)):
            if fname and not (base_dir / fname).is_file():
                raise SchemaError(key, f"{fname!r} not found next to the rule file")
        self._loanwords: PhraseMatcher | None = None
        self._english: frozenset[str] | None = None
        self.name_context = frozenset(w.lower() for w in spec.name_context)
        self.name_particles = frozenset(spec.name_particles)
        self._verdicts: dict[str, str | None] = {}
        # a particle standing between whitespace, with the run of word characters
        # before it and the non-space run after it (see _name_written)
        alts = "|".join(re.escape(p) for p in sorted(self.name_particles, key=len, reverse=True)) or r"(?!x)x"
        self._particle_rx = re.compile(r"(?<![\w'’-])(?=([\w'’-]+)\s+(" + alts + r")\s+(\S+))")

    @property
    def loanwords(self) -> PhraseMatcher | None:
        if self._loanwords is None and self.spec.loanwords_file:
            loans = [Entry(phrase=ln) for ln in read_word_list(self._base_dir / self.spec.loanwords_file)]
            self._loanwords = PhraseMatcher(loans, self.meta.path) if loans else None
        return self._loanwords

    @property
    def english(self) -> frozenset[str]:
        if self._english is None:
            words: frozenset[str] = frozenset()
            if self.spec.english_file:
                words = frozenset(read_word_list(self._base_dir / self.spec.english_file))
            self._english = words
        return self._english

    # -- language evidence -------------------------------------------------------
    def _foreign_lang(self, word: str) -> str | None:
        """The source language ``word`` clearly belongs to, or None (English or unknown)."""
        w = word.lower()
        if w in self._verdicts:
            return self._verdicts[w]
        verdict: str | None = None
        listed = self.words.get(w)
        if listed is not None:
            verdict = listed[1]
        elif w not in self.english:
            # wordfreq's values from the shipped tables (checker.wordfreq_data):
            # only values >= min_zipf matter for a source language, and those
            # tables hold every word at or above Zipf 3.0
            spec = self.spec
            en = zipf(w, "en")
            best, lang = max((zipf_at_least(w, lg, spec.min_zipf), lg) for lg in spec.languages)
            if best >= spec.min_zipf and best - en >= spec.margin:
                verdict = lang
        self._verdicts[w] = verdict
        return verdict

    def warm(self) -> None:
        """Load the word lists and frequency tables this rule reads."""
        if self.loanwords is not None:
            self.loanwords.warm()
        _ = self.english
        from ..wordfreq_data import warm

        warm(("en", *self.spec.languages))

    # -- checking ------------------------------------------------------------------
    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        if self.spec.scripts:
            yield from self._scripts(doc, ctx)
        loans: _Loans | None = None
        names: dict[str, list[str]] | None = None
        toks = doc.tokens
        done_until = -1
        hits = self._hits(doc)
        for start, end, initial in hits:
            m_start, m_end = start, end
            if m_start < done_until:
                continue
            tok = doc.token_at(m_start)
            if tok is None or tok.start != m_start or tok.end != m_end:
                continue
            if loans is None:
                loans = _Loans([s for s, _ in self.loanwords.finditer(text, doc.word_runs)] if self.loanwords else [])
            if loans.covers(tok.start, tok.end):
                continue
            if names is None:
                names = self._names_with_particles(text)
            found = self._judge(doc, toks, tok.index, loans, names, initial)
            if found is None:
                continue
            span, lang, evidence = found
            done_until = span.end
            message = self.spec.message.format(match=text[span.start : span.end], lang=_LANG_NAMES.get(lang, lang), evidence=evidence)
            yield ctx.finding(span, message, data={"lang": lang, "evidence": evidence})

    def _hits(self, doc: "Document") -> list[tuple[int, int, bool]]:
        """``(start, end, sentence-initial?)`` of every trigger word, in text order."""
        text = doc.text
        runs = doc.word_runs
        hits: list[tuple[int, int, bool]] = []
        if runs is None or not self._by_runs:
            plain, plain_first, initial, initial_first = self._trigger_regexes()
            hits = [(m.start("w"), m.end("w"), False) for m in plain.finditer(text)]
            first = plain_first.match(text)
            if first:
                hits.append((0, first.end("w"), False))
            caps = [(m.start("w"), m.end("w")) for m in initial.finditer(text)]
            first = initial_first.match(text)
            if first:
                caps.append((0, first.end("w")))
            hits.extend((a, b, True) for a, b in caps if _opens_sentence(text, a))
            hits.sort()
            return hits
        n = len(text)
        index, starts, ends = runs.index, runs.starts, runs.ends
        for key in self._keys.intersection(index):
            for i in index[key]:
                a, b = starts[i], ends[i]
                if b < n and text[b] in "'’-":
                    continue
                if a > 0 and not (text[a - 1].isspace() or text[a - 1] in _LEAD):
                    continue
                w = text[a:b]
                if w in self.words:
                    hits.append((a, b, False))
                if w in self._caps and _opens_sentence(text, a):
                    hits.append((a, b, True))
        hits.sort()
        return hits

    def _trigger_regexes(self) -> tuple[re.Pattern[str], ...]:
        """The triggers as regexes (a character trie of the words, compiled on first need)."""
        if self._trigger_rx is None:
            lead = "[\\s(\\[“\"‘«—–/]"
            body = trie_regex(sorted(self.words, key=len, reverse=True))
            cbody = trie_regex(sorted(self._caps, key=len, reverse=True))
            self._trigger_rx = tuple(re.compile(pre + r"(?P<w>" + b + r")(?![\w'’-])")
                                     for b in (body, cbody) for pre in (lead, ""))
        return self._trigger_rx

    def _word(self, toks: "tuple[Token, ...]", i: int) -> "Token | None":
        if 0 <= i < len(toks) and toks[i].kind == "word":
            return toks[i]
        return None

    def _judge(self, doc: "Document", toks: "tuple[Token, ...]", i: int, loans: "_Loans", names: dict[str, list[str]],
               initial: bool = False) -> tuple[Span, str, str] | None:
        t = toks[i]
        role, lang, _, _ = self.words[t.text.lower()]
        prev, nxt = self._word(toks, i - 1), self._word(toks, i + 1)
        # adjacent tokens must be separated by plain spaces only to count as a phrase
        if prev is not None and doc.text[prev.end : t.start].strip():
            prev = None
        if nxt is not None and doc.text[t.end : nxt.start].strip():
            nxt = None
        # "Sturm und Drang", "Ortega y Gasset", "Trinidad y Tobago": inside a name or title
        if prev is not None and nxt is not None and prev.is_capitalized and nxt.is_capitalized:
            # ... unless both names are English words: "Russia und Turkey"
            if not (role == "function" and prev.lower in self.english and nxt.lower in self.english):
                return None
        # extend over neighbouring foreign words, left and right
        lo = hi = i
        votes = [(i, lang)]
        while True:
            w = self._word(toks, hi + 1)
            if w is None or w.is_capitalized or doc.text[toks[hi].end : w.start].strip() or hi - lo > 6:
                break
            lg = self._foreign_lang(w.text)
            if lg is None or loans.covers(w.start, w.start + 1):
                break
            hi += 1
            votes.append((hi, lg))
        while True:
            w = self._word(toks, lo - 1)
            if w is None or w.is_capitalized or doc.text[w.end : toks[lo].start].strip() or hi - lo > 6:
                break
            lg = self._foreign_lang(w.text)
            if lg is None or loans.covers(w.start, w.start + 1):
                break
            lo -= 1
            votes.append((lo, lg))
        if initial:
            # a capitalised sentence opener counts only with foreign words after it
            if hi == i:
                return None
            lo = i
        if hi > lo:
            # a foreign phrase: needs at least one word that is not a bare particle
            words = [toks[k].text for k in range(lo, hi + 1)]
            if all(self.words.get(w.lower(), ("particle",))[0] == "particle" and w.lower() in self.words for w in words):
                if len(words) < 3:
                    return None
            main = self._vote(votes, toks)
            return Span(toks[lo].start, toks[hi].end), main, "source-language words in a row"
        if role == "function":
            # a function word in running text (not a one-word quote or list item)
            if prev is None and nxt is None:
                return None
            return t.span, lang, f"a {_LANG_NAMES.get(lang, lang)} function word in English text"
        if t.text == "y" and prev is not None and nxt is not None and not prev.is_capitalized and not nxt.is_capitalized:
            if len(prev.text) > 1 and len(nxt.text) > 1 and prev.lower not in ("x", "z", "and", "or") and self._foreign_lang(prev.text) is None:
                return t.span, "es", "Spanish \"y\" (and) between English words"
        if t.text in self.name_particles and nxt is not None and nxt.is_capitalized and prev is not None and not prev.is_capitalized:
            if prev.lower in self.name_context or prev.lower.endswith(("'s", "’s")):
                return None
            # the same name written elsewhere with a first name: a real particle
            if _written_after(names.get(t.text, ()), nxt.text.rstrip("'’s")):
                return None
            return t.span, lang, f"{t.text!r} between a common noun and a name reads as a source-language preposition"
        return None

    def _vote(self, votes: list[tuple[int, str]], toks: "tuple[Token, ...]") -> str:
        """The phrase's language: the most words; a tie goes to the language of
        more words that are not bare name particles ("contra la": Spanish, not
        the French of "la"), then to the earliest word.  Never set or hash order."""
        def key(lang: str) -> tuple[int, int, int]:
            mine = [k for k, lg in votes if lg == lang]
            content = sum(1 for k in mine if self.words.get(toks[k].text.lower(), ("content",))[0] != "particle")
            return (len(mine), content, -min(mine))

        return max(sorted({lg for _, lg in votes}), key=key)

    def _names_with_particles(self, text: str) -> dict[str, list[str]]:
        """For each name particle, the sorted non-space runs that follow it
        where a word with a capital letter stands before it ("Charles de
        Gaulle"): one pass over the text, so checking a particle hit against
        the rest of the document is a binary search, not a regex per hit."""
        index: dict[str, list[str]] = {}
        for m in self._particle_rx.finditer(text):
            if _HAS_CAPITAL.search(m.group(1)):
                index.setdefault(m.group(2), []).append(m.group(3))
        for runs in index.values():
            runs.sort()
        return index

    def _scripts(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        if not text or max(text) < _SCRIPTS_FROM:
            return
        for m in _script_run().finditer(text):
            s, e = m.span()
            # "(习近平)" right after a name: a deliberate gloss
            before = text[max(0, s - 2) : s]
            if before.endswith("(") or before.endswith("（"):
                close = text[e : e + 1]
                if close in ")）":
                    continue
            yield ctx.finding(
                Span(s, e),
                self.spec.message.format(match=m.group(), lang=_script_name(m.group()[0]), evidence="letters of another script"),
                data={"lang": _script_name(m.group()[0]), "evidence": "script"},
            )


_HAS_CAPITAL = re.compile("[A-Z]")
_WORD = re.compile(r"\w+")
#: what may stand right before a trigger word (besides white space and the text start)
_LEAD = "([“\"‘«—–/"


def _written_after(runs: "list[str] | tuple[str, ...]", name: str) -> bool:
    """True when one of the sorted ``runs`` starts with ``name``."""
    i = bisect.bisect_left(runs, name)
    return i < len(runs) and runs[i].startswith(name)


class _Loans:
    """Loanword spans of one document (sorted, disjoint), with containment by bisection."""

    __slots__ = ("spans", "starts")

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [s.start for s in spans]

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.spans[i].end >= end


def _opens_sentence(text: str, pos: int) -> bool:
    """True when only quotes/brackets stand between ``pos`` and a sentence end or line start."""
    i = pos - 1
    while i >= 0 and text[i] in " \t“\"‘'«([":
        i -= 1
    return i < 0 or text[i] in "\n\r.!?…:"


_LANG_NAMES = {"fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "de": "German", "nl": "Dutch", "ar": "Arabic"}


#: Unicode blocks of the scripts MT leaves behind, first match wins; anything else is CJK
_SCRIPTS = (
    (0x0400, 0x04FF, "Russian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x077F, "Arabic"),
    (0x0900, 0x097F, "Hindi"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x3040, 0x30FF, "Japanese"),
    (0xAC00, 0xD7AF, "Korean"),
)


def _script_name(ch: str) -> str:
    o = ord(ch)
    return next((name for lo, hi, name in _SCRIPTS if lo <= o <= hi), "Chinese")
