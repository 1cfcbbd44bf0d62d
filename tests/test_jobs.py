"""--jobs N: identical output to --jobs 1, and the corpus phase still sees every file."""

from __future__ import annotations

import json


from checker.api import RunOptions, run
from checker.formatters import FormatOptions, get_formatter
from conftest import ROOT, SEED, run_cli


def _make_tree(tmp_path, n=12):
    (tmp_path / ".mtlint.toml").write_text(
        f'packs = ["{(ROOT / "tests/data/corpuspack").as_posix()}", "{(ROOT / "tests/data/fixpack").as_posix()}"]\n'
        'select = ["TC", "TX", "MT"]\n',
        encoding="utf-8",
    )
    for i in range(n):
        ext = (".md", ".txt", ".html")[i % 3]
        body = f"Article {i}. Forces of Khalifa Haftar destroyed Hausers.\n\nPlease enter your comment!\n"
        if i == 5:
            body = body.replace("Haftar", "Hifter")
        if ext == ".html":
            body = "<p>" + body.replace("\n\n", "</p><p>") + "</p>"
        (tmp_path / f"a{i:02d}{ext}").write_text(body, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00bad")


def _json(report) -> str:
    import io

    buf = io.StringIO()
    get_formatter("json").render(report, buf, FormatOptions())
    return buf.getvalue()


def test_jobs_output_is_identical_and_corpus_sees_every_file(tmp_path, corpus_kind):
    _make_tree(tmp_path)
    one = run([str(tmp_path)], RunOptions(jobs=1))
    two = run([str(tmp_path)], RunOptions(jobs=2))
    assert _json(one) == _json(two)
    cross = [(r.path, f.code, f.text) for r in two.files for f in r.findings if f.code == "TC001"]
    assert cross == [(str(tmp_path / "a05.html"), "TC001", "Hifter")]
    assert any(e.kind == "encoding" for e in two.errors)
    assert len(two.files) == 13


def test_pool_is_really_used(tmp_path, corpus_kind, monkeypatch):
    from checker import workers

    _make_tree(tmp_path)
    seen = []
    real = workers.ForkPool.__init__

    def spy(self, jobs, fn):
        seen.append(jobs)
        real(self, jobs, fn)

    monkeypatch.setattr(workers.ForkPool, "__init__", spy)
    calls = []
    run([str(tmp_path)], RunOptions(jobs=2, cache=False), progress=lambda d, t: calls.append((d, t)))
    assert seen == [2]
    assert calls[0] == (0, 13) and calls[-1] == (13, 13) and len(calls) == 14


def test_cli_jobs_identical(tmp_path):
    for i in range(10):
        (tmp_path / f"s{i}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    a = run_cli("check", "--format", "json", "--jobs", "1", str(tmp_path))
    b = run_cli("check", "--format", "json", "--jobs", "2", str(tmp_path))
    c = run_cli("check", "--format", "json", str(tmp_path))  # default: one per core
    assert a.returncode == b.returncode == c.returncode == 1
    assert a.stdout == b.stdout == c.stdout
    assert json.loads(a.stdout)["summary"]["files"] == 10


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.data = []

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> int:
        self.data.append(s)
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal_and_for_more_than_a_handful_of_files():
    from checker.progress import MIN_FILES, stderr_progress

    assert stderr_progress(_Tty(False)) is None
    small = _Tty(True)
    bar = stderr_progress(small)
    for i in range(1, MIN_FILES):
        bar(i, MIN_FILES - 1)
    bar.close()
    assert small.data == []
    big = _Tty(True)
    bar = stderr_progress(big)
    for i in range(1, 21):
        bar(i, 20)
    bar.close()
    assert "".join(big.data)


def test_no_progress_output_in_machine_formats_or_pipes(tmp_path):
    for i in range(10):
        (tmp_path / f"s{i}.txt").write_text("Forces destroyed Hausers.\n", encoding="utf-8")
    res = run_cli("check", "--format", "sarif", str(tmp_path))
    assert res.stderr == ""
    res = run_cli("check", str(tmp_path))
    assert res.stderr == ""


def test_default_jobs_fork_only_for_a_run_big_enough_to_gain(tmp_path, monkeypatch):
    """With --jobs left to its default (a worker per core), a run of fewer than
    AUTO_POOL_MIN_FILES files checks in one process (forking and loading every
    table first cost more than a second core saves there: 8 files took 22% longer);
    an explicit --jobs N forks from POOL_MIN_FILES, as asked.  The output is the same."""
    from checker import engine as engine_mod, workers
    from checker.engine import AUTO_POOL_MIN_FILES, POOL_MIN_FILES

    monkeypatch.setattr(engine_mod, "default_jobs", lambda: 2)
    forks: list[int] = []
    real = workers.ForkPool.__init__
    monkeypatch.setattr(workers.ForkPool, "__init__", lambda self, jobs, fn: forks.append(jobs) or real(self, jobs, fn))
    small = tmp_path / "small"
    big = tmp_path / "big"
    for folder, n in ((small, max(POOL_MIN_FILES, AUTO_POOL_MIN_FILES - 1)), (big, AUTO_POOL_MIN_FILES)):
        folder.mkdir()
        for i in range(n):
            (folder / f"a{i:02d}.txt").write_text(f"Article {i}. The the minister spoke on Monday.\n", encoding="utf-8")
    outputs = {}
    for folder, jobs, forked in ((small, 0, []), (small, 2, [2]), (big, 0, [2]), (small, 1, [])):
        forks.clear()
        report = run([str(folder)], RunOptions(jobs=jobs, cache=False, overrides={"grammar": {"backend": "none"}}))
        assert forks == forked, (folder.name, jobs)
        outputs.setdefault(folder.name, set()).add(_json(report))
    assert all(len(v) == 1 for v in outputs.values()), "the same output with and without workers"
