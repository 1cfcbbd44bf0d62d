"""The snapshot of the built-in rule files (``rules/parsed_rules.json``,
``scripts/snapshot_rules.py``): current, exact, and never trusted for a file
whose bytes changed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from checker import registry
from checker.resources import rules_root
from conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("snapshot_rules", ROOT / "scripts" / "snapshot_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_snapshot_is_current_and_covers_every_built_in_file():
    """Stale is never wrong (the hash guards it) but costs every process the YAML
    parser: regenerate with `python scripts/snapshot_rules.py`."""
    rules = rules_root()
    assert (rules / registry.RULES_SNAPSHOT).read_bytes() == _script().render(rules), "run python scripts/snapshot_rules.py"
    files = json.loads((rules / registry.RULES_SNAPSHOT).read_bytes())["files"]
    assert sorted(files) == sorted(p.relative_to(rules).as_posix() for p in rules.rglob("*.yaml"))


def test_snapshot_data_is_what_the_yaml_parser_gives_types_included():
    rules = rules_root()
    for path in sorted(rules.rglob("*.yaml")):
        parsed = registry.parse_yaml(path, path.read_text(encoding="utf-8"))
        assert registry.same_data(registry._read_yaml(path), parsed), path


def test_same_data_tells_types_apart():
    assert registry.same_data({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not registry.same_data(1, 1.0)
    assert not registry.same_data(True, 1)
    assert not registry.same_data({"a": 1, "b": 2}, {"b": 2, "a": 1})  # key order is kept too
    assert not registry.same_data([1], [1, 2])


def test_data_json_cannot_give_back_is_left_out(tmp_path: Path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "dated.yaml").write_text("code: MT999\nwhen: 2024-01-31\n", encoding="utf-8")
    (tmp_path / "pack" / "numbered.yaml").write_text("1: one\n", encoding="utf-8")
    (tmp_path / "pack" / "plain.yaml").write_text("code: MT998\nlist: [a, 1, 2.5, true, null]\n", encoding="utf-8")
    (tmp_path / "pack" / "broken.yaml").write_text("code: [\n", encoding="utf-8")
    assert sorted(registry.snapshot_entries(tmp_path)) == ["pack/plain.yaml"]


def _with_entry(monkeypatch: pytest.MonkeyPatch, path: Path, sha: str, data: object) -> None:
    root, files = registry._snapshot()
    name = path.resolve().relative_to(root).as_posix()
    monkeypatch.setattr(registry, "_snapshot", lambda: (root, {**files, name: {"sha256": sha, "data": data}}))


def test_an_entry_is_used_only_for_the_bytes_it_was_made_from(monkeypatch: pytest.MonkeyPatch):
    import hashlib

    path = next(rules_root().rglob("calque.yaml"))
    real = registry.parse_yaml(path, path.read_text(encoding="utf-8"))
    marker = {"code": "snapshot says so"}
    # the file's own hash: the entry is what the registry reads (the parser is not asked)
    _with_entry(monkeypatch, path, hashlib.sha256(path.read_bytes()).hexdigest(), marker)
    assert registry._read_yaml(path) == marker
    # any other hash (the file was edited after the snapshot): the YAML parser decides
    _with_entry(monkeypatch, path, "0" * 64, marker)
    assert registry.same_data(registry._read_yaml(path), real)


def test_a_file_outside_the_built_in_packs_is_always_parsed(tmp_path: Path):
    path = tmp_path / "rule.yaml"
    path.write_text("code: XX001\nitems: [1, 2]\n", encoding="utf-8")
    assert registry.snapshot_key(path, path.read_bytes()) is None
    assert registry._read_yaml(path) == {"code": "XX001", "items": [1, 2]}


def test_each_read_gets_its_own_data():
    """The snapshot is shared by every load in a process: what one load does to
    the data it got must not reach the next."""
    path = next(rules_root().rglob("calque.yaml"))
    first = registry._read_yaml(path)
    first.clear()
    assert registry._read_yaml(path)


def test_a_damaged_snapshot_means_parsing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for content in (b"", b"not json", b'{"format": 99, "files": {}}', b'{"format": 1, "files": []}', b"[1, 2]"):
        (tmp_path / registry.RULES_SNAPSHOT).write_bytes(content)
        monkeypatch.setattr("checker.resources.rules_root", lambda: tmp_path)
        registry._snapshot.cache_clear()
        try:
            root, files = registry._snapshot()
            assert files == {} or root is None
        finally:
            monkeypatch.undo()
            registry._snapshot.cache_clear()
    assert registry._snapshot()[1]  # the real one again


# -- the precomputed inflections (rules/data/inflections.json) ---------------------------

def test_the_precomputed_inflections_are_current():
    """Stale is never wrong (the key guards it) but costs every process lemminflect's
    table: regenerate with `python scripts/snapshot_rules.py`."""
    from checker import inflection

    path = rules_root() / "data" / inflection.PRECOMPUTED
    assert path.read_bytes() == _script().render_inflections(), "run python scripts/snapshot_rules.py"


def test_each_precomputed_form_is_what_the_table_gives():
    from checker import inflection

    forms = json.loads((rules_root() / "data" / inflection.PRECOMPUTED).read_bytes())["forms"]
    assert len(forms) > 100
    for key, stored in forms.items():
        pos, word = key.split(":", 1)
        assert inflection.computed_forms(word, pos) == tuple((t, tuple(s)) for t, s in stored), key


def test_loading_the_built_in_rules_leaves_lemminflects_table_unread():
    from checker import inflection

    inflection._table.cache_clear()
    inflection.forms.cache_clear()
    ruleset, errors = registry.load_ruleset((), entry_points=False)
    assert not errors
    for rule in ruleset:
        getattr(rule, "warm", lambda: None)()
    assert inflection._table.cache_info().currsize == 0
    assert inflection.forms("realize", "verb")[2] == ("VBD", ("realized",))  # listed
    assert inflection.forms("whistle", "verb")[1] == ("VBZ", ("whistles",))  # not listed: computed
    assert inflection._table.cache_info().currsize == 1


def test_precomputed_forms_are_used_only_under_their_key_and_shape(monkeypatch: pytest.MonkeyPatch):
    from checker import inflection

    real = inflection.computed_forms("realize", "verb")
    bogus = [["VB", ["realize"]], ["VBZ", ["BOGUS"]], ["VBD", ["realized"]], ["VBN", ["realized"]], ["VBG", ["realizing"]]]
    monkeypatch.setattr(inflection, "_precomputed", lambda: {"verb:realize": bogus})
    inflection.forms.cache_clear()
    assert inflection.forms("realize", "verb")[1] == ("VBZ", ("BOGUS",))  # the entry is what is read
    for damaged in (bogus[:4], [["NN", ["x"]]] * 5, "realizes", [["VB", []]] + bogus[1:], [[1, ["x"]]] + bogus[1:]):
        monkeypatch.setattr(inflection, "_precomputed", lambda d=damaged: {"verb:realize": d})
        inflection.forms.cache_clear()
        assert inflection.forms("realize", "verb") == real, damaged
    monkeypatch.undo()
    inflection._precomputed.cache_clear()
    monkeypatch.setattr(inflection, "source_key", lambda: "another lemminflect or another inflection.py")
    try:
        assert inflection._precomputed() == {}
    finally:
        monkeypatch.undo()
        inflection._precomputed.cache_clear()
        inflection.forms.cache_clear()
    assert inflection._precomputed()
