"""The ``Document.quote_marks`` view: the role of each double quotation mark.

Typography rules TY001-TY004 trust these roles, so the cases that decide
them are pinned here: alternation, reversed glyphs, news-style
continuations (across paragraphs and run together), nested double quotes,
quotations split over lines, lone closing marks and inch signs.
"""

from __future__ import annotations

from checker.document import Document


def roles(text: str) -> list[tuple[str, str, bool, bool]]:
    """(char, role, paired, continued) for every mark."""
    return [(q.char, q.role, q.partner >= 0, q.continued) for q in Document(text).quote_marks]


def test_alternation_gives_reversed_marks_their_role() -> None:
    marks = Document("” I talked to them, “said Traina.").quote_marks
    assert [(q.role, q.reversed) for q in marks] == [("open", True), ("close", True)]
    assert marks[0].partner == marks[1].pos and marks[1].partner == marks[0].pos


def test_correct_curly_pair_is_not_reversed() -> None:
    assert [q.reversed for q in Document("He urged them to “continue” to Sirte.").quote_marks] == [False, False]


def test_news_style_continuation_across_paragraphs() -> None:
    assert roles('"First part.\n\n"Second part," he said.') == [
        ('"', "open", False, True),
        ('"', "open", True, False),
        ('"', "close", True, False),
    ]


def test_continuation_run_together_in_one_paragraph() -> None:
    got = roles('He said: "I think so. "These lessons help." The end.')
    assert got == [('"', "open", False, True), ('"', "open", True, False), ('"', "close", True, False)]


def test_continuation_after_a_nested_single_quote() -> None:
    got = roles("He said: \"It was 'ridiculous.' \"But then it changed.\"")
    assert [r[1] for r in got] == ["open", "open", "close"]


def test_nested_double_quotes() -> None:
    got = roles('"The bank did not "fabricate" evidence or "hide" facts," it said.')
    assert [r[1] for r in got] == ["open", "open", "close", "open", "close", "close"]
    assert all(r[2] for r in got)


def test_quotation_split_over_lines_closes_on_a_later_line() -> None:
    got = roles('"We can\'t get any money back.\nI am very disappointed."')
    assert got == [('"', "open", True, False), ('"', "close", True, False)]


def test_lone_closing_mark_closes_an_earlier_quotation() -> None:
    got = roles("He said that “it is over.\n\nThen he left.\n\n”")
    assert got == [("“", "open", True, False), ("”", "close", True, False)]


def test_unclosed_and_stray_marks_pair_with_nothing() -> None:
    assert roles('He said "it is over.\n\nThen he left.') == [('"', "open", False, False)]
    assert roles('It came out of the blue," he said.') == [('"', "close", False, False)]


def test_inch_signs_are_not_quotation_marks() -> None:
    assert roles('A 6.1" screen and a 5\'11" man.') == []


def test_a_quotation_may_end_with_a_number() -> None:
    assert roles('They called it "Vision 2030" on Monday.') == [('"', "open", True, False), ('"', "close", True, False)]
