"""The cached rerun's fast path: hits carried as stored, their JSON entries copied.

A hit whose result has no errors goes through the run as the cache stored it
(``checker.cache.CachedResult``) and the JSON report copies the entry text
stored with it; these tests hold that path to the bytes of a run without the
cache, in every format, and check that the stored text is never used once the
result it was written from changes (cross-file findings, a baseline).
"""

from __future__ import annotations

import io
import json
import math
import os
from dataclasses import replace
from pathlib import Path

import msgpack
import pytest
from conftest import ROOT

from checker.cache import CachedResult, ResultCache, ResultSpool, entry, load_entry
from checker.engine import Engine, RunOptions
from checker.findings import (
    Applicability,
    Edit,
    FileResult,
    Finding,
    Fix,
    Related,
    Report,
    Severity,
    Summary,
)
from checker.formatters import FormatOptions, get_formatter
from checker.spans import Span
from checker.spool import Spool

FORMATS = ("json", "sarif", "text", "junit", "html", "jsonl")


@pytest.fixture
def checked(count_checks):
    """The files the rules really checked (``count_checks`` of conftest)."""
    return count_checks


def _render(report, fmt: str) -> str:
    buf = io.StringIO()
    get_formatter(fmt).render(report, buf, FormatOptions())
    return buf.getvalue()


def _config(folder: Path, select: str = '"TC", "MT", "TY", "NM", "RD"') -> None:
    (folder / ".mtlint.toml").write_text(
        f'packs = ["{(ROOT / "tests/data/corpuspack").as_posix()}"]\nselect = [{select}]\n', encoding="utf-8"
    )


def _runs(folder: Path, cache: Path, fmt: str = "json", **kw) -> tuple[str, str]:
    """(with the cache, without it) for the same folder."""
    warm = _render(Engine(RunOptions(cache_dir=str(cache), jobs=1, **kw)).run([str(folder)]), fmt)
    cold = _render(Engine(RunOptions(cache=False, jobs=1, **kw)).run([str(folder)]), fmt)
    return warm, cold


def test_a_hit_whose_cross_file_findings_change_is_written_anew(tmp_path, corpus_kind, checked):
    folder = tmp_path / "news"
    folder.mkdir()
    _config(folder, '"TC"')
    (folder / "a.txt").write_text("Forces of Khalifa Hifter advanced on the town.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The envoy met the general on Monday.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Talks resumed in Geneva.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first, cold = _runs(folder, cache)
    assert first == cold and not json.loads(first)["summary"]["findings"]
    assert sorted(checked) == ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt", "c.txt"]

    # another file now spells the name the other way: a.txt, unchanged and a hit,
    # gets a cross-file finding, so its stored entry text must not be used
    (folder / "b.txt").write_text("The envoy met Khalifa Haftar on Monday.\n", encoding="utf-8")
    checked.clear()
    warm = _render(Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)]), "json")
    assert checked == ["b.txt"]
    report = json.loads(warm)
    assert [(Path(f["path"]).name, [x["rule"] for x in f["findings"]]) for f in report["files"]] == [
        ("a.txt", ["TC001"]),
        ("b.txt", []),
        ("c.txt", []),
    ]
    assert report["files"][0]["score"] is not None
    for fmt in FORMATS:
        warm, cold = _runs(folder, cache, fmt)
        assert warm == cold, fmt

    # and back: the finding goes away again, everything a hit
    (folder / "b.txt").write_text("The envoy met the general on Monday.\n", encoding="utf-8")
    _runs(folder, cache)
    checked.clear()
    again, cold = _runs(folder, cache)
    assert again == cold == first
    assert checked == ["a.txt", "b.txt", "c.txt"], "only the run without the cache checked"


ODD_TEXTS = {
    "plain.txt": "Forces loyal to Khalifa Haftar destroyed Hausers near Sirte, the military society said.\n",
    "cross.txt": "Khalifa Hifter spoke to the press.   It was “quiet” .\n",
    "greek.txt": "Ελληνικά κείμενα and 中文 text, emoji 😀 and Müller, said the minister.\n",
    "ctrl.txt": "Control \x01 char, a tab\there and \x7f. The   president said “hello” .\n\u2028Next line.\n",
    "same.txt": "Forces loyal to Khalifa Haftar destroyed Hausers near Sirte, the military society said.\n",
    "doc.md": "# Title\n\nSome *markdown* about Haftar with a [link](https://example.org).\n",
    "page.html": "<html><body><p>The minister said that &amp; the “society” will meet.</p></body></html>",
}


def _odd_folder(folder: Path, odd_name: bool = True) -> Path:
    folder.mkdir()
    _config(folder)
    for name, text in ODD_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "bom.txt").write_bytes("\ufeffThe minister said that the Parliament will vote.\n".encode())
    (folder / "latin1.txt").write_bytes("Café in Zürich.\n".encode("latin-1"))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    try:
        if odd_name:
            (folder / os.fsdecode(b"bad\xffname.txt")).write_text("The military society was ready, said Haftar.\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # a file system that takes only UTF-8 names
        pass
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_rerun_from_the_cache_writes_the_same_bytes_in_every_format(tmp_path, corpus_kind, checked, fmt):
    folder = _odd_folder(tmp_path / "odd")
    cache = tmp_path / "cache"
    first, cold = _runs(folder, cache, fmt)
    checked.clear()
    warm = _render(Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)]), fmt)
    assert checked == []
    assert warm == first == cold
    if fmt == "json":
        report = json.loads(warm)
        assert any(x["rule"] == "TC001" for f in report["files"] for x in f["findings"])
        assert report["summary"]["input_errors"] == 1  # the Latin-1 file


def test_a_baseline_applies_to_hits_as_to_checked_files(tmp_path, corpus_kind, checked):
    # (not the file name that is not UTF-8: writing a baseline fails on it, with or without the cache)
    folder = _odd_folder(tmp_path / "odd", odd_name=False)
    cache = tmp_path / "cache"
    base = tmp_path / "baseline.json"
    _render(Engine(RunOptions(cache_dir=str(cache), jobs=1, write_baseline=str(base))).run([str(folder)]), "json")
    assert json.loads(base.read_text(encoding="utf-8"))["findings"]
    (folder / "plain.txt").write_text(ODD_TEXTS["plain.txt"] + "\nThe military society met again.\n", encoding="utf-8")
    checked.clear()
    for fmt in ("json", "text"):
        warm, cold = _runs(folder, cache, fmt, baseline=str(base))
        assert warm == cold, fmt
    # the edited file checked by the first cached run and both runs without the cache
    assert checked.count("plain.txt") == 3 and checked.count("greek.txt") == 2
    report = json.loads(_runs(folder, cache, "json", baseline=str(base))[0])
    assert [Path(f["path"]).name for f in report["files"] if f["findings"]] == ["plain.txt"]
    assert any(e["kind"] == "baseline" for e in report["errors"])


def test_a_tampered_tally_is_a_miss_and_tampered_entry_text_is_not_used(tmp_path, corpus_kind, checked):
    folder = _odd_folder(tmp_path / "odd")
    cache = tmp_path / "cache"
    first, _ = _runs(folder, cache)
    tallies = texts = 0
    for path in cache.rglob("*.msgpack"):
        if path.parent.name == "rulesets":
            continue
        data = msgpack.unpackb(path.read_bytes(), raw=False, strict_map_key=False)
        if data.get("tally"):
            data["tally"][0][2] = "fatal"  # not a severity: the entry is a miss
            tallies += 1
        elif "json" in data:
            data["json"] = 7  # not text: the result is decoded and written as without it
            texts += 1
        else:
            continue
        path.write_bytes(msgpack.packb(data, use_bin_type=True))
    assert tallies >= 3 and texts >= 2
    checked.clear()
    warm = _render(Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)]), "json")
    assert warm == first
    # (plain.txt and same.txt share an entry: plain.txt's check stores it again for same.txt)
    assert len(checked) == tallies and "plain.txt" in checked and "same.txt" not in checked


def _odd_result() -> FileResult:
    fix = Fix("Use the other", (Edit(Span(0, 3), "the\x00other"),), Applicability.UNSAFE)
    findings = (
        Finding("ST001", "st.a", "style", Severity.WARNING, "say \x1f \u2028 “x” \\ \"q\"", Span(0, 3), "abc", ("x", "y"), fix,
                (Related(Span(4, 5), "see\tthis", 1, 5),), {"big": 2**63 + 5, "neg": -(2**63), "nan": math.nan, "inf": -math.inf, "tiny": 1e-7,
                                                            "list": [1, 2.5, None, True], "nested": {"z": 1, 3: "int key", "a": [{}]}},
                1, 1, 1, 4, "f" * 32),
        Finding("MT001", "mt.b", "calque", Severity.INFO, "second", Span(4, 9), "defgh", fix=Fix("safe one", (Edit(Span(4, 9), ""),))),
        Finding("MT002", "mt.c", "calque", Severity.ERROR, "third", Span(5, 6), "e", fix=Fix("no edits", ())),
    )
    metrics = {"readability": {"score": 12.345, "paragraphs": [{"line": 1, "x": -0.0}], "huge": 2**64 - 1}, "empty": {}, "e": 1e22}
    return FileResult(path="x.txt", findings=findings, metrics=metrics, score=41.5, words=9, source="abc d defgh\n", format="text")


def test_a_hit_kept_as_stored_reads_and_renders_exactly_as_its_result():
    """NaN, infinities, 64-bit integers, integer keys, control characters, file
    names to escape, fixes safe, unsafe and without edits: the stored entry text,
    the tally and the decoded result agree with the result the entry was made from."""
    result = _odd_result()
    data = msgpack.unpackb(msgpack.packb(entry(result, {"NM001": {"k": [1, 2]}}), use_bin_type=True), raw=False, strict_map_key=False)
    for name in ("a/one.txt", "b\\two.txt", os.fsdecode(b"b\xffthree.txt")):
        record, collected = load_entry(data, name, result.source)
        assert type(record) is CachedResult and collected.unpack() == {"NM001": {"k": [1, 2]}}
        plain = FileResult.from_dict({**result.to_dict(), "path": name}, source=result.source)
        assert repr(record.result()) == repr(plain) and record.result().source == result.source  # (NaN != NaN)
        kept, decoded = ResultSpool(), Spool()
        for spool, r in ((kept, record), (decoded, plain)):
            spool.append(r)
            spool.append(plain)
        summary = Summary.of([plain, plain])
        tallied = Report(files=kept, rules={}, tool_version="t", summary=summary)
        reference = Report(files=decoded, rules={}, tool_version="t")
        assert reference.summary == summary
        assert repr(list(kept)) == repr(list(decoded))
        for fmt in FORMATS:
            assert _render(tallied, fmt) == _render(reference, fmt), (name, fmt)


def test_the_run_totals_from_tallies_equal_those_from_results(tmp_path, corpus_kind):
    folder = _odd_folder(tmp_path / "odd")
    cache = tmp_path / "cache"
    Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)])
    warm = Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)])
    assert any(type(r) is CachedResult for r in warm.files.records())
    assert warm.summary == Summary.of(list(warm.files))


def test_a_result_msgpack_cannot_hold_is_not_stored(tmp_path):
    base = _odd_result()
    cache = ResultCache(tmp_path / "c")
    surrogate = replace(base, findings=(replace(base.findings[0], message="quotes b\udcffad"),))
    huge = replace(base, metrics={"n": 2**70})
    for n, result in enumerate((surrogate, huge)):
        key = f"{n:02d}" * 32
        cache.put_result(key, result, {})
        assert cache.get(key) is None


def test_a_result_with_errors_is_stored_without_entry_text(tmp_path):
    result = FileResult(path="x.txt", errors=(), words=3, source="a b c")
    assert "json" in entry(result, {})
    from checker.findings import InputError

    noted = FileResult(path="x.txt", errors=(InputError("x.txt", "collect", "a note", fatal=False),), words=3, source="a b c")
    stored = entry(noted, {})
    assert "json" not in stored and "tally" not in stored
    data = msgpack.unpackb(msgpack.packb(stored, use_bin_type=True), raw=False, strict_map_key=False)
    record, _ = load_entry(data, "y.txt", "a b c")
    assert type(record) is FileResult and record.path == "y.txt" and record.errors[0].path == "y.txt"
    cache = ResultCache(tmp_path / "c")
    cache.put_result("ab" * 32, result, {})
    assert cache.get("ab" * 32) is not None


@pytest.fixture
def reduced(monkeypatch):
    """How many times the test corpus rule's cross-file phase really ran."""
    import corpus_kind_helper

    calls: list[int] = []
    real = corpus_kind_helper.CrossFileKind.check_corpus

    def spy(self, collected, ctx):
        calls.append(len(collected))
        return real(self, collected, ctx)

    monkeypatch.setattr(corpus_kind_helper.CrossFileKind, "check_corpus", spy)
    return calls


def _names_tree(folder: Path) -> Path:
    folder.mkdir()
    _config(folder, '"TC"')
    (folder / "a.txt").write_text("Forces of Khalifa Hifter advanced on the town.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The envoy met Khalifa Haftar on Monday.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Khalifa Haftar spoke in Benghazi.\n", encoding="utf-8")
    return folder


def _warm(folder: Path, cache: Path) -> str:
    return _render(Engine(RunOptions(cache_dir=str(cache), jobs=1)).run([str(folder)]), "json")


def test_the_cross_file_phase_of_an_unchanged_run_comes_from_the_cache(tmp_path, corpus_kind, checked, reduced):
    folder = _names_tree(tmp_path / "news")
    cache = tmp_path / "cache"
    first = _warm(folder, cache)
    assert reduced == [3] and len(checked) == 3
    assert [x["text"] for f in json.loads(first)["files"] for x in f["findings"]] == ["Hifter"]
    again = _warm(folder, cache)
    assert again == first and reduced == [3], "every file a hit: the phase's findings were stored"
    assert len(checked) == 3

    # one file renamed (the same text, so its entry is a hit): the findings follow
    # the path, so the phase runs again
    (folder / "a.txt").rename(folder / "d.txt")
    moved = json.loads(_warm(folder, cache))
    assert len(checked) == 3 and reduced == [3, 3]
    assert [(Path(f["path"]).name, x["text"]) for f in moved["files"] for x in f["findings"]] == [("d.txt", "Hifter")]
    # an edit: the phase runs with the new tables, and its result is kept for the next run
    (folder / "d.txt").write_text("Forces of Khalifa Haftar advanced on the town.\n", encoding="utf-8")
    edited = _warm(folder, cache)
    assert reduced == [3, 3, 3] and checked[3:] == ["d.txt"]
    assert json.loads(edited)["summary"]["findings"] == 0
    assert _warm(folder, cache) == edited and reduced == [3, 3, 3]
    assert edited == _render(Engine(RunOptions(cache=False, jobs=1)).run([str(folder)]), "json")


def test_a_cross_file_phase_that_failed_is_not_stored(tmp_path, corpus_kind, monkeypatch):
    import corpus_kind_helper

    folder = _names_tree(tmp_path / "news")
    cache = tmp_path / "cache"
    real = corpus_kind_helper.CrossFileKind.check_corpus
    monkeypatch.setattr(corpus_kind_helper.CrossFileKind, "check_corpus", lambda self, c, ctx: 1 / 0)
    failed = json.loads(_warm(folder, cache))
    assert any(e["kind"] == "rule-crash" for e in failed["errors"]) and not failed["summary"]["findings"]
    monkeypatch.setattr(corpus_kind_helper.CrossFileKind, "check_corpus", real)
    fixed = json.loads(_warm(folder, cache))
    assert not fixed["errors"] and fixed["summary"]["findings"] == 1


def test_a_changed_setting_of_the_cross_file_rule_reruns_the_phase(tmp_path, corpus_kind, reduced):
    folder = _names_tree(tmp_path / "news")
    cache = tmp_path / "cache"
    assert json.loads(_warm(folder, cache))["summary"]["findings"] == 1
    (folder / ".mtlint.toml").write_text((folder / ".mtlint.toml").read_text(encoding="utf-8") + 'ignore = ["TC001"]\n', encoding="utf-8")
    assert json.loads(_warm(folder, cache))["summary"]["findings"] == 0
    assert len(reduced) <= 1  # (an ignored rule collects nothing)


def test_a_corrupt_cross_file_record_is_a_miss(tmp_path, corpus_kind, reduced):
    folder = _names_tree(tmp_path / "news")
    cache = tmp_path / "cache"
    first = _warm(folder, cache)
    (record,) = cache.rglob("cross-file/*.msgpack")
    data = msgpack.unpackb(record.read_bytes(), raw=False, strict_map_key=False)
    data["findings"] = [["x", [{"rule": "TC001"}]]]
    record.write_bytes(msgpack.packb(data, use_bin_type=True))
    assert _warm(folder, cache) == first and reduced == [3, 3]
    record.write_bytes(b"\x00garbage")
    assert _warm(folder, cache) == first and reduced == [3, 3, 3]
    assert _warm(folder, cache) == first and reduced == [3, 3, 3]


@pytest.mark.parametrize("limit", [10**9, 50])
def test_a_spool_record_replaced_in_place_reads_back_in_order(limit):
    spool = Spool(memory_limit=limit)
    for i in range(6):
        spool.append({"n": i, "pad": "x" * i})
    seen = []
    for i, record in enumerate(spool.records()):  # replacing while reading, as the run does
        seen.append(record["n"])
        if i % 2:
            spool.replace(i, {"n": -i})
    assert seen == [0, 1, 2, 3, 4, 5]
    assert [r["n"] for r in spool] == [0, -1, 2, -3, 4, -5] == [r["n"] for r in spool[0:6]]
    assert len(spool) == 6 and spool[-1] == {"n": -5}
    spool.replace(1, {"n": 11})
    assert spool[1] == {"n": 11}
    with pytest.raises(IndexError):
        spool.replace(6, {})
    with pytest.raises(RuntimeError):
        spool.append({})
    assert (spool._file is None) == (limit > 1000)


def test_a_spilled_spool_reads_blocks_in_any_order(monkeypatch):
    """Records larger and smaller than a block, read in order, backwards and at
    random, with replacements written after the last block was read."""
    import random

    from checker import spool as spool_module

    monkeypatch.setattr(spool_module, "BLOCK", 1000)
    rng = random.Random(7)
    records = [{"n": i, "pad": "é" * rng.choice([0, 10, 300, 2500])} for i in range(200)]
    spool = Spool(memory_limit=3000)
    for r in records:
        spool.append(r)
    assert spool._file is not None
    assert list(spool) == records
    assert [spool[i] for i in range(199, -1, -1)] == records[::-1]
    for i in rng.sample(range(200), 50):
        assert spool[i] == records[i]
    for i in range(0, 200, 7):
        records[i] = {"n": -i, "pad": "x" * rng.choice([1, 1500])}
        spool.replace(i, records[i])
        assert spool[i] == records[i] and spool[i - 1] == records[i - 1]
    assert list(spool.records()) == records
