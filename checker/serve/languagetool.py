"""LanguageTool's HTTP API (``/v2/check``, ``/v2/languages``) on mtlint's findings.

What clients (browser add-ons, CMS plugins, LibreOffice, ltex-ls,
``language-tool-python``) send and expect, without any web framework:

* input: ``text``, or ``data``, LanguageTool's annotated text
  (``{"annotation": [{"text": ...}, {"markup": ..., "interpretAs": ...}]}``):
  text parts are checked, markup is skipped (``interpretAs`` stands in for it
  in the checked text) and offsets point into the whole document, text and
  markup together;
* output: ``matches`` whose ``offset``/``length`` count **UTF-16 code units**,
  because LanguageTool is Java and its strings are UTF-16: a character outside
  the Basic Multilingual Plane (most emoji) counts 2, a combining mark 1 (it
  is a code point of its own).  ``language-tool-python`` subtracts one for
  every such character before an offset to get Python indices; a JavaScript
  client indexes its own (UTF-16) strings directly.
* mtlint's rule codes are the rule ids (``MT001``, ``GR001``...), its
  categories the category ids (``CALQUE``...), and each category maps to the
  closest ITS 2.0 issue type that LanguageTool uses for ``issueType``.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..findings import Finding
from ..version import __version__

__all__ = [
    "LANGUAGES",
    "AnnotatedText",
    "BadRequest",
    "Utf16",
    "parse_annotated",
    "language_for",
    "replacements",
    "to_match",
    "response",
]

#: the variants LanguageTool names for English; mtlint checks them all the same way
LANGUAGES: tuple[dict[str, str], ...] = (
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
)

#: mtlint category -> ITS 2.0 localization-quality issue type (LanguageTool's ``issueType``)
ISSUE_TYPES: dict[str, str] = {
    "name-variant": "inconsistent-entities",
    "mistranslation": "mistranslation",
    "calque": "mistranslation",
    "untranslated": "untranslated",
    "reporting-verb": "style",
    "quotes": "typographical",
    "punctuation": "typographical",
    "scrape-residue": "addition",
    "grammar": "grammar",
    "spelling": "misspelling",
    "acronym": "terminology",
    "repetition": "duplication",
    "units": "numbers",
    "capitalization": "typographical",
    "readability": "style",
    "style": "style",
}

#: characters of context on each side of a match, as LanguageTool gives
CONTEXT_CHARS = 40


class BadRequest(ValueError):
    """The request cannot be checked; the message says why (a 400 answer)."""


class Utf16:
    """Python (code point) offsets of one text as UTF-16 code units."""

    def __init__(self, text: str) -> None:
        #: positions of the characters that take two UTF-16 units (surrogate pairs)
        self._astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF] if not text.isascii() else []

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


@dataclass(frozen=True)
class AnnotatedText:
    """The checked text of a request and how its offsets map back to the document.

    ``plain`` is what mtlint checks; ``document`` is what the client holds
    (text and markup together), where match offsets point.  ``pieces``:
    ``(plain_start, plain_end, doc_start, doc_end, is_text)`` in order.
    """

    plain: str
    document: str
    pieces: tuple[tuple[int, int, int, int, bool], ...] = ()

    def to_document(self, start: int, end: int) -> tuple[int, int]:
        """The document span of the plain span ``[start, end)``.

        Inside text the offsets move with the text; a span that starts or
        ends inside an ``interpretAs`` stand-in widens to the whole markup.
        """
        if not self.pieces:
            return start, end
        pieces = [p for p in self.pieces if p[1] > p[0]]  # empty stand-ins hold no offset
        if not pieces:
            return 0, 0
        starts = [p[0] for p in pieces]

        def first(offset: int) -> int:  # the piece holding the character at offset
            i = bisect.bisect_right(starts, offset) - 1
            if i < 0:
                return pieces[0][2]
            ps, pe, ds, de, is_text = pieces[i]
            if offset >= pe:
                return de
            return ds + (offset - ps) if is_text else ds

        def last(offset: int) -> int:  # the piece holding the character before offset
            i = bisect.bisect_left(starts, offset) - 1
            if i < 0:
                return pieces[0][2]
            ps, pe, ds, de, is_text = pieces[i]
            if offset >= pe:
                return de
            return ds + (offset - ps) if is_text else de

        lo = first(start)
        return lo, max(lo, last(end)) if end > start else lo


def parse_annotated(data: str) -> AnnotatedText:
    """LanguageTool's ``data`` parameter; raises ``BadRequest`` naming the problem."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"'data' is not valid JSON: {exc}") from None
    items = obj.get("annotation") if isinstance(obj, dict) else None
    if not isinstance(items, list):
        raise BadRequest("'data' must be a JSON object with an 'annotation' list, e.g. {\"annotation\": [{\"text\": \"A \"}, {\"markup\": \"<b>\"}]}")
    plain: list[str] = []
    doc: list[str] = []
    pieces = []
    p = d = 0
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRequest(f"'data' annotation {n} is not an object")
        text, markup, interpret = item.get("text"), item.get("markup"), item.get("interpretAs")
        if (text is None) == (markup is None):
            raise BadRequest(f"'data' annotation {n} needs exactly one of 'text' and 'markup'")
        if text is not None:
            if not isinstance(text, str) or interpret is not None:
                raise BadRequest(f"'data' annotation {n}: 'text' must be a string (and has no 'interpretAs')")
            pieces.append((p, p + len(text), d, d + len(text), True))
            plain.append(text)
            doc.append(text)
            p += len(text)
            d += len(text)
            continue
        if not isinstance(markup, str) or not (interpret is None or isinstance(interpret, str)):
            raise BadRequest(f"'data' annotation {n}: 'markup' and 'interpretAs' must be strings")
        stand_in = interpret or ""
        pieces.append((p, p + len(stand_in), d, d + len(markup), False))
        plain.append(stand_in)
        doc.append(markup)
        p += len(stand_in)
        d += len(markup)
    return AnnotatedText("".join(plain), "".join(doc), tuple(pieces))


def language_for(value: str | None) -> dict[str, str]:
    """The ``LANGUAGES`` entry for a request's ``language`` (``auto`` is English (US))."""
    wanted = (value or "").strip()
    if not wanted:
        raise BadRequest("missing 'language' (use en-US, en-GB, ... or auto)")
    if wanted.lower() == "auto":
        return LANGUAGES[1]
    for lang in LANGUAGES:
        if lang["longCode"].lower() == wanted.lower().replace("_", "-"):
            return lang
    if wanted.lower().split("-")[0].split("_")[0] == "en":
        return LANGUAGES[0]
    raise BadRequest(f"language {wanted!r} is not supported: mtlint checks English (see /v2/languages)")


def replacements(f: Finding) -> list[str]:
    """What may replace exactly the finding's text: its fix (when every edit
    lies inside the finding), then its suggestions."""
    out: list[str] = []
    if f.fix is not None and f.fix.edits and all(f.start <= e.span.start <= e.span.end <= f.end for e in f.fix.edits):
        text = f.text
        for e in sorted(f.fix.edits, key=lambda e: e.span.start, reverse=True):
            text = text[: e.span.start - f.start] + e.replacement + text[e.span.end - f.start :]
        if text != f.text:
            out.append(text)
    for s in f.suggestions:
        if s not in out and s != f.text:
            out.append(s)
    return out


def _category_name(category: str) -> str:
    return category.replace("-", " ").capitalize()


def to_match(f: Finding, plain: str, annotated: AnnotatedText, doc_units: Utf16, sentence: tuple[int, int] | None, meta: Any = None) -> dict[str, Any]:
    """One LanguageTool match for finding ``f`` (spans over ``plain``)."""
    start, end = annotated.to_document(f.start, f.end)
    offset = doc_units(start)
    length = doc_units(end) - offset
    lo = max(0, f.start - CONTEXT_CHARS)
    hi = min(len(plain), f.end + CONTEXT_CHARS)
    before = ("..." if lo > 0 else "") + plain[lo : f.start]
    context = before + plain[f.start : hi] + ("..." if hi < len(plain) else "")
    context = context.replace("\r", " ").replace("\n", " ")
    s_lo, s_hi = sentence if sentence is not None else (f.start, f.end)
    summary = getattr(meta, "summary", "") or f.message
    category = f.category
    return {
        "message": f.message,
        "shortMessage": _category_name(category),
        "replacements": [{"value": r} for r in replacements(f)],
        "offset": offset,
        "length": length,
        "context": {"text": context, "offset": utf16_len(before), "length": utf16_len(plain[f.start : f.end])},
        "sentence": plain[s_lo:s_hi],
        "type": {"typeName": "Other"},
        "rule": {
            "id": f.code,
            "description": summary,
            "issueType": ISSUE_TYPES.get(category, "uncategorized"),
            "category": {"id": category.upper().replace("-", "_"), "name": _category_name(category)},
            "tags": ["mtlint", str(f.severity)],
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def response(matches: Sequence[Mapping[str, Any]], language: Mapping[str, str]) -> dict[str, Any]:
    """The ``/v2/check`` answer around ``matches``."""
    code = language["longCode"] if language["longCode"] != "en" else "en-US"
    return {
        "software": {
            "name": "mtlint",
            "version": __version__,
            "buildDate": None,
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        "warnings": {"incompleteResults": False},
        "language": {
            "name": language["name"],
            "code": code,
            "detectedLanguage": {"name": language["name"], "code": code, "confidence": 1.0},
        },
        "matches": list(matches),
    }


def split_ids(value: str | None) -> list[str]:
    """``enabledRules=MT001,NM001`` -> ``["MT001", "NM001"]``."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def sort_matches(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
