"""What start-up leaves for first use must give the same answers when it is used."""

from __future__ import annotations

import re

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
    """Record, in order, each cache lookup and each request to start the grammar backend."""
    from checker.cache import ResultCache

    events: list[str] = []
    has = ResultCache.has
    monkeypatch.setattr(ResultCache, "has", lambda self, key: events.append("lookup") or has(self, key))
    monkeypatch.setattr(engine_cls, "_start_grammar", lambda self, cfg: events.append("start"))
    return events


def test_the_grammar_backend_starts_once_a_file_is_known_to_need_checking(tmp_path, monkeypatch):
    """Harper's build (about a second) overlaps the rest of the start-up only if it
    starts early: before the lookups for a few named files (usually new or edited),
    at the first miss for a folder, never for a folder served whole from the cache."""
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

    assert run(str(folder)) == ["lookup", "start", "lookup", "lookup"]  # cold: at the first miss
    assert run(str(folder)) == ["lookup", "lookup", "lookup"]  # all cached: never
    (folder / "a1.txt").write_text("Article 1 was edited.\n", encoding="utf-8")
    assert run(str(folder)) == ["lookup", "lookup", "start", "lookup"]  # at the edited file
    assert run(str(folder / "a2.txt")) == ["start", "lookup"]  # a named file: before its lookup
    events = _events(monkeypatch, Engine)
    Engine(RunOptions(cache=False, jobs=1)).run([str(folder)])
    assert events == ["start"]  # no cache: every file is checked
