"""Which document-level measurements separate machine translation from human translation?  (issue 13)

Each candidate is measured alone, per document, with no fitting: the ROC AUC
of the MT outputs against the reference translations of the same documents
(per half ``A``/``B`` of ``benchmarks/mqm_data.py``, and all), against clean
news, and per MT system (that system's 18 outputs against the 18
references), so that one system's quirk does not pass for a general tell.
AUC is printed in the direction "higher value = machine"; a feature whose
expected direction is "lower = machine" is negated before (its name starts
with ``-``).  Candidates come from the translationese and MT-detection
literature, not from these documents:

* lexical richness: MATTR (Covington & McFall 2010; Vanmassenhove et al.
  2019, "Lost in translation: loss and decay of linguistic richness in MT"),
  hapax share, share of words outside the N most frequent (lexical
  simplification, Baker 1993; Laviosa 1998), mean word frequency;
* lexical density (content words / all words; Laviosa 1998);
* sentence length: mean, standard deviation, coefficient of variation,
  burstiness (human writing varies more; the "burstiness" of GPTZero-style
  detectors);
* repetition: share of word n-grams that occur again in the same document
  (MT repeats its renderings: "normalisation", consistency);
* fluency: share of adjacent common-word pairs unattested in the bigram
  table (rule MT058), and the mean log frequency of the attested ones
  (Arase & Zhou 2013; Nguyen-Son et al. 2017: MT text is more predictable
  to an n-gram model);
* function words: pronoun and connective rates (explicitation, Blum-Kulka
  1986; Baroni & Bernardini 2006), distance of the function-word profile
  from general English (Aharoni, Koppel & Goldberg 2014).

    MTLINT_CORPUS=/work/shared/corpus python benchmarks/triage_features.py
    MTLINT_CORPUS=/work/shared/corpus python benchmarks/triage_features.py --systems   # per-system AUCs too

Needs ``pip install '.[data]'`` only for the ``bigram_logfreq`` candidate
(wordsegment's counts); the others use what mtlint installs.
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections import Counter

from _common import ROOT  # noqa: F401  (puts the checkout on sys.path)
from mqm_data import CLEAN, MQM, clean_docs, mt_docs, reference_docs
from triage_auc import auc

from checker.document import Document
from checker.kinds.fluency import lexical_diversity, load_phrase_table
from checker.wordfreq_data import zipf

FUNCTION = frozenset(
    """a an the of in on at by for from to with about into over after before under between through during
    without within against among and or but nor so yet if because while although though since unless whether
    is are was were be been being am has have had do does did will would can could may might must shall should
    not no this that these those it its he she they we you i me him her them us his hers their theirs our ours
    your yours my mine as than then there here which who whom whose what when where why how all any each every
    some such other another more most many much few also only very just both either neither one""".split()
)
PRONOUNS = frozenset("i me my we us our he him his she her they them their it its you your".split())
PERSONAL = frozenset("he him his she her they them their".split())
CONNECTIVES = (
    "however", "moreover", "furthermore", "therefore", "thus", "meanwhile", "in addition", "at the same time",
    "in fact", "on the other hand", "as a result", "in other words", "besides", "nevertheless", "hence",
    "consequently", "additionally", "for example", "for instance", "in particular", "specifically",
)


def _words(doc: Document) -> list[str]:
    return [t.text.lower() for t in doc.tokens if t.text[:1].isalpha()]


def _sent_lengths(doc: Document) -> list[int]:
    out = []
    for s in doc.sentences:
        n = sum(1 for t in doc.tokens_in(s) if t.kind in ("word", "number"))
        if n:
            out.append(n)
    return out


def _rep_ngrams(words: list[str], n: int) -> float:
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    c = Counter(grams)
    return sum(v for v in c.values() if v > 1) / len(grams)


def _rep_content_bigrams(words: list[str]) -> float:
    grams = [(a, b) for a, b in zip(words, words[1:]) if a not in FUNCTION and b not in FUNCTION]
    if not grams:
        return 0.0
    c = Counter(grams)
    return sum(v for v in c.values() if v > 1) / len(grams)


_BIGRAMS: dict[str, float] | None = None


def _bigram_logfreq(words: list[str]) -> float:
    global _BIGRAMS
    if _BIGRAMS is None:
        try:
            import wordsegment

            wordsegment.load()
            _BIGRAMS = wordsegment.BIGRAMS
        except ImportError:
            _BIGRAMS = {}
    if not _BIGRAMS:
        return 0.0
    vals = [math.log10(_BIGRAMS.get(f"{a} {b}", 1.0)) for a, b in zip(words, words[1:])]
    return statistics.fmean(vals) if vals else 0.0


def _bigram_pmi(words: list[str]) -> float:
    """Mean log10 of count(a b) / (f(a) f(b)) over attested pairs of words (a collocation-strength average)."""
    if not _BIGRAMS:
        return 0.0
    vals = []
    for a, b in zip(words, words[1:]):
        c = _BIGRAMS.get(f"{a} {b}")
        if c:
            vals.append(math.log10(c) - zipf(a) - zipf(b))
    return statistics.fmean(vals) if vals else 0.0


_FW_PROFILE: dict[str, float] = {}


def _fw_distance(words: list[str]) -> float:
    """Total variation distance between the text's function-word profile and general English (wordfreq)."""
    if not _FW_PROFILE:
        tot = sum(10 ** zipf(w) for w in FUNCTION)
        _FW_PROFILE.update({w: 10 ** zipf(w) / tot for w in FUNCTION})
    fw = [w for w in words if w in FUNCTION]
    if not fw:
        return 0.0
    c = Counter(fw)
    return 0.5 * sum(abs(c.get(w, 0) / len(fw) - p) for w, p in _FW_PROFILE.items())


def features(text: str, table) -> dict[str, float]:
    doc = Document(text)
    words = _words(doc)
    n = max(len(words), 1)
    lens = _sent_lengths(doc) or [0]
    mean = statistics.fmean(lens)
    sd = statistics.pstdev(lens)
    z = [zipf(w) for w in words]
    low = " ".join(words)
    f: dict[str, float] = {}
    f["-mattr"] = -lexical_diversity(doc)[1]
    counts = Counter(words)
    f["-hapax_share"] = -sum(1 for v in counts.values() if v == 1) / n
    f["-lex_density"] = -sum(1 for w in words if w not in FUNCTION) / n
    f["-rare_z3"] = -sum(1 for x in z if x < 3.0) / n
    f["-rare_z4"] = -sum(1 for x in z if x < 4.0) / n
    f["-rare_z5"] = -sum(1 for x in z if x < 5.0) / n
    f["mean_zipf"] = statistics.fmean(z) if z else 0.0
    f["sent_mean"] = mean
    f["-sent_sd"] = -sd
    f["-sent_cv"] = -(sd / mean if mean else 0.0)
    f["-burstiness"] = -((sd - mean) / (sd + mean) if sd + mean else 0.0)
    f["rep_2gram"] = _rep_ngrams(words, 2)
    f["rep_3gram"] = _rep_ngrams(words, 3)
    f["rep_4gram"] = _rep_ngrams(words, 4)
    f["rep_content_2gram"] = _rep_content_bigrams(words)
    # unattested pairs, as MT058 counts them
    fw58 = FUNCTION
    counted = bad = 0
    prev = None
    prev_w = ""
    for t in doc.tokens:
        i = table.index.get(t.text)
        if i is None:
            prev = None
            continue
        if prev is not None and not (prev_w in fw58 and t.text in fw58):
            counted += 1
            bad += not table.attested(prev, i)
        prev, prev_w = i, t.text
    f["unattested_share"] = bad / counted if counted else 0.0
    f["bigram_logfreq"] = _bigram_logfreq(words)
    f["bigram_pmi"] = _bigram_pmi(words)
    # every adjacent pair of lower-case words (function words too, rare words too): share attested in the table
    pairs_all = att_all = 0
    prev_t = None
    for t in doc.tokens:
        if t.kind != "word" or not t.text.islower():
            prev_t = None
            continue
        if prev_t is not None:
            pairs_all += 1
            a, b = table.index.get(prev_t), table.index.get(t.text)
            att_all += a is not None and b is not None and table.attested(a, b)
        prev_t = t.text
    f["attested_all"] = att_all / pairs_all if pairs_all else 0.0
    f["-pronoun_rate"] = -sum(1 for w in words if w in PRONOUNS) / n
    f["-personal_pron_rate"] = -sum(1 for w in words if w in PERSONAL) / n
    f["connective_rate"] = sum(low.count(c) for c in CONNECTIVES) / n
    f["the_rate"] = counts["the"] / n
    f["of_rate"] = counts["of"] / n
    f["fw_distance"] = _fw_distance(words)
    f["mean_word_len"] = statistics.fmean(len(w) for w in words) if words else 0.0
    f["-contractions"] = -sum(1 for w in words if "'" in w or "’" in w) / n
    return f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--systems", action="store_true", help="AUC per MT system (18 outputs against the 18 references)")
    ap.add_argument("--only", default=None, help="comma-separated feature names")
    args = ap.parse_args()
    import os

    table = load_phrase_table(str(ROOT / "rules" / "mt" / "phrase_pairs.bin.gz"))
    table.warm()
    docs = list(mt_docs(MQM))
    mt = [(d.half, d.system, features(d.text, table)) for d in docs]
    mt_ids = [d.doc_id for d in docs]
    refs = [(h, doc_id, features(t, table)) for doc_id, h, t in reference_docs(MQM)]
    clean = [(r["half"], features(r["text"], table)) for r in clean_docs(CLEAN)]
    names = list(mt[0][2])
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    systems = sorted({s for _, s, _ in mt})
    head = f"{'feature':<20} {'A':>6} {'B':>6} {'all':>6} {'-cn':>6} {'clean':>6} {'cleanB':>6} {'paired':>6}"
    if args.systems:
        head += "  systems>0.5  min  max"
    print(head)
    print("(A, B, all: MT vs references; -cn: MT vs the 12 non-chinanews references; clean: MT vs clean news;\n paired: share of MT outputs above their own document's reference)")
    for name in names:
        row = []
        for half in ("A", "B", None):
            m = [f[name] for h, _, f in mt if half in (None, h)]
            r = [f[name] for h, _, f in refs if half in (None, h)]
            row.append(auc(m, r))
        m_all = [f[name] for _, _, f in mt]
        row.append(auc(m_all, [f[name] for _, i, f in refs if not i.startswith("news_chinanews")]))
        row.append(auc(m_all, [f[name] for _, f in clean]))
        row.append(auc([f[name] for h, _, f in mt if h == "B"], [f[name] for h, f in clean if h == "B"]))
        ref_of = {i: f[name] for _, i, f in refs}
        wins = [1.0 if f[name] > ref_of[d] else 0.5 if f[name] == ref_of[d] else 0.0 for (_, _, f), d in zip(mt, mt_ids)]
        row.append(statistics.fmean(wins))
        line = f"{name:<20} " + " ".join(f"{x:6.3f}" for x in row)
        if args.systems:
            per = [auc([f[name] for _, s, f in mt if s == sys_], [f[name] for _, _, f in refs]) for sys_ in systems]
            line += f"  {sum(1 for p in per if p > 0.5):2d}/{len(per)}      {min(per):.2f} {max(per):.2f}"
        print(line)
    if os.environ.get("MTLINT_FEATURE_DUMP"):
        import json

        with open(os.environ["MTLINT_FEATURE_DUMP"], "w") as fh:
            json.dump({"mt": mt, "refs": refs, "clean": clean}, fh)


if __name__ == "__main__":
    main()
