"""Determinism below the engine (rules and backends; the process-level test is test_determinism.py): no finding depends on the order documents
are checked in, on which paragraphs share a grammar batch, on what a cache
holds, or on the hash seed (issue 11, item 2)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from checker.api import build_engine
from checker.document import Document
from conftest import FIXTURES, ROOT

#: documents written for these tests (plus the bundled fixtures): a tie between
#: two source languages, grammar errors, repeated boilerplate across documents
TEXTS = {
    "tie.txt": "The rebels then moved contra la capital after the talks failed.\n\nThey said it was over.",
    "grammar.txt": "We wants the report. Its a form of protest, they said.\n\nThe rebels then moved contra la capital.",
    "boiler.txt": "Please enter your comment!\n\nThe Libya’s oil output fell as analsyts had feared.\n\nWe wants more.",
    "names.txt": "Khalifa Haftar met the envoy. Haftar’s forces, the Hifter army, and Hafter's men advanced.",
}


def _documents() -> dict[str, str]:
    docs = dict(TEXTS)
    for p in sorted((FIXTURES / "documents").iterdir()):
        if p.suffix == ".txt":
            docs[p.name] = p.read_text(encoding="utf-8")
    return docs


def _result(engine, path: str, text: str) -> list[tuple]:
    r = engine.check_document(Document(text, path=path))
    return [(f.code, f.span.start, f.span.end, f.message, f.suggestions, tuple(sorted(f.data.items())), f.severity)
            for f in r.findings]


@pytest.fixture(scope="module")
def grammar_engine_factory():
    def make():
        return build_engine({"select": ["ALL"]})

    return make


def test_order_of_documents_changes_nothing(grammar_engine_factory):
    docs = _documents()
    names = sorted(docs)
    first = grammar_engine_factory()
    expected = {n: _result(first, n, docs[n]) for n in names}
    assert any(c == "GR001" for n in names for c, *_ in expected[n])  # grammar really ran
    for seed in (1, 2):
        order = names[:]
        random.Random(seed).shuffle(order)
        engine = grammar_engine_factory()  # a fresh cache, filled in another order
        got = {n: _result(engine, n, docs[n]) for n in order}
        assert got == expected
    # the same engine again (everything cached) gives the same
    assert {n: _result(first, n, docs[n]) for n in reversed(names)} == expected


def test_grammar_batches_change_nothing():
    """A paragraph's grammar findings do not depend on what else is in the call."""
    from checker.api import build_engine as build

    service = build({"select": ["GR001"]}).services.get("backend:grammar")
    paragraphs = [p for text in _documents().values() for p in text.split("\n") if p.strip()]
    alone = {p: service.backend.check_texts([p])[0] for p in paragraphs}
    assert any(alone.values())
    for seed in (3, 4):
        batch = paragraphs[:]
        random.Random(seed).shuffle(batch)
        service.cache.clear()
        got = service.check_paragraphs(batch[: len(batch) // 2]) + service.check_paragraphs(batch[len(batch) // 2 :])
        assert {p: list(f) for p, f in zip(batch, got)} == alone


def test_cache_eviction_changes_nothing():
    engine = build_engine({"select": ["GR001", "GR002"]})
    service = engine.services.get("backend:grammar")
    docs = _documents()
    before = {n: _result(engine, n, t) for n, t in docs.items()}
    service.max_cached = 2  # evicts nearly everything as it goes
    service.cache.clear()
    assert {n: _result(engine, n, t) for n, t in reversed(list(docs.items()))} == before


def test_contra_la_is_spanish_whatever_the_hash_seed():
    """MT007 used to name the language of "contra la" by set order: Spanish
    in one run, French in the next."""
    engine = build_engine({"select": ["MT007"]})
    found = [f for f in engine.check_text(TEXTS["tie.txt"]).findings]
    assert [(f.text, f.data["lang"]) for f in found] == [("contra la", "es")]


_SCRIPT = """
import json, sys
from pathlib import Path
from checker.api import build_engine
from checker.document import Document
docs = json.loads(sys.stdin.read())
engine = build_engine({"select": ["ALL"]})
out = {}
for name in sorted(docs):
    r = engine.check_document(Document(docs[name], path=name))
    out[name] = [[f.code, f.span.start, f.span.end, f.message, list(f.suggestions), sorted(map(str, f.data.items())),
                  f.fingerprint] for f in r.findings] + [sorted(map(str, r.metrics.items()))]
print(json.dumps(out, sort_keys=True))
"""


def test_hash_seed_changes_nothing():
    """The same documents in three processes with different hash seeds (and so
    different set and dict-of-set orders), grammar on: the same bytes."""
    docs = json.dumps(_documents())

    def run(seed: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        return subprocess.run([sys.executable, "-c", _SCRIPT], input=docs, capture_output=True, text=True,
                              env=env, cwd=str(ROOT), timeout=300)

    outputs = set()
    with ThreadPoolExecutor(max_workers=2) as pool:  # independent processes: two at a time
        for proc in pool.map(run, ("0", "1", "12345")):
            assert proc.returncode == 0, proc.stderr
            outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert "'contra la' looks like an untranslated Spanish fragment" in next(iter(outputs))
