"""What start-up leaves for first use must give the same answers when it is used."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from checker.kinds import untranslated


def _plain_runs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(untranslated.SCRIPT_RUN, text)]


def _fast_runs(text: str) -> list[tuple[int, int]]:
    if not text or max(text) < untranslated._SCRIPTS_FROM:
        return []
    return [m.span() for m in untranslated._script_run().finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ,。\u03ff\u0400\u04ff\u0500\u0590习近平（）\uac00\ud7af\ufaff·\n")))
def test_script_runs_only_where_a_script_character_is(text: str):
    """The rule skips a text whose highest character is below U+0400 (no script run
    can start there) and compiles the 40,000-code-point class on first need."""
    assert _fast_runs(text) == _plain_runs(text)


def test_the_script_floor_is_the_lowest_listed_character():
    first_class = untranslated.SCRIPT_RUN[1 : untranslated.SCRIPT_RUN.index("]")]
    ranges = re.findall(r"(.)-(.)", first_class)
    assert ranges and min(lo for lo, _ in ranges) == untranslated._SCRIPTS_FROM
