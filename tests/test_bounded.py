"""Bounded work: every rule and document view is linear (or close) in the document.

No timing assertions (the machine is shared): each adversarial document
(``tests/adversarial_docs.py``) is checked in-process at a size where any of
the superlinear paths found so far took minutes or never finished (a run of
dots backtracked exponentially in the sentence splitter; a headline of bars
exponentially in MT052; a 100,000-letter word took 70 s in GR002), and the
results are asserted.  The 5 MB single word with every default rule and
Harper is measured by hand (docs/grammar.md: "Bounded work").
"""

from __future__ import annotations

import pytest

from adversarial_docs import adversarial_documents
from checker.api import build_engine
from checker.document import Document

SIZE = 64_000


@pytest.fixture(scope="module")
def engine():
    # the names pack (NM) has its own bounds work; grammar is off here (Harper below)
    return build_engine({"grammar": {"backend": "none"}, "ignore": ["NM"]})


@pytest.fixture(scope="module")
def docs():
    return adversarial_documents(SIZE)


@pytest.mark.parametrize("name", sorted(adversarial_documents(100)))
def test_adversarial_document_is_checked(engine, docs, name):
    result = engine.check_text(docs[name], path=name)
    assert not [e for e in result.errors if e.kind == "rule-crash"], result.errors
    for f in result.findings:
        assert 0 <= f.span.start <= f.span.end <= len(docs[name])


def test_huge_word_is_one_non_word_with_a_short_message(engine, docs):
    result = engine.check_text(docs["one_word"])
    found = [f for f in result.findings if f.code == "GR002"]
    assert len(found) == 1 and found[0].span.end - found[0].span.start == SIZE
    assert len(found[0].message) < 200 and f"({SIZE:,} letters)" in found[0].message
    assert found[0].suggestions == ()


def test_run_of_dots_ends_one_sentence():
    doc = Document(adversarial_documents(SIZE)["dots"])  # "a......... B"
    assert [doc.text[s.start : s.end][-3:] for s in doc.sentences] == ["...", "B"]


def test_dot_chain_is_not_one_acronym():
    doc = Document("a." * 20 + "b")
    assert max(len(t.text) for t in doc.tokens) == 1  # letters and dots, not one 40-character acronym
    assert [t.text for t in Document("The U.S. and U.N. met.").tokens][1:4] == ["U.S.", "and", "U.N."]


def test_headline_of_bars_is_not_a_site_name(engine, docs):
    result = engine.check_text(docs["headline_bars"])
    assert [f.code for f in result.findings if f.code == "MT052"] == []
    result = engine.check_text("Libyan forces advance on Sirte | Al Jazeera\n\nBody text.")
    assert [f.text for f in result.findings if f.code == "MT052"] == [" | Al Jazeera"]


def test_huge_figures_are_not_compared(engine, docs):
    for name in ("huge_number", "comma_number"):
        result = engine.check_text(docs[name])
        assert not result.errors and not [f for f in result.findings if f.code == "TY020"]


def test_non_word_suggestions_are_capped_per_document(engine, docs):
    result = engine.check_text(docs["non_words"])
    found = [f for f in result.findings if f.code == "GR002"]
    assert len(found) > 1000  # every non-word is reported ...
    from checker.kinds.spelling import MAX_SUGGESTED

    searched = {f.text for f in found[: MAX_SUGGESTED]}
    assert all(not f.suggestions for f in found if f.text not in searched)  # ... the search is bounded


def test_photo_credit_run_of_capitals(engine, docs):
    result = engine.check_text(docs["photo_credit"])
    assert not [f for f in result.findings if f.code == "MT051"]
    result = engine.check_text("Fighters advance. [Alia Chughtai/Al Jazeera] The war goes on.")
    assert [f.text for f in result.findings if f.code == "MT051"] == ["[Alia Chughtai/Al Jazeera]"]


def test_harper_on_adversarial_documents():
    """With the grammar backend: the prefilter and Harper stay linear too."""
    engine = build_engine({"select": ["GR001", "GR002"]})
    docs = adversarial_documents(16_000)
    for name in ("one_word", "repeated_words", "mixed", "dots", "reversed_quotes", "short_lines"):
        result = engine.check_text(docs[name], path=name)
        assert not result.errors, (name, result.errors)
    repeated = engine.check_text(docs["repeated_words"])
    assert any(f.data.get("rule") == "RepeatedWords" for f in repeated.findings)


def test_harper_gets_bounded_pieces():
    """Harper's time grows faster than the text it is given: a long "sentence"
    is cut at white space and calls are capped; a news paragraph is one call."""
    from checker.backends.harper import MAX_CALL, MAX_PIECE, HarperBackend

    backend = HarperBackend()
    calls = list(backend._calls("x\n" * 40_000))
    assert len(calls) > 1
    for sub, spans in calls:
        assert len(sub) <= MAX_CALL + MAX_PIECE and all(length <= MAX_PIECE for _, _, length in spans)
    paragraph = "They said it was over. " * 40 + "We wants more."
    assert len(list(backend._calls(paragraph))) == 1
    assert backend.check_texts([paragraph])[0][0].rule_id == "PronounVerbAgreement"
