"""LanguageTool's wire format (checker/serve/languagetool.py): no web framework needed."""

from __future__ import annotations

import json

import pytest

from checker.findings import Applicability, Edit, Finding, Fix, Severity
from checker.serve import languagetool as lt
from checker.spans import Span


def test_utf16_offsets_count_surrogate_pairs_not_combining_marks():
    text = "e\u0301😀a👍🏽b"
    units = lt.Utf16(text)
    expected = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    assert [units(i) for i in range(len(text) + 1)] == expected == [0, 1, 2, 4, 5, 7, 9, 10]
    assert lt.utf16_len(text) == expected[-1]
    assert lt.Utf16("plain ascii")(5) == 5


def test_annotated_text_maps_plain_spans_into_the_document():
    data = {"annotation": [{"markup": "<p>"}, {"text": "A "}, {"markup": "<b>"}, {"text": "test"}, {"markup": "</b>"},
                           {"markup": "<br/>", "interpretAs": "\n"}, {"text": "Next"}, {"markup": "</p>"}]}
    a = lt.parse_annotated(json.dumps(data))
    assert a.plain == "A test\nNext"
    assert a.document == "<p>A <b>test</b><br/>Next</p>"

    def doc(sub: str) -> str:
        start = a.plain.index(sub)
        s, e = a.to_document(start, start + len(sub))
        return a.document[s:e]

    assert doc("test") == "test"
    assert doc("A") == "A"
    assert doc("Next") == "Next"
    assert doc("A test") == "A <b>test"  # markup inside a span stays inside it
    assert doc("t\nN") == "t</b><br/>N"  # a span over a stand-in covers its markup
    assert a.to_document(2, 2) == (a.document.index("test"),) * 2


@pytest.mark.parametrize("data", ["{", "[]", '{"annotation": {}}', '{"annotation": [1]}', '{"annotation": [{}]}',
                                  '{"annotation": [{"text": "a", "markup": "b"}]}', '{"annotation": [{"markup": 1}]}',
                                  '{"annotation": [{"text": "a", "interpretAs": "b"}]}'])
def test_malformed_annotated_text_is_a_bad_request(data):
    with pytest.raises(lt.BadRequest):
        lt.parse_annotated(data)


def test_languages():
    assert lt.language_for("en-US")["longCode"] == "en-US"
    assert lt.language_for("en_gb")["longCode"] == "en-GB"
    assert lt.language_for("auto")["longCode"] == "en-US"
    assert lt.language_for("en-IE")["longCode"] == "en"
    for bad in ("", None, "de-DE", "fr"):
        with pytest.raises(lt.BadRequest):
            lt.language_for(bad)


def _finding(text: str, start: int, end: int, fix: Fix | None = None, suggestions: tuple[str, ...] = ()) -> Finding:
    return Finding("TY001", "typography.quotes", "quotes", Severity.WARNING, "m", Span(start, end), text=text[start:end], fix=fix, suggestions=suggestions)


def test_replacements_put_the_fix_first_then_the_suggestions():
    text = "say ” hello"
    inner = Fix("swap", (Edit(Span(4, 5), "“"),), Applicability.SAFE)
    f = _finding(text, 3, 6, inner, ("x", " “ "))
    assert lt.replacements(f) == [" “ ", "x"]
    outside = Fix("far", (Edit(Span(0, 1), "S"),), Applicability.SAFE)
    assert lt.replacements(_finding(text, 3, 6, outside, ("y",))) == ["y"]


def test_a_match_has_what_clients_read():
    text = "😀 He said ” hello."
    start = text.index("”")
    f = _finding(text, start, start + 1, suggestions=("“",))
    m = lt.to_match(f, text, lt.AnnotatedText(text, text), lt.Utf16(text), (0, len(text)))
    assert (m["offset"], m["length"]) == (start + 1, 1)
    assert m["replacements"] == [{"value": "“"}]
    assert m["rule"]["id"] == "TY001" and m["rule"]["category"]["id"] == "QUOTES" and m["rule"]["issueType"] == "typographical"
    ctx = m["context"]
    assert ctx["text"].encode("utf-16-le")[2 * ctx["offset"] : 2 * (ctx["offset"] + ctx["length"])].decode("utf-16-le") == "”"
    assert m["sentence"] == text
