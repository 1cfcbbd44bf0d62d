"""Build rules/mt/phrase_pairs.bin.gz: which pairs of common English words are attested.

Source: the English unigram and bigram counts that the ``wordsegment``
package ships (Apache-2.0; Grant Jenks), which are Peter Norvig's
``count_1w.txt`` / ``count_2w.txt`` ("Natural Language Corpus Data",
Beautiful Data, 2009), derived from the Google Web Trillion Word Corpus
(Brants & Franz 2006, distributed by the LDC).  The 286,000 bigrams are the
most frequent lower-case word pairs of about a trillion words of web text:
every pair in it was seen at least 100,000 times.  symspellpy's
``frequency_bigramdictionary_en_243_342.txt`` is a filtered copy of the same
counts (scaled by 64), and wordfreq has unigrams only (docs/evaluation.md
compares them).

The table keeps the pairs whose two words are both common (a unigram count
of at least ``--min-count``, about the 14,000 most frequent words): for
such a pair, absence from the list means a fluent writer uses it rarely.
Format: gzip of one JSON line (attribution, thresholds, the vocabulary in
frequency order) and then the sorted pair keys ``i * 65536 + j`` (indices
into the vocabulary) as little-endian unsigned 32-bit integers.  The
fluency kind (``checker/kinds/fluency.py``) loads it lazily, or in
``warm()`` before workers fork.

    pip install '.[data]'                 # wordsegment (build time only)
    python scripts/build_phrase_table.py  # writes rules/mt/phrase_pairs.bin.gz
"""

from __future__ import annotations

import argparse
import array
import gzip
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wordsegment_dir() -> Path:
    spec = importlib.util.find_spec("wordsegment")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("wordsegment is not installed: pip install '.[data]'")
    return Path(list(spec.submodule_search_locations)[0])


def read_counts(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            key, _, count = line.rstrip("\n").rpartition("\t")
            if key:
                out[key] = int(count)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-count", type=int, default=3_000_000, help="unigram count a word needs to be in the vocabulary")
    ap.add_argument("--out", type=Path, default=ROOT / "rules" / "mt" / "phrase_pairs.bin.gz")
    args = ap.parse_args()
    folder = _wordsegment_dir()
    unigrams = read_counts(folder / "unigrams.txt")
    bigrams = read_counts(folder / "bigrams.txt")
    vocab = [w for w, c in sorted(unigrams.items(), key=lambda kv: (-kv[1], kv[0])) if c >= args.min_count and w.isalpha() and w.isascii()]
    if len(vocab) >= 65536:
        sys.exit("vocabulary too large for 16-bit indices: raise --min-count")
    index = {w: i for i, w in enumerate(vocab)}
    keys = array.array("I")
    for pair in bigrams:
        a, _, b = pair.partition(" ")
        if a in index and b in index:
            keys.append(index[a] * 65536 + index[b])
    keys = array.array("I", sorted(set(keys)))
    if sys.byteorder != "little":  # pragma: no cover
        keys.byteswap()
    header = {
        "what": "attested pairs of common English words (both words in the vocabulary), from web text counts",
        "source": "wordsegment (Apache-2.0) unigrams.txt/bigrams.txt = Peter Norvig's count_1w/count_2w, "
                  "derived from the Google Web Trillion Word Corpus (Brants & Franz 2006)",
        "built_by": "scripts/build_phrase_table.py",
        "min_count": args.min_count,
        "bigram_floor": min(bigrams.values()),
        "vocab": vocab,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives byte-identical output
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n")
        fh.write(keys.tobytes())
    print(f"vocabulary {len(vocab)} words, {len(keys)} attested pairs -> {args.out} ({os.path.getsize(args.out):,} bytes)")


if __name__ == "__main__":
    main()
