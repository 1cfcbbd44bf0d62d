"""The article score (checker/score.py): a pure, calibrated function of findings, words and metrics."""

from __future__ import annotations

from types import MappingProxyType

from checker.findings import Finding, Severity
from checker.score import evidence, score_file
from checker.spans import Span


def _f(category: str, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code="MT002", name="mt.calque", category=category, severity=severity, message="m", span=Span(0, 1), text="x")


def _fluency(share: float, pairs: int = 120) -> dict:
    return {"fluency": {"pairs": pairs, "unattested": round(share * pairs), "unattested_share": share}}


def test_nothing_found_scores_zero():
    assert score_file([], 1000, {}) == 0.0
    assert score_file([], 1000, _fluency(0.24)) == 0.0  # edited news has about a quarter of its pairs unattested


def test_grows_and_saturates():
    one = score_file([_f("calque")], 1000, {})
    ten = score_file([_f("calque")] * 10, 1000, {})
    fifty = score_file([_f("calque")] * 50, 1000, {})
    assert 0 < one < ten <= fifty < 100
    assert fifty - ten < 1.0  # fifty calques are not five times the evidence of ten


def test_several_kinds_of_evidence_count_more_than_one_kind():
    same = score_file([_f("calque")] * 4, 1000, {})
    mixed = score_file([_f("calque"), _f("untranslated"), _f("mistranslation"), _f("reporting-verb")], 1000, {})
    assert mixed > same


def test_info_and_weak_categories_count_less():
    assert score_file([_f("calque", Severity.INFO)], 1000, {}) < score_file([_f("calque")], 1000, {})
    assert score_file([_f("spelling")], 1000, {}) < score_file([_f("calque")], 1000, {})
    assert score_file([_f("quotes")], 1000, {}) < score_file([_f("punctuation")], 1000, {})
    assert 0 < score_file([_f("readability", Severity.INFO)], 1000, {}) < score_file([_f("calque", Severity.INFO)], 1000, {})


def test_short_texts_are_not_saturated_by_one_finding():
    assert score_file([_f("calque")], 20, {}) == score_file([_f("calque")], 300, {})


def test_fluency_evidence_from_metrics():
    base = score_file([], 1000, _fluency(0.30))
    spun = score_file([], 1000, _fluency(0.36))
    very = score_file([], 1000, _fluency(0.45))
    assert base == 0.0 < spun < very
    assert score_file([], 1000, _fluency(0.45, pairs=10)) == 0.0  # too few pairs to judge
    assert score_file([_f("calque")], 1000, _fluency(0.45)) > score_file([_f("calque")], 1000, {})


def test_pure_function_of_its_inputs():
    findings = (_f("calque"), _f("quotes"), _f("readability", Severity.INFO))
    metrics = MappingProxyType({**_fluency(0.38), "readability": {"flesch_reading_ease": 40.0}})
    first = score_file(findings, 640, metrics)
    assert all(score_file(list(findings), 640, dict(metrics)) == first for _ in range(3))
    assert score_file(findings, 640, {"fluency": "not a mapping"}) == score_file(findings, 640, {})


def test_calibration_maps_evidence_monotonically_into_0_100():
    scores = [score_file([_f("calque")] * n, 1000, {}) for n in range(1, 6)]
    assert scores == sorted(scores) and all(0 < s < 100 for s in scores)
    # one minor finding is weak evidence: on the development data most such texts are human copy
    assert 0 < score_file([_f("style", Severity.INFO)], 1000, {}) < 25
    assert evidence([_f("calque")], 1000, {}) > evidence([_f("calque", Severity.INFO)], 1000, {})


def _diverse(diversity: float, words: int = 400) -> dict:
    return {"fluency": {"pairs": 120, "unattested": 29, "unattested_share": 0.24, "words": words, "diversity": diversity}}


def test_lexical_diversity_moves_a_text_up_but_only_when_it_is_low_and_the_text_long_enough():
    assert score_file([], 1000, _diverse(0.85)) == 0.0  # edited news: median 0.83, nothing to say
    low, lower = score_file([], 1000, _diverse(0.78)), score_file([], 1000, _diverse(0.70))
    assert 0 < low < lower < 100
    assert score_file([], 1000, _diverse(0.70, words=100)) == 0.0  # too short to measure
    assert score_file([_f("calque")], 1000, _diverse(0.70)) > score_file([_f("calque")], 1000, {})
    assert score_file([], 1000, {"fluency": {"words": 400, "diversity": "x"}}) == 0.0  # not a measurement: ignored


def test_lexical_diversity_is_the_moving_average_type_token_ratio():
    from checker.api import build_engine
    from checker.kinds.fluency import lexical_diversity
    from checker.loaders import SourceFile, load_document

    def doc(text: str):
        return load_document(SourceFile(path="t.txt", text=text, format="text"), build_engine().config)

    varied = " ".join(f"w{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200))  # 200 distinct words
    assert lexical_diversity(doc(varied)) == (200, 1.0)
    assert lexical_diversity(doc("the cat sat " * 60)) == (180, 0.06)  # 3 types in every window of 50
    assert lexical_diversity(doc("too short to measure")) == (4, 0.0)


def _of(rate: float, words: int = 400) -> dict:
    return {"fluency": {"pairs": 120, "unattested": 29, "unattested_share": 0.24, "words": words, "diversity": 0.85, "of_rate": rate}}


def test_many_of_moves_a_text_up_only_past_edited_news():
    assert score_file([], 1000, _of(0.02)) == 0.0  # edited news: median 2.3%, nothing to say
    some, many = score_file([], 1000, _of(0.03)), score_file([], 1000, _of(0.045))
    assert 0 < some < many < 100
    assert score_file([], 1000, _of(0.9)) == many  # it saturates: weak evidence however many
    assert score_file([], 1000, _of(0.045, words=100)) == 0.0  # too short to measure
    assert score_file([], 1000, {"fluency": {"words": 400, "of_rate": "x"}}) == 0.0  # not a measurement: ignored
    assert score_file([_f("calque")], 1000, _of(0.045)) > score_file([_f("calque")], 1000, {})


def test_of_rate_counts_of_per_word():
    from checker.api import build_engine
    from checker.kinds.fluency import of_rate
    from checker.loaders import SourceFile, load_document

    def doc(text: str):
        return load_document(SourceFile(path="t.txt", text=text, format="text"), build_engine().config)

    # 21 words, "of" three times ("Of" counts too); numbers and punctuation are not words
    assert of_rate(doc("Of the plans she made, the first of 3 was ready. It covers the rest of the river and their old town, 2.")) == round(3 / 21, 4)
    literal = "The development of the economy of the region is the focus of the work of the government."
    assert of_rate(doc(literal)) == round(4 / 17, 4)
    assert of_rate(doc("1 2 3 ...")) == 0.0
