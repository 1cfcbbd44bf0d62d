"""Paths as they are: one check per real file, special files and loops
reported per path, unreadable folders named, file names that are not UTF-8
written losslessly in every format, and ``-o`` that never loses a report.

Everything runs the CLI in-process (``main([...])``); the tests that used to
hang (FIFOs) carry a ``timeout`` guard so a regression fails instead of
stalling the suite.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import threading
import xml.etree.ElementTree as ET

import pytest

from checker.cli import main
from checker.config import Config
from checker.exclude import Excluder
from checker.fsio import display_path, path_uri, unescape_path
from checker.loaders import discover, read_source

GARBLED = "Forces destroyed Hausers near the town.\n"
SELECT = ["--select", "MT001", "--no-progress"]


def _json(capsys, *args: str) -> tuple[int, dict, str]:
    code = main(["check", "--format", "json", *SELECT, *args])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def _errors(report: dict) -> list[dict]:
    return report["errors"] + [e for f in report["files"] for e in f["errors"]]


# -- one check per real file -----------------------------------------------------
def test_same_file_given_three_ways_is_checked_once_under_its_first_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    os.symlink("a.txt", tmp_path / "link.txt")
    code, report, _ = _json(capsys, "a.txt", "./a.txt", str(tmp_path / "a.txt"), "link.txt", ".")
    assert [f["path"] for f in report["files"]] == ["a.txt"]
    assert report["summary"]["findings"] == 1 and code == 0


def test_a_linked_file_takes_the_configuration_of_the_folder_it_really_lives_in(tmp_path, monkeypatch):
    """Configuration is looked up from a file's real folder: a link in ``news/``
    to a file in ``house/`` (which ignores MT001) follows ``house/``'s config,
    while its neighbour in ``news/`` keeps the default (the per-folder memo of
    real paths must not hand the link its folder's answer)."""
    from checker.engine import Engine, RunOptions

    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / ".mtlint.toml").write_text('ignore = ["MT001"]\n', encoding="utf-8")
    (tmp_path / "house" / "real.txt").write_text(GARBLED, encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "plain.txt").write_text(GARBLED, encoding="utf-8")
    os.symlink("../house/real.txt", tmp_path / "news" / "linked.txt")
    for order in (["news/plain.txt", "news/linked.txt"], ["news/linked.txt", "news/plain.txt"]):
        engine = Engine(RunOptions(cache=False))
        ignored = {p: "MT001" in engine.config_for(p).ignore for p in order}
        assert ignored == {"news/plain.txt": False, "news/linked.txt": True}, order


# -- symlink loops, FIFOs, sockets, devices ---------------------------------------
def test_symlink_loop_alone_is_reported_and_the_report_is_kept(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.symlink("loop.txt", tmp_path / "loop.txt")
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    code, report, err = _json(capsys, "loop.txt", "a.txt")
    assert code == 2
    errors = _errors(report)
    assert [(e["path"], e["kind"]) for e in errors] == [("loop.txt", "symlink-loop")]
    assert "symbolic link" in errors[0]["message"] and "loop" in errors[0]["message"]
    assert report["summary"]["findings"] == 1  # a.txt still checked
    assert "loop.txt: error:" in err


def test_symlink_loop_inside_a_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "d"
    d.mkdir()
    os.symlink("self.md", d / "self.md")
    os.symlink("b.txt", d / "a.txt")  # a two-link loop
    os.symlink("a.txt", d / "b.txt")
    (d / "ok.txt").write_text(GARBLED, encoding="utf-8")
    code, report, _ = _json(capsys, "d")
    assert code == 2
    kinds = sorted((e["path"], e["kind"]) for e in _errors(report))
    assert kinds == [("d/a.txt", "symlink-loop"), ("d/b.txt", "symlink-loop"), ("d/self.md", "symlink-loop")]
    assert report["summary"]["findings"] == 1


@pytest.mark.timeout(30)
def test_fifo_named_on_the_command_line_never_blocks(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    code, report, _ = _json(capsys, "pipe.txt")
    assert code == 2
    assert [(e["path"], e["kind"]) for e in _errors(report)] == [("pipe.txt", "special-file")]
    assert "named pipe" in _errors(report)[0]["message"]


@pytest.mark.timeout(30)
def test_fifo_socket_inside_a_folder_are_skipped_with_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "d"
    d.mkdir()
    os.mkfifo(d / "pipe.md")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "sock.txt"))
    (d / "ok.txt").write_text(GARBLED, encoding="utf-8")
    try:
        code, report, _ = _json(capsys, "d")
    finally:
        sock.close()
    assert code == 2
    got = {e["path"]: e for e in _errors(report)}
    assert set(got) == {"d/pipe.md", "d/sock.txt"}
    assert got["d/sock.txt"]["kind"] == "special-file" and "socket" in got["d/sock.txt"]["message"]
    assert report["summary"]["findings"] == 1


def test_device_is_not_read():
    err = read_source("/dev/null")  # (not /dev/zero: a regression would read it until memory runs out)
    assert err.kind == "special-file" and "character device" in err.message


@pytest.mark.timeout(30)
def test_a_file_swapped_for_a_fifo_after_discovery_is_not_opened_blocking(tmp_path):
    # the race between stat and open: read_source itself must never block
    os.mkfifo(tmp_path / "late.txt")
    err = read_source(str(tmp_path / "late.txt"))
    assert err.kind == "special-file"


# -- unreadable folders ----------------------------------------------------------
def test_unreadable_subfolder_is_an_error_naming_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "locked").mkdir(parents=True)
    (tmp_path / "d" / "locked" / "x.txt").write_text(GARBLED, encoding="utf-8")
    (tmp_path / "d" / "ok.txt").write_text(GARBLED, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).rstrip("/").endswith("locked"):  # what EACCES looks like to a non-root user
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, report, err = _json(capsys, "d")
    assert code == 2
    errors = _errors(report)
    assert [(e["path"], e["kind"]) for e in errors] == [("d/locked", "unreadable")]
    assert "folder" in errors[0]["message"] and "Permission denied" in errors[0]["message"]
    assert report["summary"]["findings"] == 1  # the readable file is still checked


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_unreadable_subfolder_for_real(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(GARBLED, encoding="utf-8")
    os.chmod(tmp_path / "locked", 0)
    try:
        got = list(discover([str(tmp_path)], Excluder(lambda _path: Config())))
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert [(g.path, g.kind) for g in got if not isinstance(g, str)] == [(str(tmp_path / "locked"), "unreadable")]


# -- file names that are not UTF-8 ------------------------------------------------
BAD = b"caf\xe9 \\ d\xff.txt"  # Latin-1 bytes and a backslash


def test_display_path_scheme_is_lossless_and_leaves_ordinary_paths_alone():
    assert display_path("content/2024/article one.md") == "content/2024/article one.md"
    assert display_path("héllo/wörld.txt") == "héllo/wörld.txt"
    name = os.fsdecode(BAD)
    shown = display_path(name)
    assert shown == "caf\\xe9 \\\\ d\\xff.txt"
    assert unescape_path(shown) == BAD
    assert display_path("a\nb\x7f.txt") == "a\\x0ab\\x7f.txt" and unescape_path("a\\x0ab\\x7f.txt") == b"a\nb\x7f.txt"
    for raw in (b"plain.txt", b"\\x41", b"\xc3\xa9\xc3", b"a\\\\b\x80", "Ω/é".encode()):
        assert unescape_path(display_path(os.fsdecode(raw))) == raw
    assert path_uri(os.fsdecode(b"dir/caf\xe9 x.txt")) == "dir/caf%E9%20x.txt"
    assert path_uri(os.fsdecode(b"/abs/caf\xe9.txt")) == "file:///abs/caf%E9.txt"


@pytest.fixture
def bad_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open(BAD, "w", encoding="utf-8") as fh:
        fh.write(GARBLED)
    with open(b"bin\xff.txt", "wb") as fh:
        fh.write(b"\x00\x01binary")
    return [os.fsdecode(BAD), os.fsdecode(b"bin\xff.txt")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "html"])
def test_non_utf8_file_names_in_every_format(bad_names, tmp_path, capsys, fmt):
    report = tmp_path / f"report.{fmt}"
    report.write_text("the previous report\n", encoding="utf-8")
    code = main(["check", "--format", fmt, *SELECT, "-o", str(report), *bad_names])
    err = capsys.readouterr().err
    assert code == 2, err  # the binary file is an input error
    out = report.read_bytes().decode("utf-8")  # strict: no raw byte, no lone surrogate
    shown = display_path(bad_names[0])
    if fmt == "json":
        data = json.loads(out)
        assert [f["path"] for f in data["files"]] == [shown, "bin\\xff.txt"]
        assert unescape_path(data["files"][0]["path"]) == BAD
    elif fmt == "sarif":
        data = json.loads(out)
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"] for loc in r["locations"]}
        assert uris == {"caf%E9%20%5C%20d%FF.txt"}
        notes = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bin%FF.txt"
    elif fmt == "junit":
        names = [c.get("name") for c in ET.fromstring(out).iter("testcase")]
        assert names == [shown, "bin\\xff.txt"]
    else:
        assert shown in out
    assert "bin\\xff.txt: error:" in err


def test_non_utf8_file_names_on_stdout(bad_names, capsys):
    main(["check", "--format", "json", *SELECT, *bad_names])
    out = capsys.readouterr().out
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in out)
    assert json.loads(out)["files"][0]["path"] == display_path(bad_names[0])


def test_non_utf8_folder_names_are_walked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.mkdir(b"d\xe9")
    with open(b"d\xe9/a.md", "w", encoding="utf-8") as fh:
        fh.write(GARBLED)
    code, report, _ = _json(capsys, ".")
    assert [f["path"] for f in report["files"]] == ["./d\\xe9/a.md"]


# -- -o FILE ---------------------------------------------------------------------
def test_output_into_a_missing_folder_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    target = tmp_path / "nonexistent" / "r.json"
    code = main(["check", "--format", "json", *SELECT, "-o", str(target), str(tmp_path / "a.txt")])
    err = capsys.readouterr().err
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln]
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("mtlint: error:") and str(target) in lines[0] and "No such file or directory" in lines[0]


def test_output_is_atomic_when_rendering_fails(tmp_path, monkeypatch, capsys):
    from checker.formatters import json as json_formatter

    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    target = tmp_path / "r.json"
    target.write_text("the previous report\n", encoding="utf-8")

    def broken(report, stream, options):
        stream.write("{ half a report")
        raise RuntimeError("formatter bug")

    monkeypatch.setattr(json_formatter.JSON, "render", broken)
    with pytest.raises(RuntimeError):
        main(["check", "--format", "json", *SELECT, "-o", str(target), str(tmp_path / "a.txt")])
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "r.json"]


def test_output_keeps_mode_follows_symlinks_and_gets_umask_mode_when_new(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    os.symlink("real.json", tmp_path / "link.json")
    assert main(["check", "--format", "json", *SELECT, "-o", str(tmp_path / "link.json"), str(tmp_path / "a.txt")]) == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text(encoding="utf-8"))["schema"] == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    old = os.umask(0o022)
    try:
        main(["check", "--format", "json", *SELECT, "-o", str(tmp_path / "new.json"), str(tmp_path / "a.txt")])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "link.json", "new.json", "real.json"]


@pytest.mark.timeout(30)
def test_output_to_a_fifo_writes_through_it_and_keeps_it(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GARBLED, encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["check", "--format", "json", *SELECT, "-o", str(fifo), str(tmp_path / "a.txt")]) == 0
    reader.join(20)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert json.loads(got[0])["summary"]["findings"] == 1
