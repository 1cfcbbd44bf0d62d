"""Spans, line index, document views, selection, fingerprints, fixes."""

from __future__ import annotations

import pytest

from checker.document import Document
from checker.findings import Severity
from checker.fixes import apply_fixes
from checker.registry import load_ruleset
from checker.runner import RuleRunner
from checker.config import Config, from_mapping
from checker.spans import LineIndex, SourceMap, Span

from conftest import make_house_pack


def test_line_index_counts_characters_and_all_line_breaks():
    text = "héllo\r\nwörld\rthird\nfourth"
    idx = LineIndex(text)
    assert idx.line_col(0) == (1, 1)
    assert idx.line_col(text.index("w")) == (2, 1)
    assert idx.line_col(text.index("r", 8)) == (2, 3)
    assert idx.line_col(text.index("third")) == (3, 1)
    assert idx.line_col(text.index("fourth") + 2) == (4, 3)
    assert idx.line_col(len(text)) == (4, 7)
    with pytest.raises(ValueError):
        idx.line_col(len(text) + 1)


def test_source_map_maps_projection_back_to_raw():
    raw = "<p>a &amp; b</p>"
    # projected text "a & b": "a " verbatim from 3, "&" stands for "&amp;", " b" verbatim
    sm = SourceMap([(0, 3, 2, True, 2), (2, 5, 1, False, 5), (3, 10, 2, True, 2)])
    assert sm.to_raw(0) == 3
    assert sm.span_to_raw(Span(2, 3)) == Span(5, 10)
    assert sm.span_to_raw(Span(4, 5)) == Span(11, 12)
    assert raw[11:12] == "b"


def test_document_views_are_absolute_spans():
    text = "Libya’s forces advanced. “We won,” he said.\n\nSecond paragraph here."
    doc = Document(text)
    assert [text[p.start:p.end] for p in doc.paragraphs] == [
        "Libya’s forces advanced. “We won,” he said.",
        "Second paragraph here.",
    ]
    assert [text[s.start:s.end] for s in doc.sentences] == [
        "Libya’s forces advanced.",
        "“We won,” he said.",
        "Second paragraph here.",
    ]
    assert doc.tokens[0].text == "Libya’s"
    assert [text[q.start:q.end] for q in doc.quotations] == ["“We won,”"]
    assert doc.in_quotation(Span(text.index("We"), text.index("We") + 2))
    # computed once and shared
    assert doc.tokens is doc.tokens


def test_sentences_do_not_split_on_abbreviations_and_initials():
    text = "Mr. Smith met George W. Bush in the U.S. on Monday. Then he left."
    doc = Document(text)
    assert len(doc.sentences) == 2


def test_reversed_curly_quotes_still_delimit_speech():
    text = "” I talked to the leaders here, “said Malik Traina."
    doc = Document(text)
    assert text[doc.quotations[0].start:doc.quotations[0].end] == "” I talked to the leaders here, “"


@pytest.fixture(scope="module")
def ruleset():
    rs, errors = load_ruleset(entry_points=False)
    assert not errors
    return rs


def _codes(rules):
    return {r.meta.code for r in rules}


def test_selection_precedence(ruleset):
    all_mt = _codes(ruleset.select(["MT"]))
    assert {"MT001", "MT002"} <= all_mt
    assert _codes(ruleset.select(["MT002"], ["MT"])) == {"MT002"}  # code beats prefix
    assert "MT002" not in _codes(ruleset.select(["MT"], ["MT002"]))
    assert _codes(ruleset.select(["mt.calque"], ["mt"])) == {"MT002"}  # name beats pack
    assert not _codes(ruleset.select(["MT"], ["MT"]))  # same level: ignore wins
    assert _codes(ruleset.select(["calque"])) == {r.meta.code for r in ruleset if r.meta.category == "calque"}
    assert "MT001" not in _codes(ruleset.select(["ALL"], ["mistranslation"]))


def test_unknown_references_are_config_errors(ruleset):
    from checker.config import ConfigError

    cfg = from_mapping({"select": ["MT999"]}, "x.toml")
    with pytest.raises(ConfigError) as exc:
        cfg.validate_refs(ruleset)
    assert "MT999" in str(exc.value) and "x.toml" in str(exc.value) and "select" in str(exc.value)


def test_severity_override_and_options_validation(ruleset):
    engine = RuleRunner(ruleset, from_mapping({"select": ["MT001"], "severity": {"MT001": "error"}}))
    res = engine.check_text("They included Hausers and tanks.")
    assert [str(f.severity) for f in res.findings] == ["error"]


def test_findings_are_sorted_and_fingerprints_survive_edits_elsewhere(ruleset):
    engine = RuleRunner(ruleset, Config())
    base = "A military society was hit.\n\nThey had Hausers.\n"
    a = engine.check_text(base)
    b = engine.check_text("A brand new first paragraph.\n\n" + base)
    assert [f.start for f in a.findings] == sorted(f.start for f in a.findings)
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]
    c = engine.check_text(base.replace("was hit", "was destroyed"))
    assert a.findings[0].fingerprint != c.findings[0].fingerprint


def test_identical_findings_get_distinct_fingerprints(ruleset):
    engine = RuleRunner(ruleset, from_mapping({"select": ["MT001"]}))
    res = engine.check_text("They had Hausers.\n\nThey had Hausers.\n")
    assert len({f.fingerprint for f in res.findings}) == 2


def test_apply_fixes_right_to_left_and_safe_only(ruleset):
    engine = RuleRunner(ruleset, from_mapping({"select": ["MT001", "MT002"]}))
    text = "A military society with Hausers."
    res = engine.check_text(text)
    assert apply_fixes(text, res.findings) == text  # these fixes are unsafe
    assert apply_fixes(text, res.findings, unsafe=True) == "A military convoy with howitzers."


def test_a_crashing_rule_is_reported_and_other_rules_still_run(ruleset):
    class Boom:
        meta = ruleset.get("MT001").meta

        def check(self, doc, ctx):
            raise RuntimeError("kaboom")

    from checker.registry import RuleSet

    rs = RuleSet([Boom(), ruleset.get("MT002")], ruleset.packs)
    engine = RuleRunner(rs, Config())
    res = engine.check_text("A military society with Hausers.")
    assert [f.code for f in res.findings] == ["MT002"]
    assert res.errors and "MT001" in res.errors[0].message and "kaboom" in res.errors[0].message


def test_quote_policy_exclude_drops_findings_in_speech(tmp_path):
    pack = make_house_pack(tmp_path, quotes="exclude")
    rs, errors = load_ruleset([pack], entry_points=False)
    assert not errors
    engine = RuleRunner(rs, from_mapping({"select": ["HS001"]}))
    assert not engine.check_text("He said: “we utilize it.”").findings
    assert [f.text for f in engine.check_text("We utilize it.").findings] == ["utilize"]


def test_severity_parse_is_closed():
    assert Severity.parse("Warning") is Severity.WARNING
    with pytest.raises(ValueError):
        Severity.parse("fatal")


def test_unknown_config_key_lists_only_keys_a_user_may_write():
    from checker.config import ConfigError

    with pytest.raises(ConfigError) as exc:
        from_mapping({"selct": ["MT"]}, "x.toml")
    known = str(exc.value).split("known keys:", 1)[1]
    assert "select" in known and "fail-on" in known
    assert "source" not in known and "root" not in known  # filled in by mtlint, not settable


def test_tokenize_gives_the_regex_matches_themselves():
    """``tokenize`` finds each token's start from the previous token's end; it
    must give exactly the matches of the token regex, on generated text full
    of white space, underscores, apostrophes, hyphens, dots and digits."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.text import _TOKEN_RE, tokenize

    def reference(text: str, offset: int) -> list[tuple]:
        return [(m.start() + offset, m.end() + offset, m.group(), "word" if m.lastgroup == "acronym" else m.lastgroup, i)
                for i, m in enumerate(_TOKEN_RE.finditer(text))]

    alphabet = st.sampled_from(list("aZé9_ \t\n.,-'’%$«»—Ł1") + ["U.S.", "st", "a.m.", "__", "\u00a0", "\u2028", "日本"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join), st.integers(0, 5))
    def same(text, offset):
        assert [tuple(t) for t in tokenize(text, offset)] == reference(text, offset)

    same()
