"""The article score: how likely a text went through machine translation or spinning.

``score_findings(findings, words)`` returns a number from 0 to 100 that an
editor can sort a day's submissions by.  It is not a probability; it is a
monotone, saturating summary of the evidence the rules found:

1. Each finding counts 1.0 (``error`` or ``warning``) or 0.3 (``info``).
2. Per category, the counts become a density per 1,000 words (texts shorter
   than 300 words count as 300, so a two-line snippet with one finding does
   not score like a saturated article).
3. Each category contributes ``weight * (1 - exp(-density / 2))``: it
   saturates, so twenty quote errors are not twenty times the evidence of
   one, and about four findings per 1,000 words reach 86% of the weight.
4. The contributions add up to the evidence ``E`` (several kinds of artifact
   are stronger evidence than many of one kind), and
   ``score = 100 * (1 - exp(-E / 1.5))``, rounded to one decimal.

Weights (``CATEGORY_WEIGHTS``) reflect how specific a category is to MT or
spinning: mistranslations, calques and untranslated fragments are almost
never produced by a human writer in English (1.0); reporting-verb errors,
acronym scrambles and name-spelling drift are strong (0.6-0.8); quotation
marks, capitalisation and repetition are weaker (0.4-0.5); scrape residue,
punctuation, units and grammar also occur in careless human copy (0.3);
spelling and house style barely count; readability metrics not at all.

A clean article scores 0; the seed article (Libya story machine-translated
twice) scores about 80 with the mt pack alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable

from .findings import Finding, Severity

__all__ = ["score_findings", "CATEGORY_WEIGHTS", "SEVERITY_WEIGHTS"]

CATEGORY_WEIGHTS: dict[str, float] = {
    "mistranslation": 1.0,
    "calque": 1.0,
    "untranslated": 1.0,
    "reporting-verb": 0.8,
    "acronym": 0.6,
    "name-variant": 0.6,
    "quotes": 0.5,
    "capitalization": 0.4,
    "repetition": 0.4,
    "scrape-residue": 0.3,
    "punctuation": 0.3,
    "units": 0.3,
    "grammar": 0.3,
    "spelling": 0.2,
    "style": 0.1,
    "readability": 0.0,
}
SEVERITY_WEIGHTS: dict[Severity, float] = {Severity.ERROR: 1.0, Severity.WARNING: 1.0, Severity.INFO: 0.3}

#: findings per 1,000 words at which a category reaches 63% of its weight
SATURATION = 2.0
#: evidence at which the score reaches 63
SCALE = 1.5
MIN_WORDS = 300


def score_findings(findings: Iterable[Finding], words: int) -> float:
    """0-100: how strongly the findings suggest machine translation or spinning."""
    per_cat: dict[str, float] = defaultdict(float)
    for f in findings:
        per_cat[f.category] += SEVERITY_WEIGHTS.get(f.severity, 1.0)
    if not per_cat:
        return 0.0
    scale_words = max(words, MIN_WORDS) / 1000.0
    evidence = 0.0
    for cat, n in per_cat.items():
        density = n / scale_words
        evidence += CATEGORY_WEIGHTS.get(cat, 0.3) * (1.0 - math.exp(-density / SATURATION))
    return round(100.0 * (1.0 - math.exp(-evidence / SCALE)), 1)
