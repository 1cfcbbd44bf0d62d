"""Archive audits (issue 14): records in, one line per record out, the same on any executor.

The archive is generated here from the dev corpus (never committed; the
tests skip when the corpus is absent) plus a few records written here: a
name spelled two ways across records (a cross-file finding), a record
with a number for its text, a line that is not JSON, a record without an id.
The Dask tests start one local cluster of two worker processes for the
module and compare every run with ``--jobs 1``, byte for byte.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import archive_faults
from conftest import ROOT, run_cli

if str(ROOT) not in sys.path:  # pragma: no cover - conftest does this
    sys.path.insert(0, str(ROOT))
from benchmarks._common import CORPUS  # noqa: E402

DEV = CORPUS / "clean_news_dev.jsonl"
N_CORPUS = 40
#: a line of the archive that makes the patched rule raise / kill its worker
MARKER_CRASH = "KABOOM-CRASH"
MARKER_KILL = "KABOOM-KILL"

pytestmark = pytest.mark.skipif(not DEV.is_file(), reason=f"dev corpus not found at {DEV} (set MTLINT_CORPUS)")

_OURS = [
    {"id": "own/gaddafi-1", "body": "Libyan leader Muammar Gaddafi spoke on Tuesday. Gaddafi said the talks would go on. Muammar Gaddafi later left Tripoli."},
    {"id": "own/gaddafi-2", "body": "Muammar Gaddafi met envoys. Officials said Gaddafi would travel to Sirte, where Muammar Gaddafi was born."},
    {"id": "own/qadhafi", "body": "Officials said Muammar Qadhafi met envoys in Tripoli on Monday, and Qadhafi promised reforms."},
    {"id": "own/crash", "body": f"A short note that makes the patched rule raise: {MARKER_CRASH}."},
    {"id": "own/kill", "body": f"A short note that stops its worker once: {MARKER_KILL}."},
]


def write_archive(path: Path) -> Path:
    """The test archive: corpus records (field ``body``), ours between them, three bad lines."""
    lines = []
    with open(DEV, encoding="utf-8") as fh:
        corpus = [json.loads(line) for _, line in zip(range(N_CORPUS), fh)]
    ours = iter(_OURS)
    for i, rec in enumerate(corpus):
        lines.append(json.dumps({"id": rec["id"], "body": rec["text"], "topic": rec.get("topic")}))
        if i % 9 == 4:
            mine = next(ours, None)
            if mine:
                lines.append(json.dumps(mine))
        if i == 20:
            lines.append(json.dumps({"id": "bad/number", "body": 5}))
            lines.append('{"id": "bad/json", "body": "unterminated')
            lines.append(json.dumps({"body": "a record without an id"}))
            lines.append("")
    lines.extend(json.dumps(m) for m in ours)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return write_archive(tmp_path_factory.mktemp("archive") / "archive.jsonl")


def check(archive: Path, *extra: str, stdin: str | None = None):
    return run_cli("check", "--input", "jsonl", archive.name if stdin is None else "-", "--text-field", "body",
                   "--partition-size", "8", "--no-progress", *extra, cwd=archive.parent, stdin=stdin)


@pytest.fixture(scope="module")
def baseline(archive):
    """``--jobs 1``: the reference every other run is compared with."""
    return check(archive, "--jobs", "1")


def _parsed(archive: Path) -> list[dict]:
    """The archive's lines that are JSON objects with an id."""
    out = []
    for line in archive.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "id" in rec:
            out.append(rec)
    return out


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# -- records as input (no Dask needed) ----------------------------------------------------
def test_every_record_is_one_line_and_bad_records_are_clear_errors(archive, baseline):
    assert baseline.returncode == 2, baseline.stderr  # input errors: exit 2, the rest still checked
    rows = _lines(baseline.stdout)
    assert len(rows) == N_CORPUS + len(_OURS) + 3
    by_id = {r["id"]: r for r in rows if "id" in r}
    assert "bbc/business/007" in by_id and by_id["bbc/business/007"]["words"] > 100
    number = by_id["bad/number"]
    assert number["errors"][0]["kind"] == "record"
    assert "(id 'bad/number')" in number["errors"][0]["message"] and "'body' is a number, not a string" in number["errors"][0]["message"]
    lines = {e["message"].split(":")[0] for r in rows for e in r["errors"] if e["kind"] == "record"}
    assert any(m.startswith("line ") for m in lines)
    text = baseline.stderr
    assert "archive.jsonl#bad/number: error: line " in text
    assert "is not valid JSON" in text and "has no id field 'id'" in text
    # the JSON Lines entries are the JSON report's file entries, plus the id
    full = check(archive, "--jobs", "1", "--format", "json")
    files = json.loads(full.stdout)["files"]
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows] == files


def test_cross_file_name_finding_reaches_the_record(baseline):
    by_id = {r.get("id"): r for r in _lines(baseline.stdout)}
    found = [f for f in by_id["own/qadhafi"]["findings"] if f["data"].get("cross_file")]
    assert found and found[0]["suggestions"] == ["Gaddafi"] and found[0]["text"] == "Qadhafi"


def test_jobs_2_and_stdin_give_the_same_bytes(archive, baseline):
    two = check(archive, "--jobs", "2")
    assert (two.returncode, two.stdout, two.stderr) == (baseline.returncode, baseline.stdout, baseline.stderr)
    piped = check(archive, "--jobs", "1", "--stdin-filename", archive.name, stdin=archive.read_text(encoding="utf-8"))
    assert (piped.returncode, piped.stdout, piped.stderr) == (baseline.returncode, baseline.stdout, baseline.stderr)


def test_parquet_gives_the_same_findings(archive, baseline, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    good = [r for r in _parsed(archive) if isinstance(r.get("body"), str)]
    target = tmp_path / "archive.parquet"
    pq.write_table(pa.Table.from_pylist(good), target, row_group_size=13)
    got = run_cli("check", "--input", "parquet", target.name, "--text-field", "body", "--partition-size", "5", cwd=tmp_path)
    want = [r for r in _lines(baseline.stdout) if r.get("id") in {g["id"] for g in good}]
    rows = _lines(got.stdout.replace("archive.parquet#", "archive.jsonl#"))  # cross-file findings name other records
    assert [r["id"] for r in rows] == [g["id"] for g in good]
    assert [(r["findings"], r["score"]) for r in rows] == [(w["findings"], w["score"]) for w in want]


def test_a_rule_that_raises_is_that_records_error(archive):
    archive_faults.patch(MARKER_CRASH)
    try:
        got = check(archive, "--jobs", "1")
    finally:
        archive_faults.unpatch()
    rows = {r.get("id"): r for r in _lines(got.stdout)}
    errs = rows["own/crash"]["errors"]
    assert errs and errs[0]["kind"] == "rule-crash" and "rule exploded on purpose" in errs[0]["message"]
    assert rows["own/crash"]["words"] > 0  # the other rules still ran
    assert not [r for i, r in rows.items() if i != "own/crash" and any(e["kind"] == "rule-crash" for e in r["errors"])]


def test_names_from_an_archive(archive, tmp_path):
    target = tmp_path / "names.toml"
    got = run_cli("names", "--input", "jsonl", archive.name, "--text-field", "body", "--write-registry", str(target), "--format", "json", cwd=archive.parent)
    assert got.returncode == 2  # the bad records are reported
    clusters = json.loads(got.stdout)["clusters"]
    gaddafi = [c for c in clusters if c["canonical"] == "Gaddafi"]
    assert gaddafi and gaddafi[0]["count"] == 6 and "archive.jsonl#own/gaddafi-1" in gaddafi[0]["files"]
    assert gaddafi[0]["variants"][0]["spelling"] == "Qadhafi" and gaddafi[0]["variants"][0]["files"] == ["archive.jsonl#own/qadhafi"]
    toml = target.read_text(encoding="utf-8")
    assert 'canonical = "Gaddafi"' in toml and "archive.jsonl#own/qadhafi" in toml


def test_dask_missing_names_the_extra(archive, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    got = check(archive, "--executor", "dask")
    assert got.returncode == 2
    assert "pip install 'mtlint[dask]'" in got.stderr and not got.stdout


# -- the same on a Dask cluster ----------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as lc, Client(lc) as client:
        yield lc.scheduler_address, client


def test_dask_cluster_output_is_jobs_1_byte_for_byte(archive, baseline, cluster):
    address, _client = cluster
    got = check(archive, "--scheduler", address)
    assert (got.returncode, got.stdout, got.stderr) == (baseline.returncode, baseline.stdout, baseline.stderr)
    ids = [r.get("id") for r in _lines(got.stdout)]
    assert "bad/number" in ids and ids.index("own/gaddafi-1") < ids.index("own/qadhafi")


def test_dask_rule_that_raises_is_that_records_error(archive, cluster):
    address, client = cluster
    archive_faults.patch(MARKER_CRASH)
    try:
        want = check(archive, "--jobs", "1")
    finally:
        archive_faults.unpatch()
    client.run(archive_faults.patch, MARKER_CRASH)
    try:
        got = check(archive, "--scheduler", address)
    finally:
        client.run(archive_faults.unpatch)
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
    assert '"kind": "rule-crash"' in got.stdout and "archive_faults.py" in got.stdout


def test_dask_names_registry_is_the_same(archive, cluster, tmp_path):
    address, _client = cluster
    args = ("names", "--input", "jsonl", archive.name, "--text-field", "body", "--format", "json", "--partition-size", "8")
    local = run_cli(*args, "--write-registry", str(tmp_path / "a.toml"), cwd=archive.parent)
    dask = run_cli(*args, "--scheduler", address, "--write-registry", str(tmp_path / "b.toml"), cwd=archive.parent)
    assert dask.stdout == local.stdout and dask.returncode == local.returncode == 2
    assert (tmp_path / "a.toml").read_bytes() == (tmp_path / "b.toml").read_bytes()


def test_python_api_on_bags_and_dataframes(archive, baseline, cluster):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from checker.archive.frames import FINDING_COLUMNS, check_bag, check_records

    good = _parsed(archive)
    entries = check_bag(db.from_sequence(good, npartitions=5), text_field="body", name="archive.jsonl").compute()
    want = [r for r in _lines(baseline.stdout) if r.get("id") in {g["id"] for g in good}]
    # the same findings and scores; a bad record's error says "row N of its partition" instead of "line N"
    assert [(e["id"], e["findings"], e["score"], [x["kind"] for x in e["errors"]]) for e in entries] == \
        [(w["id"], w["findings"], w["score"], [x["kind"] for x in w["errors"]]) for w in want]
    texts = [g for g in good if isinstance(g["body"], str)]
    frame = check_records(dd.from_pandas(pd.DataFrame(texts), npartitions=3), text_field="body")
    found = frame.compute()
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert len(found) == sum(len(w["findings"]) for w in want)
    cross = found[found.cross_file]
    assert set(cross.id) == {"own/qadhafi"}
    assert set(found.kind) == {"finding"}


# last: the replacement worker starts cold, the other tests want warm ones
def test_dask_killed_worker_loses_nothing(archive, baseline, cluster, tmp_path):
    address, client = cluster
    flag = str(tmp_path / "killed-once")
    before = set(client.scheduler_info()["workers"])
    client.run(archive_faults.patch, MARKER_KILL, flag)
    try:
        got = check(archive, "--scheduler", address)
    finally:
        client.run(archive_faults.unpatch)
    assert os.path.exists(flag)  # a worker really was killed ...
    assert set(client.scheduler_info()["workers"]) != before  # ... and replaced by its nanny
    assert (got.returncode, got.stdout, got.stderr) == (baseline.returncode, baseline.stdout, baseline.stderr)


def test_format_field_and_numeric_ids(tmp_path):
    target = tmp_path / "mixed.jsonl"
    rows = [
        {"id": 1, "fmt": "html", "body": "<article><p>Officials met on Monday in Tripoli.</p></article>"},
        {"id": 2, "fmt": "markdown", "body": "# Talks\n\nOfficials met on *Monday*."},
        {"id": 3, "fmt": "pdf", "body": "Officials met."},
        {"id": True, "body": "a boolean id"},
    ]
    target.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = run_cli("check", "--input", "jsonl", target.name, "--text-field", "body", "--format-field", "fmt", "--jobs", "1", cwd=tmp_path)
    out = _lines(got.stdout)
    assert [(r.get("id"), r["format"]) for r in out[:2]] == [("1", "html"), ("2", "markdown")]
    assert not out[0]["errors"] and not out[1]["errors"]
    assert "field 'fmt' is 'pdf'; expected one of text, markdown, html" in out[2]["errors"][0]["message"]
    assert "line 4: id field 'id' is a boolean" in out[3]["errors"][0]["message"]
    assert got.returncode == 2
