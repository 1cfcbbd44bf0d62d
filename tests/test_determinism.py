"""Same input, same bytes: the CLI's JSON report over one folder is
byte-identical under three ``PYTHONHASHSEED`` values and ``--jobs 1, 2, 4``,
with grammar (Harper, the default) and without (``--grammar none``).

This one test uses subprocesses, because what it checks is about processes
(hash seeds are fixed at interpreter start; ``--jobs`` forks workers).  One
fresh interpreter per hash seed and grammar setting runs ``checker.cli.main``
once for each job count (as separate runs, each with its own session and
report file); the order of the job counts rotates with the seed, so every
job count is also the first run of a fresh interpreter once.  The reference
(first seed, ``--jobs 1``) is run again in a second interpreter.  The
interpreters are independent, so they run two at a time.  The
folder is 30 small articles written here: names spelt several ways within
and across files, quotations, calques, untranslated fragments, scrape
residue, in text, Markdown and HTML.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT

SEEDS = ("0", "1", "12345")
JOBS = ("1", "2", "4")
GRAMMAR = ("none", "default")

NAMES = [("Haftar", "Hifter", "Hafter"), ("Bashagha", "Bashaga", "Bachagha"), ("Dbeibah", "Dbeiba", "Dbeibeh"),
         ("Megerisi", "Megherisi", "Megerissi")]
BLOCKS = [
    "{a} said the forces of {b} had withdrawn from the coast road, a spokesman said he declared.",
    "“We will not retreat,” {a} told reporters in Tripoli on Tuesday.",
    "Fighters de {a} shelled the Jufra indoor air base, where three Hausers were parked.",
    "The militias contra la government of {b} have refused the ceasefire since two years.",
    "Analysts said the talks with {a} and {b} could resume in Geneva next month.",
    "Les forces of {a} entered la ville after a military society arrived from the south.",
    "The Government of National Accord (GNA) and the Libyan National Army (LNA) met in Cairo.",
    "”The situation is calm,“ said {b}, adding that the the roads were open.",
    "Please enter your comment!",
    "The convoy travelled 30 km (12 miles) before it stopped ,witnesses said.",
    "Il presidente di {a} declared that the oil ports would reopen.",
    "{a} has 76 years and leads the actual government in the east.",
]


def _article(rnd: random.Random, i: int) -> tuple[str, str]:
    a, b = (rnd.choice(NAMES)[rnd.randrange(3)] for _ in range(2))
    paragraphs = [" ".join(rnd.choice(BLOCKS).format(a=a, b=b) for _ in range(rnd.randint(1, 3))) for _ in range(rnd.randint(2, 5))]
    title = f"Report {i}: {a} and {b}"
    kind = ("txt", "md", "html")[i % 3]
    if kind == "md":
        body = f"---\ntitle: {title}\n---\n\n# {title}\n\n" + "\n\n".join(paragraphs) + "\n"
    elif kind == "html":
        body = f"<h1>{title}</h1>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs) + "\n"
    else:
        body = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"a{i:02d}.{kind}", body


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism")
    articles = root / "articles"
    articles.mkdir()
    rnd = random.Random(11)
    for i in range(30):
        name, body = _article(rnd, i)
        (articles / name).write_text(body, encoding="utf-8")
    return root


#: runs in one interpreter: the --jobs runs in turn, each its own main() call and report file
_DRIVER = """
import sys
from checker.cli import main
grammar, jobs_order, out_dir = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
for jobs in jobs_order:
    args = ["check", "articles", "--format", "json", "--jobs", jobs, "--no-progress", "--no-cache", "-o", f"{out_dir}/{jobs}.json"]
    if grammar == "none":
        args += ["--grammar", "none"]
    code = main(args)
    if code not in (0, 1):
        sys.exit(f"--jobs {jobs}: exit {code}")
"""


def _jobs_order(seed: str) -> list[str]:
    """The job counts in the order one interpreter runs them: rotated by the seed's place."""
    k = SEEDS.index(seed) % len(JOBS)
    return list(JOBS[k:] + JOBS[:k])


def _process(folder, seed: str, grammar: str, jobs_order: list[str]) -> dict[str, bytes]:
    """One fresh interpreter with PYTHONHASHSEED=seed: the report bytes per job count."""
    out_dir = folder / f"out-{seed}-{grammar}-{'-'.join(jobs_order)}"
    out_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-c", _DRIVER, grammar, ",".join(jobs_order), str(out_dir)],
                          cwd=str(folder), env=env, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return {jobs: (out_dir / f"{jobs}.json").read_bytes() for jobs in jobs_order}


@pytest.fixture(scope="module")
def runs(folder):
    """Every interpreter of this module, started two at a time: (seed, grammar) or
    ("again", grammar) -> a future of {jobs: report bytes}; a failure surfaces in the
    tests that read that interpreter's reports."""
    plan = {(seed, grammar): (seed, _jobs_order(seed)) for grammar in GRAMMAR for seed in SEEDS}
    plan.update({("again", grammar): (SEEDS[0], [JOBS[0]]) for grammar in GRAMMAR})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_process, folder, seed, key[1], order) for key, (seed, order) in plan.items()}
        yield futures
        for future in futures.values():  # leave no interpreter running past the module
            future.exception()


COMBINATIONS = [
    pytest.param(seed, jobs, grammar, id=f"seed{seed}-jobs{jobs}-{grammar}")
    for grammar in GRAMMAR for seed in SEEDS for jobs in JOBS
]


@pytest.mark.parametrize(("seed", "jobs", "grammar"), COMBINATIONS)
def test_same_bytes_for_every_hash_seed_and_job_count(runs, seed, jobs, grammar):
    reference = runs[(SEEDS[0], grammar)].result()[JOBS[0]]
    assert b'"findings": [' in reference and reference.count(b'"rule": "NM001"') >= 3  # the folder exercises cross-file rules
    if (seed, jobs) == (SEEDS[0], JOBS[0]):  # the reference itself: run again, alone, in another interpreter
        assert runs[("again", grammar)].result()[jobs] == reference
        return
    got = runs[(seed, grammar)].result()[jobs]
    if got != reference:
        import difflib

        diff = difflib.unified_diff(reference.decode().splitlines(), got.decode().splitlines(), lineterm="", n=2)
        pytest.fail(f"PYTHONHASHSEED={seed} --jobs {jobs} grammar={grammar} differs from seed {SEEDS[0]} --jobs 1:\n"
                    + "\n".join(list(diff)[:60]))
