"""The run engine: result cache, forked workers, shutdown, streaming."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.engine import Engine, RunOptions
from checker.formatters import FormatOptions, get_formatter
from checker.runner import RuleRunner
from conftest import ROOT, SEED

ARTICLE = (
    "Forces loyal to Khalifa Haftar destroyed Hausers near Sirte, the military society said.\n\n"
    "“We will not retreat,” said the spokesman. Please enter your comment!\n"
)


def _json(report) -> str:
    buf = io.StringIO()
    get_formatter("json").render(report, buf, FormatOptions())
    return buf.getvalue()


def _tree(folder: Path, n: int = 10) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / ".mtlint.toml").write_text(
        f'packs = ["{(ROOT / "tests/data/corpuspack").as_posix()}"]\nselect = ["TC", "MT", "TY"]\n', encoding="utf-8"
    )
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(f"Article {i}. " + ARTICLE, encoding="utf-8")
    return folder


def _run(folder: Path, cache_dir: Path, **kw) -> str:
    return _json(Engine(RunOptions(cache_dir=str(cache_dir), jobs=1, **kw)).run([str(folder)]))


def test_a_rerun_comes_from_the_cache_with_identical_bytes(tmp_path, corpus_kind, count_checks):
    folder = _tree(tmp_path / "news")
    cold = _run(folder, tmp_path / "cache")
    assert len(count_checks) == 10
    warm = _run(folder, tmp_path / "cache")
    assert len(count_checks) == 10, "nothing re-checked"
    assert warm == cold
    nocache = _json(Engine(RunOptions(cache=False)).run([str(folder)]))
    assert nocache == cold


def test_editing_one_file_rechecks_only_that_file_and_the_cross_file_phase_still_sees_all(tmp_path, corpus_kind, count_checks):
    folder = _tree(tmp_path / "news")
    _run(folder, tmp_path / "cache")
    count_checks.clear()
    (folder / "a03.txt").write_text("Article 3. Forces of Khalifa Hifter advanced.\n", encoding="utf-8")
    report = json.loads(_run(folder, tmp_path / "cache"))
    assert count_checks == ["a03.txt"]
    cross = [(Path(f["path"]).name, x["text"]) for f in report["files"] for x in f["findings"] if x["rule"] == "TC001"]
    assert cross == [("a03.txt", "Hifter")]


def test_a_changed_setting_or_rule_file_is_never_served_from_the_cache(tmp_path, corpus_kind, count_checks):
    folder = _tree(tmp_path / "news", n=3)
    first = json.loads(_run(folder, tmp_path / "cache"))
    assert first["summary"]["by_rule"].get("MT001") == 3
    cfg = folder / ".mtlint.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + 'ignore = ["MT001"]\n', encoding="utf-8")
    count_checks.clear()
    second = json.loads(_run(folder, tmp_path / "cache"))
    assert len(count_checks) == 3 and "MT001" not in second["summary"]["by_rule"]
    # a rule pack file that changes (content and time) invalidates its results too
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: house\nprefix: HS\n", encoding="utf-8")
    rule = pack / "r.yaml"
    rule.write_text(
        "code: HS001\nname: house.no_society\nkind: existence\ncategory: style\nsummary: No society.\n"
        "rationale: A test rule.\nentries: [{phrase: society}]\n",
        encoding="utf-8",
    )
    cfg.write_text(f'packs = ["{pack.as_posix()}"]\nselect = ["HS"]\n', encoding="utf-8")
    assert json.loads(_run(folder, tmp_path / "cache"))["summary"]["by_rule"] == {"HS001": 3}
    rule.write_text(rule.read_text(encoding="utf-8").replace("phrase: society", "phrase: Sirte"), encoding="utf-8")
    os.utime(rule, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    count_checks.clear()
    third = json.loads(_run(folder, tmp_path / "cache"))
    assert len(count_checks) == 3
    assert [x["text"] for f in third["files"] for x in f["findings"]] == ["Sirte"] * 3


def _builds(monkeypatch) -> list[str]:
    """Codes of the rules whose kind object was built (compiled), in order."""
    from checker import registry

    built: list[str] = []
    real = registry.DeferredRule.rule

    def spy(self):
        if self._rule is None:
            built.append(self.meta.code)
        return real(self)

    monkeypatch.setattr(registry.DeferredRule, "rule", spy)
    return built


def test_a_rerun_served_from_the_cache_builds_no_rule_and_a_miss_builds_them(tmp_path, corpus_kind, count_checks, monkeypatch):
    """The first run with a cache builds every rule and records that the load was
    complete; a run whose every result is a hit then reads only the rules'
    metadata (no matcher or table is built); a miss builds the rules it checks
    with, and the bytes are those of a run without any cache."""
    from checker.engine import Session
    from checker.registry import DeferredRule

    built = _builds(monkeypatch)
    folder = _tree(tmp_path / "news", n=4)
    cache = tmp_path / "cache"
    cold = _json(Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session()).run([str(folder)]))
    assert built == []  # no record yet: the rules were built eagerly, as without a cache

    engine = Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session())
    warm = _json(engine.run([str(folder)]))
    assert warm == cold and len(count_checks) == 4
    rules = [r for r in engine.runner_for(str(folder / "a00.txt")).ruleset.rules if r.meta.status.value != "removed"]
    assert rules and all(isinstance(r, DeferredRule) for r in rules)
    # not even the cross-file rule: the cross-file phase's findings were stored too
    assert built == [] and [r.meta.code for r in rules if r.built] == []

    (folder / "a01.txt").write_text("Article 1 changed. " + ARTICLE, encoding="utf-8")
    engine = Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session())
    edited = _json(engine.run([str(folder)]))
    assert count_checks[-1] == "a01.txt" and len(count_checks) == 5
    assert "MT001" in built and len(built) > 2  # built on first use, for the one file checked
    assert edited == _json(Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(folder)]))


def test_a_rule_that_failed_to_build_is_reported_the_same_from_a_deferred_load(tmp_path, count_checks):
    """A rule file whose header is fine but whose kind cannot build (a bad regular
    expression) is an error in every run, cached or not, with the same message,
    the same exit status and the rest of the pack still running."""
    from checker.engine import Session

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: house\nprefix: HS\n", encoding="utf-8")
    (pack / "a_bad.yaml").write_text(
        "code: HS001\nname: house.bad\nkind: pattern\ncategory: style\nsummary: Broken.\n"
        "rationale: A test rule.\npatterns: [{regex: 'soci(ety'}]\n", encoding="utf-8")
    (pack / "b_good.yaml").write_text(
        "code: HS002\nname: house.no_society\nkind: existence\ncategory: style\nsummary: No society.\n"
        "rationale: A test rule.\nentries: [{phrase: society}]\n", encoding="utf-8")
    folder = _tree(tmp_path / "news", n=2)
    (folder / ".mtlint.toml").write_text(f'packs = ["{pack.as_posix()}"]\nselect = ["HS"]\n', encoding="utf-8")

    def run():
        report = Engine(RunOptions(cache_dir=str(tmp_path / "cache"), jobs=1), session=Session()).run([str(folder)])
        return _json(report), report.exit_code(), [(e.path, e.message) for e in report.notices]

    first, second = run(), run()
    assert len(count_checks) == 2, "the second run came from the cache"
    assert first == second
    _text, code, notices = first
    assert code == 2 and [Path(p).name for p, m in notices if "bad regular expression" in m] == ["a_bad.yaml"]
    assert json.loads(first[0])["summary"]["by_rule"] == {"HS002": 2}


def test_a_deferred_rule_survives_copy_probes_and_names_its_kind():
    import copy

    from checker.kinds.pattern import PatternRule
    from checker.registry import DeferredRule, kind_class

    made: list[int] = []
    deferred = DeferredRule(meta=None, kind_class=PatternRule, construct=lambda: made.append(1) or "built")
    assert kind_class(deferred) is PatternRule and made == []
    assert not hasattr(deferred, "__setstate__") or made == []
    copy.copy(deferred)  # probes dunder names on an instance without its slots set: no recursion
    assert deferred.upper() == "BUILT" and made == [1]
    deferred.rule()
    assert made == [1], "built once"


def test_a_deferred_load_imports_no_kind_module_until_a_rule_is_built(tmp_path, corpus_kind, count_checks, monkeypatch):
    """The ruleset record also holds what each built-in, option-less kind's class
    says about its rules (``needs``, ``fixable``, ``corpus``): a rerun from the
    cache then imports only the kinds that have options (the names rules, run
    by the cross-file phase anyway), and a miss imports the rest when it builds
    them, with the bytes of a run without a cache.  A damaged record entry makes
    that one rule import its kind at load, as before."""
    from checker import registry
    from checker.engine import Session
    from checker.rule import Fixability

    loaded: list[str] = []
    real_load_kind = registry.load_kind
    monkeypatch.setattr(registry, "load_kind", lambda name: loaded.append(name) or real_load_kind(name))
    folder = _tree(tmp_path / "news", n=3)
    cache = tmp_path / "cache"
    cold = _json(Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session()).run([str(folder)]))
    eager = set(loaded)
    assert {"pattern", "existence", "substitution"} <= eager

    loaded.clear()
    engine = Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session())
    assert _json(engine.run([str(folder)])) == cold
    rules = [r for r in engine.runner_for(str(folder / "a00.txt")).ruleset.rules if r.meta.status.value != "removed"]
    lazy = [r for r in rules if isinstance(r._kind, str)]
    assert lazy and not {"pattern", "existence", "substitution"} & set(loaded)
    for r in rules:  # the record gives each rule the metadata its kind class gives
        cls = registry.kind_class(r)
        assert (r.meta.needs, r.meta.fixable, r.meta.corpus) == (
            frozenset(cls.needs), getattr(cls, "fixable", Fixability.NEVER), bool(getattr(cls, "corpus", False))), r.meta.code

    (folder / "a01.txt").write_text("Article 1 changed. " + ARTICLE, encoding="utf-8")
    loaded.clear()
    edited = _json(Engine(RunOptions(cache_dir=str(cache), jobs=1), session=Session()).run([str(folder)]))
    assert "existence" in loaded  # imported on first use, for the file checked
    assert edited == _json(Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(folder)]))

    # a damaged record entry (hand-edited, another version's) is not used: that rule imports its kind at load
    assert registry._known_kind({"needs": ["tokens"], "fixable": "never", "corpus": False}) == (frozenset({"tokens"}), Fixability.NEVER, False)
    for bad in (None, [], {"needs": "tokens", "fixable": "never", "corpus": False}, {"needs": [], "fixable": "maybe", "corpus": False},
                {"needs": [], "fixable": "never", "corpus": "no"}, {"needs": [1], "fixable": "never", "corpus": False}, {"needs": []}):
        assert registry._known_kind(bad) is None


def test_a_change_to_mtlints_own_code_is_never_served_from_the_cache(tmp_path, monkeypatch):
    """A development checkout (or an upgrade that keeps the version number) changes the code, not the version.

    Checked on a copy of a package tree: touching the installed modules would
    change the cache key of the tests that run beside this one (pytest-xdist)."""
    from checker import engine as engine_mod
    from checker.engine import Session

    folder = _tree(tmp_path / "news", n=2)
    config = Engine(RunOptions(), session=Session()).config_for(str(folder / "a00.txt"))
    seen: list[tuple[tuple[Path, ...], str]] = []
    real = engine_mod._tree_signature
    monkeypatch.setattr(engine_mod, "_tree_signature", lambda folders, suffix="": seen.append((tuple(folders), suffix)) or real(folders, suffix))
    Session().fingerprint((ROOT / "rules",), config)
    assert ((Path(engine_mod.__file__).parent,), ".py") in seen  # every module of mtlint is in the key

    pkg = tmp_path / "checker"
    (pkg / "kinds").mkdir(parents=True)
    (pkg / "engine.py").write_text("X = 1\n", encoding="utf-8")
    module = pkg / "kinds" / "pattern.py"
    module.write_text("Y = 2\n", encoding="utf-8")
    before = real((pkg,), ".py")
    (pkg / "kinds" / "__pycache__").mkdir()
    (pkg / "kinds" / "__pycache__" / "pattern.cpython-311.pyc").write_bytes(b"compiled")
    assert real((pkg,), ".py") == before  # compiled bytecode beside it does not count
    st = module.stat()
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert real((pkg,), ".py") != before


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path, count_checks, corpus_kind):
    folder = _tree(tmp_path / "news", n=2)
    cache = tmp_path / "cache"
    cold = _run(folder, cache)
    entries = sorted(p for p in cache.rglob("*.msgpack") if p.parent.name not in ("rulesets", "cross-file"))
    assert len(entries) == 2
    entries[0].write_bytes(b"\x00garbage")
    entries[1].write_bytes(entries[1].read_bytes()[:20])
    # the record of the rule set's load too: the rules are then built as without a cache
    (record,) = cache.rglob("rulesets/*.msgpack")
    record.write_bytes(b"\x92\x01")
    count_checks.clear()
    assert _run(folder, cache) == cold
    assert len(count_checks) == 2


def test_identical_texts_share_an_entry_but_keep_their_own_paths(tmp_path, count_checks):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "two.txt").write_text(ARTICLE, encoding="utf-8")
    _run(folder, tmp_path / "cache", corpus=False)
    assert count_checks == ["one.txt", "two.txt"]
    count_checks.clear()
    report = json.loads(_run(folder, tmp_path / "cache", corpus=False))
    assert count_checks == []
    assert [Path(f["path"]).name for f in report["files"]] == ["one.txt", "two.txt"]


def test_no_cache_writes_nothing_and_an_unwritable_cache_only_costs_speed(tmp_path, corpus_kind):
    folder = _tree(tmp_path / "news", n=2)
    Engine(RunOptions(cache=False, cache_dir=str(tmp_path / "c1"))).run([str(folder)])
    assert not (tmp_path / "c1").exists()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    report = Engine(RunOptions(cache_dir=str(blocked / "cache"))).run([str(folder)])
    assert report.summary.files == 2 and not report.errors


def test_the_default_cache_lives_beside_the_config_and_ignores_itself(tmp_path, monkeypatch, corpus_kind):
    monkeypatch.delenv("MTLINT_CACHE_DIR", raising=False)
    folder = _tree(tmp_path / "news", n=1)
    monkeypatch.chdir(folder)
    Engine(RunOptions()).run(["a00.txt"])
    cache = folder / ".mtlint_cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    (folder / ".mtlint.toml").write_text('cache-dir = "elsewhere"\n', encoding="utf-8")
    Engine(RunOptions()).run(["a00.txt"])
    assert list((folder / "elsewhere").rglob("*.msgpack"))


# -- workers ---------------------------------------------------------------------
def test_a_worker_that_dies_loses_nothing(tmp_path, monkeypatch, corpus_kind):
    folder = _tree(tmp_path / "news", n=12)
    (folder / "a05.txt").write_text("Article five, which kills its worker. Hausers.\n", encoding="utf-8")
    parent = os.getpid()
    real = RuleRunner.check_document

    def dies_in_a_worker(self, doc, begun=None):
        if doc.path.endswith("a05.txt") and os.getpid() != parent:
            os._exit(9)
        return real(self, doc, begun)

    monkeypatch.setattr(RuleRunner, "check_document", dies_in_a_worker)
    report = Engine(RunOptions(cache=False, jobs=2)).run([str(folder)])
    expected = Engine(RunOptions(cache=False, jobs=1)).run([str(folder)])
    assert [r.to_dict() for r in report.files] == [r.to_dict() for r in expected.files]
    assert any(n.kind == "jobs" and "died" in n.message for n in report.notices)


def _dies_on_five(parent: int):
    def fn(x: int) -> int:
        if x == 5 and os.getpid() != parent:
            os._exit(9)
        time.sleep(0.01)
        return x * 2
    return fn


@pytest.mark.timeout(60)
def test_the_pool_gives_back_a_dead_workers_tasks_and_goes_on():
    """A dead worker's pipe stays readable (EOF) for ever: the pool must not wait on it again."""
    from checker.workers import ForkPool, WorkerLost

    with ForkPool(2, _dies_on_five(os.getpid())) as pool:
        out = list(pool.imap_ordered(range(20), batch_size=2))
    lost = [i for i, o in enumerate(out) if isinstance(o, WorkerLost)]
    assert 5 in lost and all("exit status 9" in out[i].reason for i in lost)
    assert [o for i, o in enumerate(out) if i not in lost] == [2 * i for i in range(20) if i not in lost]


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        if children.exists():
            out.update(int(c) for c in children.read_text().split())
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the worker processes")
@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_signal_stops_every_worker(tmp_path, sig, code):
    folder = tmp_path / "many"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(400):
        (folder / f"s{i:03d}.txt").write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    # the real command line in a process whose Ctrl-C is the default whatever launched the
    # suite: a shell starts a background job (`pytest ... &`) with SIGINT ignored, the child
    # inherits that, and Python then keeps ignoring it (the run would just finish)
    launcher = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "sys.argv[0] = 'mtlint'; runpy.run_module('checker', run_name='__main__', alter_sys=True)")
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher, "check", "--no-cache", "--grammar", "none", "--format", "json", "--jobs", "2", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) == 2, "the run should have forked two workers"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert out == b"", "nothing half-written to stdout"
    time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text().lower()]
    assert alive == [], f"workers left running: {alive}"


def test_the_collector_paused_while_loading_is_always_turned_back_on(tmp_path, monkeypatch):
    """A run keeps the cyclic collector off while it loads rules and tables (the
    first run of a process); it is on again after the run, and also after a run
    that stops early on a broken configuration."""
    import gc

    from checker import collector, engine as engine_mod
    from checker.engine import Session

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    real = engine_mod.load_ruleset
    seen: list[bool] = []
    monkeypatch.setattr(engine_mod, "load_ruleset", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    for config, ok in (("select = [\"MT\"]\n", True), ("select = 3\n", False)):
        monkeypatch.setattr(collector, "_FROZEN", [])
        seen.clear()
        (tmp_path / ".mtlint.toml").write_text(config, encoding="utf-8")
        report = Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(tmp_path)])
        assert gc.isenabled()
        assert (report.exit_code() != 2) is ok
        assert seen and not any(seen), "the rules loaded with the collector off"


def test_mtlint_check_pauses_the_collector_before_importing_the_engine_and_always_resumes(tmp_path, monkeypatch, capsys):
    """``mtlint check`` turns the collector off before it imports the engine and
    loads the rules (importing is loading too), and it is on again afterwards:
    after a run, after a usage error that returns before any run, and after an
    archive run (which does not freeze)."""
    import gc

    from checker import cli, collector, engine as engine_mod

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": ARTICLE}) + "\n", encoding="utf-8")
    real = engine_mod.load_ruleset
    seen: list[bool] = []
    monkeypatch.setattr(engine_mod, "load_ruleset", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    real_pause = collector.pause
    for argv, loads in (
        (["check", "--no-cache", "--grammar", "none", str(tmp_path / "a.txt")], True),
        (["check", "--format", "nonesuch", str(tmp_path / "a.txt")], False),
        (["check", "--no-cache", "--grammar", "none", "--input", "jsonl", str(tmp_path / "a.jsonl")], None),
    ):
        monkeypatch.setattr(collector, "_FROZEN", [])
        seen.clear()
        paused: list[bool] = []
        monkeypatch.setattr(collector, "pause", lambda: (paused.append(gc.isenabled()), real_pause()))
        cli.main(argv)
        capsys.readouterr()
        assert gc.isenabled(), argv
        # the command line's pause comes first and finds the collector on (the engine's finds it off)
        assert paused[:1] == [True] and not any(paused[1:]), argv
        if loads:
            assert seen and not any(seen), "the rules loaded with the collector off"


def test_a_run_checks_with_fewer_young_collections_and_gives_the_thresholds_back(tmp_path, monkeypatch):
    """While it checks, a run collects the young generation every 10,000
    allocations, not 700 (the collector was 7% of a 2,097-file run at the
    default); before and after it, the caller's thresholds are untouched, also
    when the caller set its own or turned young collections off (0)."""
    import gc

    from checker import engine as engine_mod
    from checker.engine import Session

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    during: list[tuple[int, int, int]] = []
    real = RuleRunner.check_document
    monkeypatch.setattr(RuleRunner, "check_document", lambda self, *a, **k: during.append(gc.get_threshold()) or real(self, *a, **k))
    before = gc.get_threshold()
    try:
        for caller in ((700, 10, 10), (50_000, 5, 5), (0, 10, 10), (900, 3, 4)):
            gc.set_threshold(*caller)
            during.clear()
            Engine(RunOptions(cache=False, jobs=1), session=Session()).run([str(tmp_path)])
            assert gc.get_threshold() == caller
            expected = caller if caller[0] == 0 or caller[0] >= engine_mod.CHECK_GC_THRESHOLD else (engine_mod.CHECK_GC_THRESHOLD, *caller[1:])
            assert during == [expected]
    finally:
        gc.set_threshold(*before)


def test_a_rule_that_fails_while_warming_is_an_error_not_a_crash(tmp_path, monkeypatch):
    """A rule-file problem found only when a rule loads its tables (before the
    workers fork) is that rule's error, named with its file; the run goes on
    and the other rules' findings are there."""
    from checker.engine import Session
    from checker.kinds.lexicon import _LexiconRule

    def broken(self):
        raise ValueError("bad context pattern in its word list")

    monkeypatch.setattr(_LexiconRule, "warm", broken)
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(10):
        (folder / f"a{i:02d}.txt").write_text(f"Story {i}. " + ARTICLE, encoding="utf-8")
    report = Engine(RunOptions(cache=False, jobs=2, overrides={"grammar": {"backend": "none"}}), session=Session()).run([str(folder)])
    errors = [e for e in report.notices if e.kind == "rule-file"]
    assert errors and all("could not load: bad context pattern" in e.message for e in errors)
    assert report.exit_code() == 2 and report.summary.files == 10
    assert any(f.code == "TY001" or f.code.startswith("MT") for r in report.files for f in r.findings)
