"""``spelling``: non-words that are not names.

A word is one of four things, and only the last is reported:

* a **known word**, however rare: wordfreq (a frequency list built from
  many sources) knows it ("bushtucker", "adventurism");
* a **name**: capitalised (the document's name view, possessives removed),
  or in the newsroom word list (the rule's ``allow-file`` plus the
  config's ``grammar.words``/``grammar.words-files``).  A misspelt *name*
  is the name-variant rule's business, not the speller's;
* an **acronym, number, code or short token**: skipped;
* a **garble**: a lower-case word no dictionary knows, or any word the MT
  lexicon lists as a known garble ("Hausers" -> "howitzers").

Suggestions come from the lexicon first, else from the nearest frequent
English word (rapidfuzz over wordfreq's top words).  When the grammar
backend reports spelling (LanguageTool's speller, or Harper's SpellCheck
when enabled), those findings pass through the same name filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..findings import Finding
from ..rule import RuleContext, check_template
from ..schema import SchemaError, doc
from ..spans import Span
from ..phrases import load_entries_file, read_word_file
from ..wordfreq_data import zipf as _zipf
from .base import KindRule

if TYPE_CHECKING:
    from ..config import Config
    from ..document import Document

__all__ = ["SpellingRule", "SpellingSpec", "newsroom_service", "zipf", "nearest_word"]

_POSS = re.compile(r"(?:['’]s|(?<=s)['’])$")


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0.0: unknown), from
    the shipped table (``checker.wordfreq_data``: no wordfreq import)."""
    return _zipf(word, "en")


@lru_cache(maxsize=100_000)
def is_known(word: str) -> bool:
    """A lower-case word wordfreq lists or English derives from listed parts."""
    return zipf(word) > 0.0 or is_derived(word)


_PREFIXES = ("un", "non", "re", "pre", "over", "under", "out", "anti", "co", "mis", "dis", "counter", "ex", "post", "semi", "sub", "super", "mega", "mini", "micro", "multi")
_SUFFIXES = ("s", "es", "ly", "er", "ers", "ed", "ing", "ness", "less", "ism", "ist", "ists", "ship")


#: no head of a compound is longer than this: wordfreq's English words with
#: Zipf >= 3.0 have at most 18 letters (checked by the tests), so the
#: compound search never slices a long word at every position
_MAX_HEAD = 24
#: words longer than this are not English words: not looked up, not derived,
#: not compared with the frequent words (the longest dictionary word has 45 letters)
MAX_WORD_CHARS = 64
#: a document's first this many distinct non-words get a nearest-word suggestion
MAX_SUGGESTED = 100


@lru_cache(maxsize=50_000)
def is_derived(word: str) -> bool:
    """A word English builds from known parts: a known word with a
    productive prefix ("unblighted") or suffix ("nervelessly",
    "broadbanders"), or a closed compound of two frequent words, the second
    perhaps suffixed ("paycuts", "sidefooted", "coachloads").  Thresholds
    were set on the clean corpus so that its real typos ("analsyts",
    "nonchantly", "dispossesed") and the MT garbles stay reported."""
    w = word.lower()
    if len(w) > MAX_WORD_CHARS:
        return False
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 4 and zipf(w[len(p):]) >= 2.0:
            return True
    if _suffixed(w, 4) or _learned_form(w):
        return True
    for i in range(3, min(len(w) - 2, _MAX_HEAD + 1)):
        head, tail = w[:i], w[i:]
        if head in _PREFIXES or zipf(head) < 3.0:
            continue
        if zipf(tail) >= 3.0 or _suffixed(tail, 3):
            return True
    return False


def _suffixed(w: str, min_base: int) -> bool:
    return any(w.endswith(x) and len(w) - len(x) >= min_base and zipf(w[: -len(x)]) >= 3.0 for x in _SUFFIXES)


#: learned derivations: "andrological" and "andrologist" are regular forms of
#: "andrology", which wordfreq knows even when it does not list the derived form
_LEARNED = (("ological", "ology"), ("ologically", "ology"), ("ologist", "ology"), ("ologists", "ology"))


def _learned_form(w: str) -> bool:
    return any(w.endswith(x) and len(w) - len(x) >= 3 and zipf(w[: -len(x)] + base) > 0 for x, base in _LEARNED)


@lru_cache(maxsize=10_000)
def nearest_word(word: str) -> str | None:
    """The frequent English word closest to ``word`` (edit similarity >= 85).

    A word more than twice as long as any frequent word cannot reach 85
    (similarity is at most 2·shorter/(sum of lengths)), so it is not compared."""
    from ..wordfreq_data import frequent_words

    if len(word) > 2 * MAX_WORD_CHARS:
        return None
    from rapidfuzz import fuzz, process

    hit = process.extractOne(word.lower(), frequent_words(), scorer=fuzz.ratio, score_cutoff=85)
    return hit[0] if hit else None


def newsroom_service(config: "Config") -> frozenset[str]:
    """The ``words:newsroom`` service: the config's word list."""
    from ..config import ConfigError
    from ..services import ServiceUnavailable

    try:
        return config.newsroom_words()
    except ConfigError as exc:
        # the config names a word list that cannot be read: a broken config (exit 2)
        raise ServiceUnavailable(str(exc), fatal=True) from None


@dataclass(frozen=True)
class SpellingSpec:
    lexicon_files: tuple[str, ...] = doc("TSV files (phrase, suggest, reason) of known garbles, relative to the rule file", ())
    allow_file: str | None = doc("newsroom word list shipped with the rule (one word per line)", None)
    min_length: int = doc("shorter words are not checked", 4)
    backend_min_zipf: float = doc("backend spelling findings on words at least this frequent (wordfreq Zipf) are dropped", 3.0)
    message: str = doc("message: {word}, {suggestion}, {reason}", "{word!r} is not an English word or a name in this article; did you mean {suggestion!r}? {reason}")
    message_unknown: str = doc("message when there is no suggestion: {word}", "{word!r} is not an English word or a name in this article.")


#: the parts of a word token that ``check`` looks at: (offset in the token, part, lexicon entry or None)
_Suspects = tuple[tuple[int, str, Any], ...]
#: no newsroom list (one object, so that the memo of ``check`` lasts)
_NO_WORDS: frozenset[str] = frozenset()


class SpellingRule(KindRule):
    """Garbled non-words (dictionary + lexicon), names excepted."""

    Spec = SpellingSpec
    needs: frozenset[str] = frozenset({"words", "names", "words:newsroom", "backend:grammar?"})

    #: the newsroom list of the last check and, for it, token text -> its ``_Suspects``
    #: (a word's answer depends on nothing else, and most tokens repeat across documents)
    _memo: tuple[frozenset[str], dict[str, _Suspects]] | None = None
    #: the memo is cleared when it holds this many words
    MEMO_SIZE = 50_000

    def prepare(self, base_dir: Path) -> None:
        check_template(self.spec.message, {"word", "suggestion", "reason"}, "message")
        check_template(self.spec.message_unknown, {"word"}, "message-unknown")
        lex: dict[str, tuple[str, str, Any, Any]] = {}
        for name in self.spec.lexicon_files:
            path = base_dir / name
            if not path.is_file():
                raise SchemaError("lexicon-files", f"no such file: {name}")
            for row in load_entries_file(path):
                phrase = row["phrase"].strip()
                if " " in phrase or not row.get("suggest"):
                    continue
                # the entry's context guards mean what they mean in the MT
                # lexicon: "the Hausers" is a family, not garbled howitzers
                before = re.compile(f"(?:{row['not_before']})$") if row.get("not_before") else None
                after = re.compile(row["not_after"]) if row.get("not_after") else None
                lex[phrase] = (row["suggest"][0], row.get("reason", ""), before, after)
        self._lexicon = lex
        self._lexicon_lower = {k.lower(): v for k, v in lex.items() if k[:1].islower()}
        self._allow = read_word_file(base_dir / self.spec.allow_file) if self.spec.allow_file else frozenset()
        self._allow_cache: dict[frozenset[str], tuple[frozenset[str], frozenset[str]]] = {}

    def _names(self, doc: "Document") -> set[str]:
        names: set[str] = set()
        for m in doc.names:
            for part in m.parts:
                # NamePart (text as written, core without particle prefix) or a plain string
                for form in (getattr(part, "text", part), getattr(part, "core", part)):
                    names.add(form)
                    names.add(_POSS.sub("", form))
                    names.update(form.split("-"))
        return names

    def _allowed(self, newsroom: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """The rule's word list plus the newsroom's, as written and lower-cased
        (memoised per newsroom list: the service gives one list per run)."""
        got = self._allow_cache.get(newsroom)
        if got is None:
            allow = self._allow | newsroom
            got = self._allow_cache[newsroom] = (allow, frozenset(w.lower() for w in allow))
        return got

    def warm(self) -> None:
        """Load the English frequency table and the suggestion list."""
        from ..wordfreq_data import frequent_words, warm

        warm(("en",))
        frequent_words()
        import rapidfuzz.process  # noqa: F401  (the suggestion search)

    def _suspects(self, word: str, allow: frozenset[str], allow_lower: frozenset[str]) -> _Suspects:
        """The parts of the word token ``word`` that may be reported: the lexicon's
        garbles (whose context ``check`` still has to look at) and unknown words."""
        if "'" in word or "’" in word:
            word = _POSS.sub("", word)
        min_len = self.spec.min_length
        out = []
        pos = 0
        for part in word.split("-") if "-" in word else (word,):
            start, pos = pos, pos + len(part) + 1
            if len(part) < min_len or not part.isalpha() or part.isupper():
                continue
            hit = self._lexicon.get(part) or self._lexicon_lower.get(part.lower())
            if hit is None:
                if part[:1].isupper() or not part.islower() or part in allow or part in allow_lower:
                    continue  # a name, mixed case (iPhone), or the newsroom's word
                if is_known(part):
                    continue  # a known word however rare, or built from known parts
            out.append((start, part, hit))
        return tuple(out)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        newsroom = ctx.services.get("words:newsroom", _NO_WORDS)
        allow, allow_lower = self._allowed(newsroom)
        last = self._memo
        if last is None or last[0] is not newsroom:  # (one list per run: a new run, a new memo)
            last = self._memo = (newsroom, {})
        memo = last[1]
        text = doc.text
        seen: set[tuple[int, int]] = set()
        suggested: set[str] = set()
        for tok in doc.words:
            suspects = memo.get(tok.text)
            if suspects is None:
                suspects = self._suspects(tok.text, allow, allow_lower)
                if len(tok.text) <= MAX_WORD_CHARS:  # (a megabyte "word" is not kept alive)
                    if len(memo) >= self.MEMO_SIZE:
                        memo.clear()
                    memo[tok.text] = suspects
            for offset, part, hit in suspects:
                start = tok.start + offset
                if hit is not None:
                    _, _, before, after = hit
                    if (before is not None and before.search(text, max(0, start - 80), start)) or (
                        after is not None and after.match(text, start + len(part))
                    ):
                        continue  # the lexicon says this context is not the garble
                span = Span(start, start + len(part))
                seen.add((span.start, span.end))
                if hit:
                    suggestion, reason = hit[0], hit[1]
                    source = "lexicon"
                else:
                    # the nearest-word search (rapidfuzz over 60,000 words, milliseconds) for the
                    # first MAX_SUGGESTED distinct non-words of a document, in document order:
                    # a page of garbage must not cost minutes (same output whatever is cached)
                    low = part.lower()
                    if low not in suggested and len(suggested) < MAX_SUGGESTED:
                        suggested.add(low)
                    suggestion = nearest_word(part) if low in suggested else None
                    reason, source = "", "dictionary"
                shown = part if len(part) <= MAX_WORD_CHARS else f"{part[:24]}…{part[-8:]} ({len(part):,} letters)"
                if suggestion:
                    msg = self.spec.message.format(word=shown, suggestion=suggestion, reason=reason).rstrip()
                else:
                    msg = self.spec.message_unknown.format(word=shown)
                yield ctx.finding(span, msg, suggestions=(suggestion,) if suggestion else (),
                                  data={"source": source})
        service = ctx.services.get("backend:grammar")
        if service is None:
            return
        names: set[str] | None = None
        for bf in service.check_document(doc):
            if bf.category != "spelling" or (bf.start, bf.end) in seen:
                continue
            word = _POSS.sub("", text[bf.start : bf.end])
            if not word or word[:1].isupper() or word.lower() in allow_lower or word in allow:
                continue
            if names is None:
                names = self._names(doc)  # the name view only when the backend reports spelling
            if word in names:
                continue
            if zipf(word.lower()) >= self.spec.backend_min_zipf:
                continue
            yield ctx.finding(
                Span(bf.start, bf.start + len(word)),
                f"{bf.message.rstrip()} ({bf.backend}: {bf.rule_id})",
                suggestions=bf.suggestions,
                data={"source": "backend", "backend": bf.backend, "rule": bf.rule_id},
            )
