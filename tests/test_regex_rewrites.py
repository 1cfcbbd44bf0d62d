"""Rule regexes rewritten for speed match exactly what the plain form matched."""

from __future__ import annotations

import regex
from hypothesis import given, settings, strategies as st

from checker.registry import load_ruleset

#: rule code -> (the plain regex, the shipped one)
REWRITES = {
    "MT057": (r"\b(?P<w>[A-Za-z]+)(?:,?\s+(?P=w)\b){3,}", r"\b(?P<w>[A-Za-z]++)(?:,?\s+(?P=w)\b){3,}"),
}

_WORDS = st.sampled_from(["Bern", "bern", "Ber", "the", "them", "a", "ab", "abc", "é"])
_GAPS = st.sampled_from([" ", ", ", ",", "  ", "\n", ",\n", ". ", "-"])


def test_the_shipped_rules_hold_the_rewritten_regexes():
    ruleset, _ = load_ruleset((), entry_points=False)
    for code, (_, fast) in REWRITES.items():
        assert fast in [p.regex for p in ruleset.get(code).spec.patterns], code


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=12))
def test_rewritten_regexes_match_what_the_plain_ones_matched(parts):
    text = "".join(w + g for w, g in parts)
    for plain, fast in REWRITES.values():
        assert [m.span() for m in regex.finditer(fast, text)] == [m.span() for m in regex.finditer(plain, text)]
