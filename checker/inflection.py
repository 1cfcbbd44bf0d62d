"""English inflection from lemminflect's lexicon, without importing lemminflect.

Word lists name a verb or noun once ("realize a study", "military
society") and the rules match every inflected form.  The forms come from
``lemminflect`` (Jascob; its inflection table is built from the SPECIALIST
Lexicon of the US National Library of Medicine), which ships the table in
its wheel as ``resources/infl_lu.csv.gz`` (one line per lemma and part of
speech: ``stop,verb,stopped,,stopping,stops``) plus a small overrides file.

Importing ``lemminflect`` imports numpy (for its out-of-vocabulary model)
and parsing the table through its API costs about a second, which every
``mtlint`` run would pay at rule-load time.  Rule lists only ever ask about
known words, so this module reads the same two files once per process and
answers by bisecting it (about 10 ms); a word missing from the table goes to
lemminflect's own rules (``getAllInflectionsOOV``), imported only then.
``tests/test_inflection.py`` checks that the answers equal
``lemminflect.getAllInflections`` for every word the shipped rules inflect.

Forms are given per Penn Treebank tag, each tag with its spellings in
lemminflect's order (American first: "traveled", "travelled").  The tables
are immutable and cached once per process, the one kind of module-level
cache the house style allows.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from typing import Any, Literal

__all__ = ["VERB_TAGS", "NOUN_TAGS", "forms", "all_forms", "computed_forms", "source_key", "PRECOMPUTED"]

#: the verb forms a word list expands to, in this order
VERB_TAGS = ("VB", "VBZ", "VBD", "VBN", "VBG")
NOUN_TAGS = ("NN", "NNS")
_COLUMNS = {"verb": ("VBD", "VBN", "VBG", "VBZ"), "noun": ("NNS",)}
_TAG_POS = {"VB": "verb", "VBZ": "verb", "VBD": "verb", "VBN": "verb", "VBG": "verb", "VBP": "verb", "NN": "noun", "NNS": "noun"}

Pos = Literal["verb", "noun"]


def _resources() -> str:
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("lemminflect is not installed (pip install lemminflect)")
    return os.path.join(list(spec.submodule_search_locations)[0], "resources")


@lru_cache(maxsize=None)
def _table() -> tuple[str, dict[str, dict[str, tuple[str, ...]]]]:
    """lemminflect's table as one string (sorted by lemma), and its overrides.

    The table is kept whole and searched by bisection (``_lines``): indexing
    its 40,000 lines into a dict cost 40 ms per process, for the few hundred
    words the rule lists ask about; reading it costs 10.
    """
    folder = _resources()
    with gzip.open(os.path.join(folder, "infl_lu.csv.gz"), "rb") as fh:
        data = fh.read().decode("utf-8")
    overrides: dict[str, dict[str, tuple[str, ...]]] = {}
    with open(os.path.join(folder, "infl_overrides.csv"), encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                word, tag, out = line.split(",")
                overrides.setdefault(word, {})[tag] = (out,)
    return "\n" + data.strip("\n") + "\n", overrides


def _lines(data: str, word: str) -> list[str]:
    """The rows of ``word`` ("verb,stopped,,stopping,stops") in ``data``, a newline-framed
    table sorted by its first field (lemminflect's is: tests/test_inflection.py checks)."""
    lo, hi = 0, len(data) - 1  # newline positions: every row before lo is < word, the row after hi is >= it
    while lo < hi:
        mid = data.rfind("\n", lo, (lo + hi) // 2 + 1)  # the last row start at or before the middle (>= lo)
        if data[mid + 1 : data.find(",", mid + 1)] < word:
            lo = data.find("\n", mid + 1)
        else:
            hi = mid
    rows = []
    prefix = word + ","
    start = lo + 1
    while data.startswith(prefix, start):
        end = data.find("\n", start)
        rows.append(data[start + len(prefix) : end])
        start = end + 1
    return rows


def _row(word: str, pos: Pos) -> dict[str, tuple[str, ...]] | None:
    """{tag: spellings} of ``word`` as ``pos`` in lemminflect's table (overrides applied), or None."""
    if word == "be" and pos == "verb":  # lemminflect hard-codes the auxiliary (its table lists it as 'aux')
        return {"VBZ": ("is",), "VBD": ("was", "were"), "VBN": ("been",), "VBG": ("being",)}
    data, overrides = _table()
    row: dict[str, tuple[str, ...]] | None = None
    for line in _lines(data, word):
        cells = line.split(",")
        if cells[0] != pos:
            continue
        row = row or {}
        for tag, cell in zip(_COLUMNS[pos], cells[1:]):
            if cell:
                row[tag] = tuple(cell.split("/"))
    if row is not None:
        row.update({t: v for t, v in overrides.get(word, {}).items() if _TAG_POS.get(t) == pos})
    return row


def _oov(word: str, pos: Pos) -> dict[str, tuple[str, ...]]:
    import lemminflect  # numpy and a small model: only for words the lexicon lacks

    got = lemminflect.getAllInflectionsOOV(word, "VERB" if pos == "verb" else "NOUN")
    return {tag: tuple(v) for tag, v in got.items()}


def _caps(form: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return form.upper()
    if like[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


#: the forms of every word the built-in rule lists inflect, precomputed by
#: ``scripts/snapshot_rules.py`` (in ``rules/data``), so a run that loads only
#: the built-in packs never decompresses lemminflect's table (about 20 ms)
PRECOMPUTED = "inflections.json"


def source_key() -> str:
    """SHA-256 over what decides every answer: lemminflect's table and overrides
    (their bytes: hashing the compressed table costs under a millisecond) and
    this module's code.  Precomputed forms are used only under the same key."""
    h = hashlib.sha256()
    folder = _resources()
    for name in ("infl_lu.csv.gz", "infl_overrides.csv"):
        with open(os.path.join(folder, name), "rb") as fh:
            h.update(fh.read())
    with open(__file__, "rb") as fh:
        h.update(fh.read())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _precomputed() -> dict[str, Any]:
    """``"pos:word" -> [[tag, [spellings]], ...]`` when the shipped file was made under
    this ``source_key``; otherwise (stale, absent, damaged) empty."""
    from .resources import rules_root

    try:
        data = json.loads((rules_root() / "data" / PRECOMPUTED).read_bytes())
        if not isinstance(data, dict) or data.get("key") != source_key() or not isinstance(data.get("forms"), dict):
            return {}
        return data["forms"]
    except (OSError, ValueError, ImportError):
        return {}


def _from_precomputed(word: str, pos: Pos) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    got = _precomputed().get(f"{pos}:{word}")
    if not isinstance(got, list):
        return None
    try:
        out = tuple((tag, tuple(spellings)) for tag, spellings in got)
    except (TypeError, ValueError):
        return None
    tags = VERB_TAGS if pos == "verb" else NOUN_TAGS
    if tuple(t for t, _ in out) == tags and all(s and all(isinstance(x, str) for x in s) for _, s in out):
        return out
    return None


@lru_cache(maxsize=4096)
def forms(word: str, pos: Pos) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``((tag, spellings), ...)`` of ``word`` as a verb (VB VBZ VBD VBN VBG) or noun (NN NNS).

    The past participle is the past form when the lexicon gives none
    (regular verbs); the case of ``word`` carries over to every form.  A
    verb keeps every spelling ("travelled", "traveled"); a noun only its
    usual plural, because a noun's second plural is often another sense
    ("staffs", not "staves").
    """
    known = _from_precomputed(word, pos)
    if known is not None:
        return known
    return computed_forms(word, pos)


def computed_forms(word: str, pos: Pos) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``forms`` from lemminflect's table itself (what the precomputed file holds)."""
    low = word.lower()
    row = _row(low, pos)
    if row is None:
        row = _oov(low, pos)
    tags = VERB_TAGS if pos == "verb" else NOUN_TAGS
    out = []
    for tag in tags:
        if tag in ("VB", "NN"):
            spellings: tuple[str, ...] = (low,)
        else:
            spellings = row.get(tag) or (row.get("VBD", ()) if tag == "VBN" else ()) or (low,)
            if pos == "noun":
                spellings = spellings[:1]
        out.append((tag, tuple(dict.fromkeys(_caps(s, word) for s in spellings))))
    return tuple(out)


def all_forms(word: str, pos: Pos) -> frozenset[str]:
    """Every spelling of every form of ``word`` (for membership tests)."""
    return frozenset(s for _, spellings in forms(word, pos) for s in spellings)
