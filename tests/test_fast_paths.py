"""The fast paths of the per-document check give what the plain code gave.

Some views and rules were rewritten for speed (a regex that starts with a
character instead of a look-behind, so the engine scans at C speed; a phrase
list that looks only where a listed second word follows a first word); each
must match exactly what the plain formulation matches, on any text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.document import Document
from checker.names.entities import written_lower
from checker.phrases import Entry, PhraseMatcher
from checker.text import _SENT_END, _TOKEN_RE, WordRuns, tokenize


def _spans(rx: re.Pattern[str], text: str, pos: int, endpos: int) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text, pos, endpos)]


@settings(max_examples=1000, derandomize=True)
@given(st.text(alphabet=".…!? \n”)a", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_sentence_end_regex_is_the_plain_one(text, a, b):
    plain = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*(?=\s)")
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert _spans(_SENT_END, text, a, b) == _spans(plain, text, a, b)


def _entry(phrase: str) -> Entry:
    return Entry(phrase=phrase, suggest=("x",), reason="")


@settings(max_examples=300, derandomize=True)
@given(st.lists(st.sampled_from(["the", "a", "the state", "state", "the", "of", "of the", "in", "a state of", ",", "-", "'s"]), max_size=14))
def test_phrase_matching_skips_only_places_that_cannot_match(words):
    # "the" and "a" start listed phrases but are never phrases alone: only the
    # places where a listed second word follows are looked at
    matcher = PhraseMatcher([_entry(p) for p in ("the state", "a state of", "state of the", "of the state")])
    text = " ".join(words)
    doc = Document(text)
    found = [(s.start, s.end) for s, _ in matcher.finditer(text, doc.word_runs)]
    # the case-insensitive trie regex is what literal matching must equal
    assert found == [m.span() for m in matcher.regex.finditer(text) if matcher.entry_for(m.group())]


@settings(max_examples=1000, derandomize=True)
@given(st.text(alphabet="ab_1 \n-’'.İé\u0301\u00a0", max_size=16) | st.text(max_size=12))
def test_word_runs_are_the_finditer_runs(text):
    # WordRuns takes the runs from one split (runs and gaps alternate) and their
    # offsets from the running sum of the lengths: the plain ``\w+`` finditer
    runs = WordRuns(text)
    plain = list(re.finditer(r"\w+", text))
    assert runs.words == [m.group() for m in plain]
    assert runs.starts == [m.start() for m in plain]
    assert runs.ends == [m.end() for m in plain]


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]+(?![\w'’])")


@settings(max_examples=500, derandomize=True)
@given(st.text(alphabet="ab A_1-'’é\n.", max_size=14), st.sampled_from(["a", "ab", "ba", "b", "aa", "é", "a-b", "", "A"]))
def test_written_lower_is_membership_in_the_lower_case_words(text, key):
    # the names analysis asks whether a frequent name word is also written in lower
    # case; it finds the key's occurrences instead of listing every lower-case word
    assert written_lower(text, key) == (key in set(_LOWER_WORD.findall(text)))


def _plain_tokens(text: str, offset: int) -> list[tuple]:
    # one match object per token, the kind from the group that matched
    return [(m.start() + offset, m.end() + offset, m.group(), "word" if m.lastgroup == "acronym" else m.lastgroup, i)
            for i, m in enumerate(_TOKEN_RE.finditer(text))]


_TOKEN_PIECES = st.sampled_from(
    list("aZé9_ \n.,:/-'’%\u0301²٣½") + ["U.S.", "st", "th", "nd", "3D", "5th", "1st2", "12.5", "a.m.", "日本", "\u00a0", "İ"]
)


@settings(max_examples=500, derandomize=True)
@given(st.lists(_TOKEN_PIECES, max_size=30).map("".join), st.integers(0, 3))
def test_tokens_from_split_are_the_regex_matches(text, offset):
    # tokenize takes the tokens from one split and each kind from the token's first
    # character (a digit: whether the whole token is a number); the matches of the
    # grouped regex, kind by group, are what it must give
    assert [tuple(t) for t in tokenize(text, offset)] == _plain_tokens(text, offset)


_TYPO_RULES: dict[str, object] = {}


def _typo_rule(code: str):
    # the built-in rules themselves (their regexes are built from their rule files)
    if not _TYPO_RULES:
        from checker.api import build_engine

        runner = build_engine({"select": ["TY014", "TY020", "TY031"], "grammar": {"backend": "none"}})
        _TYPO_RULES.update({p.rule.meta.code: p.rule for p in runner.rules})
    return _TYPO_RULES[code]


def _match_sig(found) -> list:
    return [(m.span(), m.groups()) for m in found]


_FRAGMENT_PIECES = st.sampled_from(list("aZ .-’'\nB1,") + [". ", "etc", "Paris", "Yes", "AFP", " The ", "x-", ". A. ", "said. He. "])
_PARTICLE_PIECES = st.sampled_from(list("aZ .-’'\n1") + [" up", " out", "took", " over", "up up", "it’s", "A", " off", "-", "offer"])


@settings(max_examples=500, derandomize=True, deadline=None)  # (the first example loads the rules)
@given(st.lists(_FRAGMENT_PIECES, max_size=25).map("".join))
def test_fragment_matches_only_before_full_stops_are_all_the_matches(text):
    # TY014 runs its regex only where the word before a ". " starts, not at every character
    rule = _typo_rule("TY014")
    assert _match_sig(rule.matches(text)) == _match_sig(rule.regex.finditer(text))


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(_PARTICLE_PIECES, max_size=25).map("".join))
def test_phrasal_verb_matches_only_before_particles_are_all_the_matches(text):
    # TY031 runs its regex only where the word before a particle starts
    rule = _typo_rule("TY031")
    assert _match_sig(rule.matches(text)) == _match_sig(rule.regex.finditer(text))


_UNIT_PIECES = st.sampled_from(
    list("5 (),.-−/$²x") + ["12", "1,000", "3.5", "km", "miles", "mile", " kg", "lb", "about ", "(about ", "°C", "°F", "metres", "feet", "٣",
     "5 km", " (3 miles)", "(-3 miles)", "-5 km", " (about 3 miles)", "10 miles (16 km)"]
)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(st.lists(_UNIT_PIECES, max_size=25).map("".join))
def test_unit_conversion_matches_only_at_numbers_are_all_the_matches(text):
    # TY020 runs its regex only where a number (or the sign before it) starts
    rule = _typo_rule("TY020")
    assert _match_sig(rule.matches(text)) == _match_sig(rule.regex.finditer(text))


@settings(max_examples=600, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(list("aZ1 .,-\n") + ["U", "S", "US", "U.S.", "U.S", "UN", "UK", "the US", ".US", "EU", "European Union", "x"]), max_size=20).map("".join))
def test_alias_regex_with_the_look_behind_after_the_first_character_is_the_plain_one(text):
    # NM002 writes each form with its look-behind after the first character, so the
    # engine can scan for the forms' first characters; the plain regex puts it first
    from checker.api import build_engine

    if "NM002" not in _TYPO_RULES:
        _TYPO_RULES["NM002"] = [p.rule for p in build_engine({"select": ["NM002"], "grammar": {"backend": "none"}}).rules][0]
    rule = _TYPO_RULES["NM002"]
    alts = "|".join(re.escape(f) for f in sorted(rule._forms, key=len, reverse=True))
    plain = re.compile(rf"(?<![\w.])(?:{alts})(?![\w])(?!\.\w)")
    assert _match_sig(rule.regex.finditer(text)) == _match_sig(plain.finditer(text))


def _small_table(pairs: set[tuple[int, int]], words: int):
    import array

    from checker.kinds.fluency import PairKeys

    return PairKeys(array.array("I", sorted((a << 16) | b for a, b in pairs)), words)


@settings(max_examples=300, derandomize=True)
@given(st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30), st.integers(0, 9), st.integers(0, 9))
def test_pair_keys_answer_as_the_set_of_keys_does(pairs, a, b):
    """MT058's pair table: a binary search in the first word's run answers as a
    set of all the keys would (first words with no pairs, the last word, a key
    beyond the vocabulary included)."""
    table = _small_table(pairs, 7)
    assert ((a << 16) | b in table) == ((a, b) in pairs)
    assert all(((x << 16) | y in table) for x, y in pairs) and len(table) == len(pairs)


def test_the_shipped_pair_table_answers_as_a_set_of_its_keys():
    import random

    from checker.kinds.fluency import load_phrase_table
    from checker.resources import rules_root

    table = load_phrase_table(str(rules_root() / "mt" / "phrase_pairs.bin.gz"))
    keys = frozenset(table.pairs.keys)
    rnd = random.Random(5)
    words = len(table.index)
    probes = [(rnd.randrange(words) << 16) | rnd.randrange(words) for _ in range(20_000)] + rnd.sample(sorted(keys), 5_000)
    assert [k in table.pairs for k in probes] == [k in keys for k in probes]
