"""``--fix`` writes that keep their promises.

A fix that cannot be written is an error in the report (exit 2), never
"fixed 1 file"; a symlink is followed to the real file and stays a link; the
file keeps its inode (owner, group, mode, hard links); a read-only file is
left alone with a message; no temporary file is left behind.  The CLI runs
in-process; the rule pack is the test pack of ``tests/data/fixpack``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess

import pytest

from checker.cli import main
from checker import fixes
from io_helpers import write_config

BEFORE = "Forces destroyed Hausers  near the town.\n"
AFTER = "Forces destroyed Howitzers near the town.\n"


def _fix(capsys, *paths) -> tuple[int, dict, str]:
    code = main(["check", "--fix", "--format", "json", "--no-progress", *map(str, paths)])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def _errors(report: dict) -> list[tuple[str, str]]:
    return [(e["kind"], e["message"]) for f in report["files"] for e in f["errors"]] + [
        (e["kind"], e["message"]) for e in report["errors"]
    ]


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".mtlint-"))


@pytest.fixture
def article(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "a.txt"
    f.write_text(BEFORE, encoding="utf-8")
    return f


def test_read_only_folder_is_an_error_and_exit_2(article, capsys):
    folder = article.parent / "ro"
    folder.mkdir()
    f = folder / "a.txt"
    f.write_text(BEFORE, encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        code, report, err = _fix(capsys, f)
    finally:
        os.chmod(folder, 0o755)
    assert code == 2
    assert f.read_text(encoding="utf-8") == BEFORE
    assert [k for k, m in _errors(report) if "read-only folder" in m] == ["unwritable"]
    assert "mtlint: applied" not in err and ": fixed " not in err and _leftovers(folder) == []
    # the findings that could not be fixed are still reported
    assert report["summary"]["by_rule"] == {"TX001": 1, "TX002": 1}


def test_read_only_file_is_left_alone_with_a_message(article, capsys):
    os.chmod(article, 0o444)
    code, report, err = _fix(capsys, article)
    assert code == 2 and article.read_text(encoding="utf-8") == BEFORE
    assert stat.S_IMODE(article.stat().st_mode) == 0o444
    [(kind, message)] = _errors(report)
    assert kind == "unwritable" and "is read-only" in message
    assert "mtlint: applied" not in err and ": fixed " not in err


def test_immutable_file_is_an_error(article, capsys):
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(article)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here (needs root and a file system that supports it)")
    try:
        code, report, err = _fix(capsys, article)
    finally:
        subprocess.run(["chattr", "-i", str(article)], check=True)
    assert code == 2 and article.read_text(encoding="utf-8") == BEFORE
    [(kind, message)] = _errors(report)
    assert kind == "unwritable" and "Operation not permitted" in message
    assert "mtlint: applied" not in err and ": fixed " not in err and _leftovers(article.parent) == []


def test_fix_through_a_symlink_fixes_the_real_file_and_keeps_the_link(article, capsys):
    link = article.parent / "link.txt"
    os.symlink("a.txt", link)
    code, report, err = _fix(capsys, link)
    assert code == 0 and "in 1 file; what remains is reported below" in err
    assert link.is_symlink() and os.readlink(link) == "a.txt"
    assert article.read_text(encoding="utf-8") == AFTER
    assert report["files"][0]["path"] == str(link)


def test_fix_keeps_inode_owner_group_mode_and_hard_links(article, capsys):
    twin = article.parent / "twin.txt"
    os.link(article, twin)
    os.chmod(article, 0o640)
    if os.geteuid() == 0:
        os.chown(article, 1234, 2345)
    before = article.stat()
    code, _, err = _fix(capsys, article)
    after = article.stat()
    assert code == 0 and "in 1 file; what remains is reported below" in err
    assert twin.read_text(encoding="utf-8") == AFTER  # the other name sees the fix: one file
    assert (after.st_ino, after.st_nlink, after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
        before.st_ino, 2, before.st_uid, before.st_gid, 0o640)
    if os.geteuid() == 0:
        assert (after.st_uid, after.st_gid) == (1234, 2345)
    assert _leftovers(article.parent) == []


def test_a_file_changed_since_it_was_checked_is_not_overwritten(article):
    article.write_text("Someone edited it meanwhile.\n", encoding="utf-8")
    err = fixes.write_fix(str(article), BEFORE, AFTER)
    assert err.kind == "changed" and "changed" in err.message
    assert article.read_text(encoding="utf-8") == "Someone edited it meanwhile.\n"
    # already holding the fixed text (a second hard link to a fixed file): nothing to do
    article.write_text(AFTER, encoding="utf-8")
    assert fixes.write_fix(str(article), BEFORE, AFTER) is None


def test_a_write_that_fails_half_way_puts_the_old_bytes_back(article, monkeypatch):
    real_pwrite = os.pwrite
    calls = []

    def pwrite(fd, data, offset):
        calls.append(bytes(data))
        if len(calls) == 2:  # 1: the safety copy, 2: the file itself
            real_pwrite(fd, bytes(data[:5]), offset)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    err = fixes.write_fix(str(article), BEFORE, AFTER)
    assert err.kind == "unwritable" and "No space left on device" in err.message and "left as it was" in err.message
    assert article.read_text(encoding="utf-8") == BEFORE
    assert _leftovers(article.parent) == []


def test_fix_keeps_the_byte_order_mark(article):
    article.write_bytes(b"\xef\xbb\xbf" + BEFORE.encode())
    assert fixes.write_fix(str(article), BEFORE, AFTER) is None
    assert article.read_bytes() == b"\xef\xbb\xbf" + AFTER.encode()
