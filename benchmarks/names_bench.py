"""Name clustering on real and synthetic data: pair recall, false merges, speed.

    python benchmarks/names_bench.py
    python benchmarks/names_bench.py --names 100000 --misses 30 --tables 20000

1. Pair recall: the share of ``../shared/corpus/name_pairs_dev.jsonl``
   pairs (Wikidata spellings of one person's name in different languages)
   that NM001's decision joins.  The pairs are noisy (translations and
   nicknames such as william/guillaume, Latin forms such as robert/robertus),
   so 100% is neither possible nor wanted.
   A hand-labelled random sample (``benchmarks/data/name_pairs_labels.tsv``)
   splits recall into spelling variants, other-language forms and
   translations/nicknames, so the headline number can be read.
2. False merges on ``fixtures/names/lookalikes.tsv``: distinct names that
   look alike (Iran/Iraq, Niger/Nigeria, Libya/Libyan...).  Must be 0.
3. Throughput: cluster N distinct synthetic names (blocked by key, scored
   within blocks) and report names/second, including key computation (the
   one-off load of wordfreq's table is timed apart), on one core.
4. The cross-file reduce: ``checker.names.reduce`` over T synthetic
   per-file tables (the plain data ``collect`` returns), to show its cost
   grows with the number of entities, not with their pairs.  The tables
   carry their entities' block keys, as a run's do (computed where each file
   is checked), so this times the reduce alone.
Timings are taken on a shared machine; they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from _common import CORPUS, ROOT, read_jsonl


def load_lookalikes() -> list[tuple[str, str, str]]:
    rows = []
    for line in (ROOT / "fixtures" / "names" / "lookalikes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            a, b, *why = line.split("\t")
            rows.append((a, b, why[0] if why else ""))
    return rows


def load_labels() -> dict[str, str]:
    """Hand labels (pair id -> variant | form | other) for a random sample of the pairs."""
    path = ROOT / "benchmarks" / "data" / "name_pairs_labels.tsv"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            pid, label = line.split("\t")[:2]
            out[pid] = label
    return out


def names_joined(a: str, b: str) -> str | None:
    """NM001's decision for two name strings (multi-word names aligned from the end)."""
    from checker.names.keys import make_spelling, variant_reason

    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        # a bare surname joins a full name only through its last word
        wa, wb = wa[-1:], wb[-1:]
    reasons = []
    for x, y in zip(wa, wb):
        if x.lower() == y.lower():
            continue
        r = variant_reason(make_spelling(x), make_spelling(y))
        if r is None:
            return None
        reasons.append(r)
    return reasons[0] if reasons else None


def miss_reason(a: str, b: str) -> str:
    """Which guard or key kept a pair apart (for the report)."""
    from checker.names.keys import ESTABLISHED, make_spelling

    x, y = make_spelling(a), make_spelling(b)
    if min(len(x.fold), len(y.fold)) <= 3:
        return "too short"
    if x.block != y.block:
        return "different consonants (translations, nicknames, Latin forms)"
    if x.fold.startswith(y.fold) or y.fold.startswith(x.fold) or x.fine.startswith(y.fine) or y.fine.startswith(x.fine):
        return "one adds an ending (derived-form guard)"
    if x.ending != y.ending:
        return "different final vowel"
    if x.zipf >= ESTABLISHED and y.zipf >= ESTABLISHED:
        return "both established spellings"
    return "low similarity"


def synthetic_names(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    onsets = ["", "b", "d", "f", "g", "h", "k", "kh", "l", "m", "n", "p", "q", "r", "s", "sh", "t", "v", "w", "y", "z", "ch", "dj", "gh"]
    vowels = ["a", "e", "i", "o", "u", "ou", "ai", "ee", "y"]
    codas = ["", "", "n", "r", "l", "m", "s", "d", "k", "t", "f"]
    out: set[str] = set()
    while len(out) < n:
        syl = rnd.randint(2, 4)
        w = "".join(rnd.choice(onsets) + rnd.choice(vowels) + rnd.choice(codas) for _ in range(syl))
        if len(w) >= 4:
            out.add(w.capitalize())
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", default=str(CORPUS / "name_pairs_dev.jsonl"))
    ap.add_argument("--names", type=int, default=100_000, help="distinct names for the throughput run")
    ap.add_argument("--misses", type=int, default=20, help="missed pairs to print")
    ap.add_argument("--tables", type=int, default=0, help="also time the cross-file reduce over this many synthetic tables")
    args = ap.parse_args()

    from checker.names.cluster import cluster_spellings
    from checker.names.keys import english_zipf, make_spelling

    rows = list(read_jsonl(__import__("pathlib").Path(args.pairs)))
    pairs = [tuple(r["variants"][:2]) for r in rows]
    reasons: Counter[str] = Counter()
    missed = []
    for a, b in pairs:
        r = names_joined(a, b)
        if r:
            reasons[r] += 1
        else:
            missed.append((a, b))
    joined = sum(reasons.values())
    print(f"pairs: {len(pairs)}  joined: {joined} ({100 * joined / len(pairs):.1f}%)  by reason: {dict(reasons.most_common())}")
    why = Counter(miss_reason(a, b) for a, b in missed)
    other = why["different consonants (translations, nicknames, Latin forms)"]
    print(f"joined among the {len(pairs) - other} pairs that share a consonant key (leaving out translations and "
          f"nicknames such as william/guillaume, bill/william): {100 * joined / max(len(pairs) - other, 1):.1f}%")
    print("not joined, by cause: " + "; ".join(f"{k}: {v}" for k, v in why.most_common()))
    print("sample of pairs not joined:", ", ".join(f"{a}/{b}" for a, b in random.Random(1).sample(missed, min(args.misses, len(missed)))))

    labels = load_labels()
    by_label: dict[str, list[int]] = {}
    for r in rows:
        lab = labels.get(r["id"])
        if lab:
            hit = bool(names_joined(*r["variants"][:2]))
            by_label.setdefault(lab, [0, 0])[0] += hit
            by_label[lab][1] += 1
    if by_label:
        print(f"hand-labelled sample ({sum(v[1] for v in by_label.values())} pairs, benchmarks/data/name_pairs_labels.tsv), joined: "
              + "; ".join(f"{lab} {v[0]}/{v[1]} ({100 * v[0] / v[1]:.0f}%)" for lab, v in sorted(by_label.items(), key=lambda kv: -kv[1][1]))
              + "  [variant = one form spelled differently; form = another language's form (judgement); other = translations, nicknames, noise]")

    looks = load_lookalikes()
    merged = [(a, b, names_joined(a, b)) for a, b, _ in looks if names_joined(a, b)]
    print(f"look-alike pairs: {len(looks)}  false merges: {len(merged)}" + (f"  {merged}" if merged else ""))

    places = [l.strip() for l in (ROOT / "benchmarks" / "data" / "places.txt").read_text(encoding="utf-8").splitlines()
              if l.strip() and not l.startswith("#")]
    place_merges = [(a, b) for i, a in enumerate(places) for b in places[i + 1 :] if names_joined(a, b)]
    print(f"distinct places (countries, capitals, regions): {len(places)}, {len(places) * (len(places) - 1) // 2:,} pairs, "
          f"false merges: {len(place_merges)}" + (f"  {place_merges}" if place_merges else ""))

    t = time.perf_counter()
    english_zipf("warm")  # wordfreq's table, read once per process
    load = time.perf_counter() - t
    names = synthetic_names(args.names)
    rnd = random.Random(3)
    counts = {n: rnd.randint(1, 50) for n in names}
    t0, c0 = time.perf_counter(), time.process_time()
    spellings = [make_spelling(n) for n in names]
    t1 = time.perf_counter()
    attached = cluster_spellings(spellings, lambda s: (-counts[s.text], s.text))
    t2, c2 = time.perf_counter(), time.process_time()
    blocks = Counter(s.block for s in spellings)
    print(
        f"throughput: {len(names):,} distinct names clustered in {t2 - t0:.2f} s wall, {c2 - c0:.2f} s CPU, one core "
        f"({len(names) / (t2 - t0):,.0f} names/s; keys {t1 - t0:.2f} s, clustering {t2 - t1:.2f} s; wordfreq table load "
        f"{load:.2f} s apart); {len(blocks):,} blocks, largest {max(blocks.values())}; {len(attached):,} names attached to another"
    )
    if args.tables:
        reduce_bench(args.tables, names)


def synthetic_tables(n: int, names: list[str], seed: int = 5) -> dict[str, dict]:
    """``n`` per-file tables of the shape ``collect`` returns: a few entities per file from a shared pool
    (with their block keys, which a run computes where each file is checked, not in the reduce)."""
    from checker.names.entities import TABLE_VERSION
    from checker.names.keys import make_spelling

    rnd = random.Random(seed)
    given = names[: len(names) // 10]
    pool = [(rnd.choice(given), rnd.choice(names)) for _ in range(max(n, 1000))]
    tables = {}
    for i in range(n):
        ents = rnd.sample(pool, 6)
        if rnd.random() < 0.05:  # a variant spelling of a pooled entity now and then
            g, s = ents[0]
            ents[0] = (g, s[:-1] + ("a" if s[-1] != "a" else "e"))
        words = {}
        entities = []
        for g, s in ents:
            for w in (g, s):
                words[w.lower()] = [w, 2]
            entities.append([[g.lower(), s.lower()], 2, [[0, len(g), 0], [len(g) + 1, len(g) + 1 + len(s), 1]]])
        blocks = {k: make_spelling(k).block for k in sorted({w for e in entities for w in (e[0][0], e[0][-1])})}
        tables[f"f{i:06d}.txt"] = {"v": TABLE_VERSION, "words": dict(sorted(words.items())), "entities": entities,
                                   "blocks": blocks, "links": [], "context": sorted(words)[:8], "common": []}
    return tables


def reduce_bench(n: int, names: list[str]) -> None:
    from checker.names import corpus_decisions, reduce
    from checker.names.registry import Registry

    for size in (n // 4, n):
        tables = synthetic_tables(size, names)
        t0, c0 = time.perf_counter(), time.process_time()
        clusters = reduce(tables, Registry.empty())
        decided = corpus_decisions(clusters, tables)
        t1, c1 = time.perf_counter(), time.process_time()
        ents = sum(len(t["entities"]) for t in tables.values())
        print(f"reduce: {size:,} tables ({ents:,} entity mentions) in {t1 - t0:.2f} s wall, {c1 - c0:.2f} s CPU; "
              f"{len(clusters.links):,} cross-file links, {sum(len(v) for v in decided.values()):,} decisions")

if __name__ == "__main__":
    main()
