"""Inflection comes from lemminflect's lexicon (issue 13), read without importing it.

``checker.inflection`` parses lemminflect's packaged table itself (importing
lemminflect costs numpy and about a second); these tests check that it gives
exactly lemminflect's own answers for every word the shipped rules inflect.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker import inflection
from checker.phrases import Entry, expand_inflections, load_entries_file, noun_forms, verb_forms

ROOT = Path(__file__).resolve().parent.parent


def _inflected_heads() -> set[tuple[str, str]]:
    heads: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "rules").rglob("*.tsv")):
        try:
            rows = load_entries_file(path)
        except Exception:
            continue
        for row in rows:
            how = row.get("inflect")
            if how not in ("verb", "noun"):
                continue
            for phrase in [row["phrase"], *row.get("suggest", [])]:
                words = phrase.split(" ")
                heads.add(((words[0] if how == "verb" else words[-1]).lower(), how))
    spec = yaml.safe_load((ROOT / "rules/mt/related_headline.yaml").read_text(encoding="utf-8"))
    heads.update((v.lower(), "verb") for v in spec["verbs"])
    return heads


def test_shipped_rules_inflect_some_words():
    assert len(_inflected_heads()) > 100


def test_same_forms_as_lemminflect_for_every_shipped_word():
    lemminflect = pytest.importorskip("lemminflect")
    for word, pos in sorted(_inflected_heads()):
        theirs = lemminflect.getAllInflections(word, "VERB" if pos == "verb" else "NOUN")
        if not theirs:
            theirs = lemminflect.getAllInflectionsOOV(word, "VERB" if pos == "verb" else "NOUN")
        ours = dict(inflection.forms(word, pos))
        for tag, spellings in theirs.items():
            if tag == "VBP":
                continue  # the base form
            want = spellings[:1] if pos == "noun" else spellings
            assert ours[tag] == tuple(want), (word, pos, tag)


@pytest.mark.parametrize(
    "verb, forms",
    [
        ("agree", ("agree", "agrees", "agreed", "agreed", "agreeing")),  # the old rules wrote "agreing"
        ("stop", ("stop", "stops", "stopped", "stopped", "stopping")),
        ("visit", ("visit", "visits", "visited", "visited", "visiting")),  # not "visitted"
        ("offer", ("offer", "offers", "offered", "offered", "offering")),  # not "offerred"
        ("flee", ("flee", "flees", "fled", "fled", "fleeing")),
        ("withdraw", ("withdraw", "withdraws", "withdrew", "withdrawn", "withdrawing")),
        ("realize", ("realize", "realizes", "realized", "realized", "realizing")),
        ("carry", ("carry", "carries", "carried", "carried", "carrying")),
        ("be", ("be", "is", "was", "been", "being")),
    ],
)
def test_verb_forms(verb, forms):
    assert verb_forms(verb) == forms


def test_spelling_variants_and_case():
    assert dict(inflection.forms("travel", "verb"))["VBD"] == ("traveled", "travelled")
    assert dict(inflection.forms("Stop", "verb"))["VBG"] == ("Stopping",)
    assert noun_forms("city") == ("city", "cities")
    assert noun_forms("staff") == ("staff", "staffs")  # the usual plural only, never "staves"
    assert "agreeing" in inflection.all_forms("agree", "verb")


def test_variant_spellings_each_match_and_keep_the_suggestion_aligned():
    e = Entry(phrase="travel to the abroad", suggest=("travel abroad",), inflect="verb")
    got = {x.phrase: x.suggest for x in expand_inflections(e)}
    assert got["travelled to the abroad"] == ("travelled abroad",)
    assert got["traveled to the abroad"] == ("traveled abroad",)
    assert got["travelling to the abroad"] == ("travelling abroad",)


def test_word_missing_from_the_lexicon_uses_lemminflects_rules():
    pytest.importorskip("lemminflect")
    assert dict(inflection.forms("blorf", "verb"))["VBD"] == ("blorfed",)


def test_shipped_rules_never_need_the_out_of_vocabulary_model(monkeypatch):
    # the OOV path imports numpy and a model (about a second of start-up): every word
    # the shipped lists inflect must be in lemminflect's lexicon; list a plural explicitly instead
    missing = sorted(f"{w} ({pos})" for w, pos in _inflected_heads() if inflection._row(w, pos) is None and w != "be")
    assert missing == []


def test_the_table_is_sorted_by_lemma_so_bisection_finds_every_row():
    """``_lines`` bisects lemminflect's table: it must be sorted by lemma, and a
    lookup must return exactly the rows a full scan finds (first, last, absent,
    a lemma that prefixes others, a lemma with several rows)."""
    data, _ = inflection._table()
    rows = data.strip("\n").split("\n")
    lemmas = [r.partition(",")[0] for r in rows]
    assert lemmas == sorted(lemmas)
    probes = {lemmas[0], lemmas[-1], "stop", "be", "run", "aaaaa", "zzzzz", "", "stop-gap", "Aachen"}
    for word in probes:
        scan = [r.partition(",")[2] for r in rows if r.partition(",")[0] == word]
        assert inflection._lines(data, word) == scan, word
    assert len(inflection._lines(data, "run")) >= 2  # a verb row and a noun row


def test_bisection_on_a_small_table():
    data = "\nab,noun,abs\nab c,noun,ab cs\nabc,verb,abced,,abcing,abcs\nabc,noun,abcs\nb,noun,bs\n"
    # a table sorted by lemma ("ab" < "ab c" < "abc" < "b"), not by whole line
    assert inflection._lines(data, "abc") == ["verb,abced,,abcing,abcs", "noun,abcs"]
    assert inflection._lines(data, "ab") == ["noun,abs"]
    assert inflection._lines(data, "ab c") == ["noun,ab cs"]
    assert inflection._lines(data, "b") == ["noun,bs"]
    assert inflection._lines(data, "a") == inflection._lines(data, "c") == inflection._lines(data, "abd") == []
