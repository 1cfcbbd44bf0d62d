"""``acronym``: expansions that do not spell their acronym, and acronyms defined twice.

A definition is a run of words followed by an acronym in parentheses:
"Libyan National Army (LNA)".  The expansion is the shortest run of words
before the parenthesis whose initials spell the acronym, where

* function words (of, the, and, for, in, ...) may be skipped or may give a
  letter ("United Nations Support Mission in Libya (UNSMIL)");
* a hyphenated word gives its first letter or the first letter of each part
  ("Co-operation" -> C or CO, "al-Sham" -> S);
* lower-case letters in the acronym ("DfID") match like upper-case ones;
* a trailing plural "s" ("NGOs") is ignored.

Two findings (a rule picks one with ``report``):

``scrambled``
    No run spells the acronym, but the content words just before it do once
    the last word is moved to the front: a head-final calque of a
    Romance/Arabic name ("National Accord Government (GNA)" for "Government
    of National Accord").  The suggestion puts the head first with "of".  A
    mere permutation of the letters without that pattern is reported as
    ``info``; expansions that contain function words ("Revolutionary Armed
    Forces of Colombia (FARC)") are well-formed English names of a
    source-language acronym and pass.
``redefined``
    The same acronym spelled out twice with different expansions in one
    document; the later one points to the first.
An expansion whose letters are simply unrelated is not reported: that is
usually a source-language acronym ("Kurdistan Workers' Party (PKK)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Literal

from ..findings import Finding, Related, Severity
from ..rule import RuleContext
from ..schema import SchemaError, doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["AcronymRule", "AcronymSpec", "spells"]

_DEFAULT_FUNCTION = ("of", "the", "and", "for", "in", "on", "at", "to", "de", "del", "la", "le", "al", "el", "a", "an", "&")
#: longer capitals in parentheses are not an acronym to spell out (and the
#: spelling search grows with letters x words)
MAX_ACRONYM = 15
_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z](?:s)?|[A-Z][a-z]?[A-Z]+[a-z]?[A-Z]*")


@dataclass(frozen=True)
class AcronymSpec:
    report: tuple[Literal["scrambled", "redefined"], ...] = doc("which problems this rule reports", ("scrambled", "redefined"))
    function_words: tuple[str, ...] = doc("words an expansion may skip or take a letter from", _DEFAULT_FUNCTION)
    max_extra_words: int = doc("how many words beyond the acronym's length to look back for its expansion", 4)
    message_scrambled: str = doc(
        "message for a scrambled expansion: {match}, {acronym}, {suggestion}",
        "The initials of {match!r} do not spell {acronym!r}: the word order looks scrambled by translation (did you mean {suggestion!r}?).",
    )
    message_permuted: str = doc(
        "message when the letters are only permuted (info): {match}, {acronym}",
        "The initials of {match!r} spell {acronym!r} only in another order: check the name and its acronym.",
    )
    message_redefined: str = doc(
        "message for a second, different definition: {match}, {acronym}, {first}",
        "{acronym!r} is defined twice differently: {match!r} here, {first!r} earlier.",
    )


def _letters(acronym: str) -> str:
    if len(acronym) > 2 and acronym.endswith("s") and acronym[:-1].isupper():
        acronym = acronym[:-1]
    return acronym.lower()


def _word_initials(word: str) -> list[str]:
    """Letter strings a word may contribute: its initial, or the initials of its hyphen parts."""
    parts = [p for p in re.split(r"[-‐‑]", word) if p]
    if not parts:
        return []
    opts = {parts[0][0].lower()}
    if len(parts) > 1:
        # "al-Sham" -> s; "Co-operation" -> c or co
        content = [p for p in parts if p.lower() not in ("al", "el", "ad", "as", "ash", "ar", "an", "bin", "ibn", "abu")]
        if content:
            opts.add(content[0][0].lower())
            opts.add("".join(p[0].lower() for p in content))
        opts.add("".join(p[0].lower() for p in parts))
    return sorted(opts, key=len, reverse=True)


def spells(words: tuple[str, ...], letters: str, function_words: frozenset[str]) -> bool:
    """True when ``words`` (all of them, first one giving a letter) spell ``letters``."""

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(letters)
        w = words[i]
        is_function = w.lower() in function_words and not w[:1].isupper()
        if is_function and i > 0 and go(i + 1, j):
            return True
        if w.lower() in function_words and w[:1].isupper() and i > 0 and go(i + 1, j):
            return True  # "Islamic State of Iraq and The Levant"
        for opt in _word_initials(w):
            if letters.startswith(opt, j) and go(i + 1, j + len(opt)):
                return True
        return False

    if not words:
        return False
    return go(0, 0)


class AcronymRule(KindRule):
    """Checks "Expansion (ACR)" definitions."""

    Spec = AcronymSpec
    needs: frozenset[str] = frozenset({"tokens", "sentences"})

    def prepare(self, base_dir: Path) -> None:
        if not self.spec.report:
            raise SchemaError("report", "name at least one of: scrambled, redefined")
        self.function_words = frozenset(w.lower() for w in self.spec.function_words)

    def _definitions(self, doc: "Document") -> Iterator[tuple[str, list, Span]]:
        """(acronym, expansion word tokens before it (nearest last), acronym span)."""
        toks = doc.tokens
        text = doc.text
        # only where the text has "(" (always a token of its own), not a pass over every token
        pos = text.find("(")
        while pos >= 0:
            t = doc.token_at(pos)
            pos = text.find("(", pos + 1)
            i = t.index if t is not None else -1
            if not 1 <= i < len(toks) - 2 or toks[i + 2].text != ")" or toks[i + 1].kind != "word":
                continue
            acr = toks[i + 1].text
            if len(acr) > MAX_ACRONYM or not _ACRONYM.fullmatch(acr) or sum(c.isupper() for c in acr) < 2:
                continue
            n = len(_letters(acr)) + self.spec.max_extra_words
            words = []
            k = i - 1
            while k >= 0 and len(words) < n:
                tk = toks[k]
                if tk.kind == "word":
                    words.append(tk)
                elif tk.text in "'’":
                    pass  # "Workers' Party"
                else:
                    break
                k -= 1
            if words:
                yield acr, words[::-1], toks[i + 1].span

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        first: dict[str, tuple[str, Span]] = {}
        for acr, words, acr_span in self._definitions(doc):
            letters = _letters(acr)
            texts = tuple(w.text for w in words)
            # shortest matching suffix
            match_at = None
            for s in range(len(texts) - 1, -1, -1):
                if texts[s].lower() in self.function_words and not texts[s][:1].isupper():
                    continue
                if spells(texts[s:], letters, self.function_words):
                    match_at = s
                    break
            if match_at is not None:
                exp_span = Span(words[match_at].start, words[-1].end)
                expansion = text[exp_span.start : exp_span.end]
                key = _norm(expansion)
                if acr in first and _norm(first[acr][0]) != key and "redefined" in self.spec.report:
                    prev_text, prev_span = first[acr]
                    yield ctx.finding(
                        exp_span,
                        self.spec.message_redefined.format(match=expansion, acronym=acr, first=prev_text),
                        related=(Related(prev_span, f"first defined as {prev_text!r}"),),
                    )
                first.setdefault(acr, (expansion, exp_span))
                continue
            if "scrambled" not in self.spec.report:
                continue
            found = self._scrambled(words, letters)
            if found is None:
                continue
            start, suggestion, severity = found
            span = Span(words[start].start, words[-1].end)
            template = self.spec.message_scrambled if suggestion else self.spec.message_permuted
            yield ctx.finding(
                span,
                template.format(match=text[span.start : span.end], acronym=acr, suggestion=suggestion),
                suggestions=(suggestion,) if suggestion else (),
                severity=severity,
                data={"acronym": acr},
            )

    def _scrambled(self, words: list, letters: str) -> tuple[int, str, Severity | None] | None:
        k = len(letters)
        if len(words) < k or k < 2:
            return None
        tail = words[-k:]
        if any(w.text.lower() in self.function_words for w in tail) or not all(w.text[:1].isupper() for w in tail):
            return None
        initials = "".join(w.text[0].lower() for w in tail)
        if sorted(initials) != sorted(letters) or initials == letters:
            return None
        start = len(words) - k
        names = [w.text for w in tail]
        rotated = [names[-1], *names[:-1]]
        if "".join(n[0].lower() for n in rotated) == letters:
            return start, f"{names[-1]} of {' '.join(names[:-1])}", None
        return start, "", Severity.INFO


def _norm(s: str) -> str:
    s = re.sub(r"[-‐‑]", " ", s.lower())
    s = re.sub(r"\b(?:the)\b", " ", s)
    return " ".join(s.split())
