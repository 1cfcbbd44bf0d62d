"""What start-up leaves for first use must give the same answers when it is used."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from checker.kinds import untranslated


def _plain_runs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(untranslated.SCRIPT_RUN, text)]


def _fast_runs(text: str) -> list[tuple[int, int]]:
    if not text or max(text) < untranslated._SCRIPTS_FROM:
        return []
    return [m.span() for m in untranslated._script_run().finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ,。\u03ff\u0400\u04ff\u0500\u0590习近平（）\uac00\ud7af\ufaff·\n")))
def test_script_runs_only_where_a_script_character_is(text: str):
    """The rule skips a text whose highest character is below U+0400 (no script run
    can start there) and compiles the 40,000-code-point class on first need."""
    assert _fast_runs(text) == _plain_runs(text)


def test_the_script_floor_is_the_lowest_listed_character():
    first_class = untranslated.SCRIPT_RUN[1 : untranslated.SCRIPT_RUN.index("]")]
    ranges = re.findall(r"(.)-(.)", first_class)
    assert ranges and min(lo for lo, _ in ranges) == untranslated._SCRIPTS_FROM


def _events(monkeypatch, engine_cls):
    """Record, in order, each cache lookup, each request to start the grammar backend
    and the loading of the rules."""
    from checker import engine as engine_mod
    from checker.cache import ResultCache

    events: list[str] = []
    has = ResultCache.has
    monkeypatch.setattr(ResultCache, "has", lambda self, key: events.append("lookup") or has(self, key))
    monkeypatch.setattr(engine_cls, "_start_grammar", lambda self, cfg: events.append("start"))
    load = engine_mod.load_ruleset
    monkeypatch.setattr(engine_mod, "load_ruleset", lambda *a, **k: events.append("rules") or load(*a, **k))
    return events


def test_the_grammar_backend_starts_once_a_file_is_known_to_need_checking(tmp_path, monkeypatch):
    """Harper's build (about a second) overlaps the rest of the start-up only if it
    starts early: at once without a cache, at the first miss with one, and never
    for files served whole from the cache (it would double their time and memory)."""
    from checker.engine import Engine, RunOptions

    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(f"Article {i} says the minister spoke on Monday.\n", encoding="utf-8")
    cache = tmp_path / "cache"

    def run(*paths: str) -> list[str]:
        events = _events(monkeypatch, Engine)
        Engine(RunOptions(cache_dir=str(cache), jobs=1)).run(list(paths))
        monkeypatch.undo()
        return events

    # the key comes from the configuration alone: the first lookup, and so the start at a
    # miss, comes before the rules load (their build then overlaps Harper's)
    assert run(str(folder)) == ["lookup", "start", "rules", "lookup", "lookup"]  # cold: at the first miss
    assert run(str(folder)) == ["lookup", "rules", "lookup", "lookup"]  # all cached: never
    (folder / "a1.txt").write_text("Article 1 was edited.\n", encoding="utf-8")
    assert run(str(folder)) == ["lookup", "rules", "lookup", "start", "lookup"]  # at the edited file
    assert run(str(folder / "a2.txt")) == ["lookup", "rules"]  # a named file served from the cache: never
    (folder / "a2.txt").write_text("Article 2 was edited.\n", encoding="utf-8")
    assert run(str(folder / "a2.txt")) == ["lookup", "start", "rules"]  # edited: at its miss
    events = _events(monkeypatch, Engine)
    Engine(RunOptions(cache=False, jobs=1)).run([str(folder)])
    assert events == ["start", "rules"]  # no cache: every file is checked


def test_mtlint_check_starts_the_grammar_backend_before_the_engine_when_no_file_can_be_cached(tmp_path, monkeypatch, capsys):
    """Without a cache, or with one that holds nothing yet, every file is checked, so
    the command line starts Harper before importing the engine (its build then
    overlaps the imports too), and the engine's session uses that very backend.
    With a cache that holds results, the plan's first miss decides, as before;
    nothing starts for --grammar none, a broken configuration or an archive."""
    from checker import cli, engine as engine_mod, services as services_mod

    real = services_mod.start_grammar
    started: list[tuple[str, int, bool]] = []  # (who, id of the Services, whether its backend is built)

    def recorder(who: str):
        def start(services):
            real(services)
            started.append((who, id(services), services.built("backend:grammar") is not None))
        return start

    monkeypatch.setattr(services_mod, "start_grammar", recorder("cli"))
    monkeypatch.setattr(engine_mod, "start_grammar", recorder("engine"))
    article = tmp_path / "a.txt"
    article.write_text("The minister spoke on Monday. He go to the market.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> tuple[list[tuple[str, bool]], int]:
        started.clear()
        code = cli.main(["check", "-f", "json", *argv])
        capsys.readouterr()
        same = len({sid for _, sid, _ in started}) <= 1
        return [(who, built) for who, _, built in started], code if same else -1

    assert run("--no-cache", str(article)) == ([("cli", True), ("engine", True)], 0)  # one Services, adopted
    cache = tmp_path / "cache"
    assert run("--cache-dir", str(cache), str(article)) == ([("cli", True), ("engine", True)], 0)  # cold
    assert run("--cache-dir", str(cache), str(article)) == ([], 0)  # served from the cache: nothing starts
    article.write_text("The minister spoke on Tuesday. He go to the market.\n", encoding="utf-8")
    assert run("--cache-dir", str(cache), str(article)) == ([("engine", True)], 0)  # a warm cache: at the miss
    assert run("--no-cache", "--grammar", "none", str(article)) == ([("cli", False), ("engine", False)], 0)
    (tmp_path / ".mtlint.toml").write_text("select = 3\n", encoding="utf-8")
    assert run("--no-cache", str(article)) == ([], 2)  # broken: reported by the engine, nothing started


# -- checking ahead while the grammar backend starts ----------------------------------------

_ARTICLES = [
    "He go to the market every days, the minister said on Monday. Forces loyal to Khalifa Haftar advanced.\n\n"
    "Khalifa Hifter's spokesman said he declared a truce. “We will not retreat,” he added.\n",
    "The the council met on the 10th. They was late, and the military society said nothing.\n",
    "Prices rose 3% in March. Please enter your comment!\n",
]


def _folder(tmp_path, n: int):
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(f"Article {i}. " + _ARTICLES[i % len(_ARTICLES)], encoding="utf-8")
    return folder


def _slow_start(monkeypatch, polls: int):
    """Harper reports itself still starting for the first ``polls`` questions
    (its dictionary is built by then: a check never waits long)."""
    from checker.backends.harper import HarperBackend

    asked = [0]

    def ready(self):
        asked[0] += 1
        return asked[0] > polls

    monkeypatch.setattr(HarperBackend, "ready", ready)
    return asked


def _begin_end(monkeypatch):
    """'begin:<file>' / 'end:<file>' as the engine begins and completes files (this process)."""
    import os

    from checker.runner import RuleRunner

    seen: list[str] = []
    begin, finish = RuleRunner.begin, RuleRunner.finish
    monkeypatch.setattr(RuleRunner, "begin", lambda self, doc, m=None: seen.append("begin:" + os.path.basename(doc.path)) or begin(self, doc, m))
    monkeypatch.setattr(RuleRunner, "finish", lambda self, run: seen.append("end:" + os.path.basename(run.doc.path)) or finish(self, run))
    return seen


def _report_json(report) -> str:
    import io

    from checker.formatters import FormatOptions, get_formatter

    buf = io.StringIO()
    get_formatter("json").render(report, buf, FormatOptions())
    return buf.getvalue()


def _checked_while_starting(tmp_path, monkeypatch, files: int, polls: int, jobs: int) -> list[str]:
    """Begin/end events of a run whose backend says it is starting ``polls`` times,
    after checking that its report equals a plain run's with --jobs 1."""
    from checker.engine import Engine, RunOptions

    folder = _folder(tmp_path, files)
    expected = _report_json(Engine(RunOptions(cache=False, jobs=1)).run([str(folder)]))
    _slow_start(monkeypatch, polls=polls)
    seen = _begin_end(monkeypatch)
    assert _report_json(Engine(RunOptions(cache=False, jobs=jobs)).run([str(folder)])) == expected
    return seen


def test_files_are_begun_ahead_while_the_backend_starts_and_come_out_the_same(tmp_path, monkeypatch):
    """While Harper builds its dictionary, the rules that need no backend run on the
    next files instead of waiting; each file's outcome, and the report, are those
    of a run that checks the files in turn."""
    seen = _checked_while_starting(tmp_path, monkeypatch, files=9, polls=4, jobs=1)
    first_end = seen.index("end:a00.txt")
    assert first_end >= 3 and seen[:first_end] == [f"begin:a{i:02d}.txt" for i in range(first_end)]  # begun ahead
    assert [x for x in seen if x.startswith("end:")] == [f"end:a{i:02d}.txt" for i in range(9)]  # finished in turn
    assert seen.count("begin:a05.txt") == 1  # each file begun once


def test_checking_ahead_holds_at_most_its_budget(tmp_path, monkeypatch):
    from checker import engine as engine_mod
    from checker.engine import Engine, RunOptions

    folder = _folder(tmp_path, 12)
    expected = _report_json(Engine(RunOptions(cache=False, jobs=1)).run([str(folder)]))
    monkeypatch.setattr(engine_mod, "AHEAD_FILES", 3)
    _slow_start(monkeypatch, polls=10**6)  # never ready by its own account: the budget stops it
    seen = _begin_end(monkeypatch)
    assert _report_json(Engine(RunOptions(cache=False, jobs=1)).run([str(folder)])) == expected
    held = most = 0
    for x in seen:
        held += 1 if x.startswith("begin:") else -1
        most = max(most, held)
    assert most == 1 + 3  # the file in turn and three ahead


@pytest.mark.parametrize(("jobs", "files", "failing", "polls"), [(1, 6, ("a03.txt", "a04.txt"), 5), (2, 12, ("a01.txt", "a09.txt"), 4)])
def test_a_notice_given_ahead_stays_with_its_own_file(tmp_path, monkeypatch, jobs, files, failing, polls):
    """The run's notices come out in file order whatever was begun ahead: a notice a
    file's early rules give is held until that file's outcome (with workers, it
    travels with the begun file to the worker that finishes it)."""
    from checker.engine import Engine, RunOptions
    from checker.kinds.pattern import PatternRule
    from checker.services import ServiceUnavailable

    folder = _folder(tmp_path, files)
    real = PatternRule.check

    def check(self, doc, ctx):
        if doc.path.endswith(failing) and self.meta.code == "MT004":
            raise ServiceUnavailable(f"stand-in service failed on {doc.path[-7:]}")
        return real(self, doc, ctx)

    monkeypatch.setattr(PatternRule, "check", check)
    expected = Engine(RunOptions(cache=False, jobs=1)).run([str(folder)])
    _slow_start(monkeypatch, polls=polls)
    seen = _begin_end(monkeypatch)
    got = Engine(RunOptions(cache=False, jobs=jobs)).run([str(folder)])
    if jobs == 1:
        assert seen.index("begin:a04.txt") < seen.index("end:a00.txt")  # both notices were given ahead
    else:
        assert "begin:a01.txt" in seen and "begin:a09.txt" not in seen  # one given here, one in a worker
    assert [str(n) for n in got.notices] == [str(n) for n in expected.notices]
    assert len(expected.notices) == 2
    assert _report_json(got) == _report_json(expected)


def test_with_workers_files_begun_while_the_backend_starts_are_finished_by_them(tmp_path, monkeypatch):
    """--jobs 2: while the backend starts, this process begins the first files (in
    order) and finishes none of them: the workers, forked once it is ready, inherit
    them and finish them (when this process finished them itself, the workers waited
    for it to take their results in turn); the report is that of --jobs 1."""
    seen = _checked_while_starting(tmp_path, monkeypatch, files=14, polls=5, jobs=2)
    assert 1 <= len(seen) < 14
    assert seen == [f"begin:a{i:02d}.txt" for i in range(len(seen))]  # begun here, in order, none finished here


def test_with_workers_a_begun_file_whose_worker_dies_is_checked_anew(tmp_path, monkeypatch):
    """A file begun here while the backend starts, whose worker dies finishing it, is
    checked again in this process from the file: the report is that of --jobs 1, with
    a notice that a worker died."""
    import json
    import os

    from checker.engine import Engine, RunOptions
    from checker.runner import RuleRunner

    folder = _folder(tmp_path, 12)
    expected = _report_json(Engine(RunOptions(cache=False, jobs=1)).run([str(folder)]))
    parent, real = os.getpid(), RuleRunner.check_document

    def dies_in_a_worker(self, doc, begun=None):
        if doc.path.endswith("a02.txt") and os.getpid() != parent:
            os._exit(9)
        return real(self, doc, begun)

    monkeypatch.setattr(RuleRunner, "check_document", dies_in_a_worker)
    _slow_start(monkeypatch, polls=6)
    seen = _begin_end(monkeypatch)
    report = Engine(RunOptions(cache=False, jobs=2)).run([str(folder)])
    assert "begin:a02.txt" in seen[: seen.index("end:a02.txt")] and seen.count("begin:a02.txt") == 2  # begun ahead, then anew here
    assert any(n.kind == "jobs" and "died" in n.message for n in report.notices)
    got, want = json.loads(_report_json(report)), json.loads(expected)
    assert got["files"] == want["files"] and got["summary"] == want["summary"]
