"""The article score: how likely a text is machine-translated, spun or garbled.

``score_file(findings, words, metrics) -> float`` is a pure function of one
file's final findings, its word count and its ``metrics`` mapping (plain
data that rules put there), so the engine can recompute it after the
cross-file phase adds findings, or from cached results.  It returns 0-100:

* **0** when nothing was found (no finding, no fluency or diversity evidence);
* otherwise ``100 * P``, where ``P = 1 / (1 + exp(-(A * E + B)))`` is the
  probability that the text is machine output (translated or spun) rather
  than human copy, **under even prior odds**, calibrated on the development
  data (half A of the WMT23 zh-en MQM documents with their references, half
  of the clean news and of its thesaurus-spun copy; see
  ``benchmarks/triage_auc.py --calibration``, which also checks it on the
  held-out half).  In a newsroom where most copy is human, read 50 as "as
  likely as not on a desk that gets as much machine copy as human copy":
  sort by it, do not threshold it blindly.

The evidence ``E`` adds up, per finding category, a saturating density, and
the fluency measurement:

1. each finding counts 1.0 (``error``, ``warning``) or 0.3 (``info``);
2. per category the counts become a density per 1,000 words (texts shorter
   than 300 words count as 300);
3. a category contributes ``weight * (1 - exp(-density / 2))`` (one kind of
   problem saturates: twenty quote errors are not twenty times the evidence
   of one; several kinds add up);
4. ``metrics["fluency"]`` (rule MT058) adds ``FLUENCY_WEIGHT * ramp``, where
   ``ramp`` goes from 0 at an unattested-pair share of 0.30 (edited news:
   median 0.24, 98th percentile 0.36) to 1 at 0.40, when at least 40 pairs
   were counted: the tell of a thesaurus-spun text;
5. ``metrics["fluency"]["diversity"]`` (the moving-average type-token ratio,
   rule MT058) adds ``DIVERSITY_WEIGHT * ramp``, where ``ramp`` goes from 0 at
   0.84 to 1 at 0.74, for texts of at least 150 words: machine translation
   loses lexical richness (it repeats its commonest renderings); edited news
   has a median of 0.83, zh-en MT 0.77.  Alone it is weak evidence (a
   repetitive human report, a results table, also scores low), so it only
   moves a text up the triage order; it never makes a finding;
6. ``metrics["fluency"]["of_rate"]`` (occurrences of "of" per word, rule
   MT058) adds ``OF_WEIGHT * ramp``, where ``ramp`` goes from 0 at 2.3% (the
   edited-news median) to 1 at 4.2% (its 95th percentile), for texts of at
   least 150 words: literal translation keeps the source's genitive as "the X
   of the Y" (zh-en MT median 4.0%, its references 3.1%).  Register too (a
   legal or economic report has many), so weak evidence, never a finding.
   The ramp comes from edited news alone; the weight was chosen among 0.5,
   0.75 and 1.0 on the development data, each costing some
   spun-versus-original separation (benchmarks/triage_features.py measures
   every candidate alone; docs/evaluation.md).

Weights (``CATEGORY_WEIGHTS``) say how specific a category is to machine
output: mistranslations, calques and untranslated fragments are rarely
written by a fluent writer (1.0); reporting-verb errors (0.8); acronym
scrambles, name-spelling drift and scraped page residue (0.6); punctuation
(0.5: a full stop after a headline, MT054, is here) and repetition (0.4);
grammar, units, capitalisation and overlong sentences (0.3: translations
keep the source's sentence boundaries, so sentences of over 55 words are 14
times as frequent in zh-en MT as in edited news, but careless humans write
them too); spelling (0.2); quotation marks (0.15: unbalanced and mixed
quotes are as common in sloppy human copy, the references among them, as in
MT) and house style (0.1).

Files that could not be read have no score (``None``, set by the engine).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Iterable, Mapping

from .findings import Finding, Severity

__all__ = ["score_file", "evidence", "CATEGORY_WEIGHTS", "SEVERITY_WEIGHTS", "FLUENCY_WEIGHT", "DIVERSITY_WEIGHT", "OF_WEIGHT"]

CATEGORY_WEIGHTS: dict[str, float] = {
    "mistranslation": 1.0,
    "calque": 1.0,
    "untranslated": 1.0,
    "reporting-verb": 0.8,
    "acronym": 0.6,
    "name-variant": 0.6,
    "scrape-residue": 0.6,
    "punctuation": 0.5,
    "repetition": 0.4,
    "capitalization": 0.3,
    "units": 0.3,
    "grammar": 0.3,
    "readability": 0.3,
    "spelling": 0.2,
    "quotes": 0.15,
    "style": 0.1,
}
SEVERITY_WEIGHTS: dict[Severity, float] = {Severity.ERROR: 1.0, Severity.WARNING: 1.0, Severity.INFO: 0.3}

#: findings per 1,000 words at which a category reaches 63% of its weight
SATURATION = 2.0
MIN_WORDS = 300
#: the fluency evidence: unattested-pair share from which it counts, share at which it is full, weight
FLUENCY_FROM, FLUENCY_FULL, FLUENCY_WEIGHT, FLUENCY_MIN_PAIRS = 0.30, 0.40, 1.5, 40
#: lexical diversity (MATTR, rule MT058): value from which it counts, value at which it is full, weight, minimum words
DIVERSITY_FROM, DIVERSITY_FULL, DIVERSITY_WEIGHT, DIVERSITY_MIN_WORDS = 0.84, 0.74, 0.8, 150
#: "of" per word (rule MT058): rate from which it counts (edited-news median), rate at which it is
#: full (its 95th percentile), weight; same minimum words as diversity
OF_FROM, OF_FULL, OF_WEIGHT = 0.023, 0.042, 0.75
#: logistic calibration of the evidence, fitted on development half A (benchmarks/triage_auc.py --fit)
A, B = 1.97, -1.44


def evidence(findings: Iterable[Finding], words: int, metrics: Mapping[str, Any] | None = None) -> float:
    """The evidence ``E`` (0 = nothing found), before calibration."""
    per_cat: dict[str, float] = defaultdict(float)
    for f in findings:
        per_cat[f.category] += SEVERITY_WEIGHTS.get(f.severity, 1.0)
    scale_words = max(words, MIN_WORDS) / 1000.0
    e = 0.0
    for cat, n in sorted(per_cat.items()):
        e += CATEGORY_WEIGHTS.get(cat, 0.3) * (1.0 - math.exp(-(n / scale_words) / SATURATION))
    fluency = (metrics or {}).get("fluency")
    if isinstance(fluency, Mapping) and fluency.get("pairs", 0) >= FLUENCY_MIN_PAIRS:
        share = float(fluency.get("unattested_share", 0.0))
        ramp = min(1.0, max(0.0, (share - FLUENCY_FROM) / (FLUENCY_FULL - FLUENCY_FROM)))
        e += FLUENCY_WEIGHT * ramp
    diversity = fluency.get("diversity") if isinstance(fluency, Mapping) else None
    if isinstance(diversity, (int, float)) and diversity > 0 and isinstance(fluency.get("words"), int) and fluency["words"] >= DIVERSITY_MIN_WORDS:
        ramp = min(1.0, max(0.0, (DIVERSITY_FROM - diversity) / (DIVERSITY_FROM - DIVERSITY_FULL)))
        e += DIVERSITY_WEIGHT * ramp
    of = fluency.get("of_rate") if isinstance(fluency, Mapping) else None
    if isinstance(of, (int, float)) and isinstance(fluency.get("words"), int) and fluency["words"] >= DIVERSITY_MIN_WORDS:
        e += OF_WEIGHT * min(1.0, max(0.0, (of - OF_FROM) / (OF_FULL - OF_FROM)))
    return e


def score_file(findings: Iterable[Finding], words: int, metrics: Mapping[str, Any] | None = None) -> float:
    """0-100: the calibrated likelihood that the text is machine-translated, spun or garbled."""
    e = evidence(findings, words, metrics)
    if e <= 0.0:
        return 0.0
    return round(100.0 / (1.0 + math.exp(-(A * e + B))), 1)
