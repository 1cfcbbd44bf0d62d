"""Scrape-residue kinds that need page layout, not just phrases.

``headline_suffix``: the site name a page title carries after the headline
("Libyan GNA forces advance ... | New", a truncated "| News | Al Jazeera").

``related_headline``: the headline of a linked article that a scraper kept
between two paragraphs ("Russia recruits Syrians to fight in Libya in May:
Reuters"), told apart from the article's own section headings ("Moscow
meeting", "“Significant gains”") by headline grammar: a related headline is
a clause (it has a verb) or ends with a source credit; a section heading is
a short noun phrase or a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .. import inflection
from ..findings import Applicability, Edit, Finding, Fix
from ..rule import Fixability, RuleContext
from ..schema import doc
from ..spans import Span
from .base import KindRule

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["HeadlineSuffixRule", "RelatedHeadlineRule"]

_TERMINAL = ".!?:;,\"”'’)…"


def _headline(doc: "Document", max_words: int) -> Span | None:
    """The first paragraph when it looks like a headline (short, one line).

    A final full stop is allowed (machine translation adds one to titles:
    MT054 reports it); a full stop inside makes it prose.
    """
    if not doc.paragraphs:
        return None
    p = doc.paragraphs[0]
    t = doc.text[p.start : p.end].rstrip()
    if "\n" in t or len(t.split()) > max_words or t[-1:] in "!?" or re.search(r"[.!?]\s+[A-Z]", t):
        return None
    return p


@dataclass(frozen=True)
class HeadlineSuffixSpec:
    sites: tuple[str, ...] = doc("site names that follow a headline after ' - ' or ' | ' (BBC News, Al Jazeera)", ())
    max_words: int = doc("longest first paragraph still taken as a headline", 30)
    outlet_words: tuple[str, ...] = doc(
        "last words of a news outlet's name (News, Network, Agency): ' - China News Network' is a site name "
        "even when it is not listed; such a suffix gets an unsafe fix", ())


class HeadlineSuffixRule(KindRule):
    """A site name (often cut short) after the headline: "... | New"."""

    Spec = HeadlineSuffixSpec
    needs = frozenset({"paragraphs"})
    fixable = Fixability.ALWAYS

    def prepare(self, base_dir: Path) -> None:
        sites = "|".join(re.escape(s) for s in sorted(self.spec.sites, key=len, reverse=True)) or r"(?!x)x"
        # " | anything short" is always page-title residue; " - Site" only for known sites, or
        # glued to the last word when it is a web address ("process-Chinanews.com").
        # A segment is a bar, white space, then up to 40 characters that start
        # with a non-space (the language of "\|\s*[^|]{0,40}", without the
        # ambiguity between the white space and the text that made a failing
        # title backtrack exponentially in its bars); a match starts only where
        # white space starts (else a long run of spaces is retried from each one).
        seg = r"\|\s*(?:[^|\s][^|]{0,39})?"
        # a domain label is at most 63 characters (RFC 1035): unbounded, "a-a-a-…" was tried
        # from every hyphen to the end of the paragraph (64,000 characters: 37 s)
        domain = r"[A-Za-z][\w-]{0,62}\.(?:com|net|org|cn|tw|hk|jp|kr|vn|co\.\w\w)"
        self.regex = re.compile(
            rf"(?:(?<!\s)\s+(?:{seg}(?:{seg})*|[-–—]\s*(?:{sites}))|(?<=[a-z])[-–—](?:{sites}|{domain}))\s*$"
        )
        words = "|".join(re.escape(w) for w in self.spec.outlet_words) or r"(?!x)x"
        # an unlisted outlet: up to four capitalised words ending in an outlet word
        self.generic = re.compile(rf"(?<!\s)\s+[-–—]\s*(?:[A-Z][\w'’.]*\s+){{0,3}}(?:{words})\s*$")
        self.sites = self.spec.sites

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        p = _headline(doc, self.spec.max_words)
        if p is None:
            return
        end = p.end - 1 if doc.text[p.end - 1] == "." else p.end  # the suffix ends before MT054's full stop
        m = self.regex.search(doc.text, p.start, end)
        safety = Applicability.SAFE
        if not m:
            m = self.generic.search(doc.text, p.start, end)
            safety = Applicability.UNSAFE  # a name we do not know: a person decides
        if not m:
            return
        suffix = m.group().strip()
        name = suffix.lstrip("|-–— ").split("|")[-1].strip()
        cut = next((s for s in self.sites if s != name and s.startswith(name) and name), None)
        why = f" (cut short: probably {cut!r})" if cut else ""
        yield ctx.finding(
            Span(m.start(), m.end()),
            f"The headline ends with the web page's site name {suffix!r}{why}: delete it.",
            fix=Fix("Delete the site name", (Edit(Span(m.start(), m.end()), ""),), safety),
        )


@dataclass(frozen=True)
class RelatedHeadlineSpec:
    verbs: tuple[str, ...] = doc("base forms of verbs that make a line a clause (headline grammar); inflections are derived")
    irregular: tuple[str, ...] = doc("irregular verb forms that also count (took, says, is, has)", ())
    sources: tuple[str, ...] = doc("credits that end a related headline after ':' or ' - ' (Reuters, AFP, report)", ())
    min_words: int = doc("shorter lines are section headings", 4)
    max_words: int = doc("longer lines are prose (a sentence missing its full stop)", 18)


class RelatedHeadlineRule(KindRule):
    """A related-article headline embedded between paragraphs."""

    Spec = RelatedHeadlineSpec
    needs = frozenset({"paragraphs", "tokens"})

    def prepare(self, base_dir: Path) -> None:
        forms: set[str] = set(w.lower() for w in self.spec.irregular)
        for v in self.spec.verbs:
            forms |= inflection.all_forms(v.lower(), "verb")
        self.verb_forms = frozenset(forms)
        src = "|".join(re.escape(s) for s in sorted(self.spec.sources, key=len, reverse=True)) or r"(?!x)x"
        self.source_re = re.compile(rf"(?::|\s[-–—])\s*(?:{src})$", re.IGNORECASE)

    def check(self, doc: "Document", ctx: RuleContext) -> Iterator[Finding]:
        text = doc.text
        paras = doc.paragraphs
        declared = set(doc.headings)  # a heading the author marked up is a heading, not residue
        items = set(doc.items)  # so is a list item or table cell (issue 12): an entry, not a stray line
        for k in range(1, len(paras)):
            p = paras[k]
            if p in declared or p in items:
                continue
            t = text[p.start : p.end]
            if t[-1] in _TERMINAL or not t[0].isupper() or "\n" in t:
                continue
            prev = text[paras[k - 1].start : paras[k - 1].end]
            if prev[-1:] not in _TERMINAL:
                continue  # a run of short lines: a list or a table, not prose
            words = [w for w in doc.tokens_in(p) if w.kind != "punct"]
            if not (self.spec.min_words <= len(words) <= self.spec.max_words):
                continue
            first = words[0].text.lower()
            if first in self.verb_forms or first == "please":
                continue  # an imperative ("Please enter your name here") is a form prompt, not a headline
            credit = self.source_re.search(t)
            verb = next((w for w in words[1:] if w.text.islower() and w.text in self.verb_forms), None)
            if not credit and verb is None:
                continue
            why = f"it ends with a source credit ({credit.group().strip(' :-–—')!r})" if credit else f"it is a clause ({verb.text!r}) without a full stop"
            yield ctx.finding(
                Span(p.start, p.end),
                f"This line looks like the headline of a linked article, not part of the story ({why}): delete it.",
            )
