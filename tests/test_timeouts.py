"""Nothing hangs: user regexes run under a time limit, and a LanguageTool
server that accepts and never answers costs at most the configured timeout.

The guards (``pytest.mark.timeout``) only turn a regression into a failure
instead of a stalled suite; no test asserts how fast anything is.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checker.api import build_engine
from checker.cli import main
from checker.config import from_mapping
from checker.kinds.pattern import PatternRule
from checker.registry import load_ruleset
from conftest import FIXTURES, ROOT, SEED

PATHOLOGICAL = "a" * 40 + "!"


def _user_pack(root, *, timeout: float | None = None):
    """A user's pack: HS001 is the issue's `(a+)+$`, HS002 a pattern that
    backtracks exponentially even in the regex module, HS003 a plain one."""
    pack = root / "userpack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: user\nprefix: HS\n", encoding="utf-8")
    extra = f"timeout: {timeout}\n" if timeout is not None else ""
    for code, name, rx in (("HS001", "nested", r"(a+)+$"), ("HS002", "alternation", r"(a|aa)+$"), ("HS003", "plain", r"\bwidget\b")):
        (pack / f"{name}.yaml").write_text(
            f"code: {code}\nname: user.{name}\nkind: pattern\ncategory: style\nsummary: A user pattern.\n"
            f"rationale: A newsroom's own check.\nscope: paragraph\n{extra}patterns:\n  - regex: '{rx}'\n",
            encoding="utf-8",
        )
    cfg = root / ".mtlint.toml"
    cfg.write_text(f'packs = ["{pack.as_posix()}"]\nselect = ["HS", "MT001"]\n', encoding="utf-8")
    return cfg


@pytest.mark.timeout(120, method="thread")
def test_catastrophic_user_regex_is_a_document_error_and_the_run_goes_on(tmp_path, capsys):
    _user_pack(tmp_path, timeout=0.5)
    bad = tmp_path / "bad.txt"
    bad.write_text(f"Forces destroyed Hausers with a widget.\n\n{PATHOLOGICAL}\n\nSome aaa\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Another widget here.\n", encoding="utf-8")
    code = main(["check", "--format", "json", "--no-progress", str(bad), str(good)])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    files = {os.path.basename(f["path"]): f for f in report["files"]}
    errors = files["bad.txt"]["errors"]
    assert [(e["kind"], e["fatal"]) for e in errors] == [("rule-timeout", True)]
    message = errors[0]["message"]
    assert "HS002" in message and "user.alternation" in message and "0.5 s" in message
    # the other rules' findings for that document are kept, HS001 included
    assert sorted(f["rule"] for f in files["bad.txt"]["findings"]) == ["HS001", "HS003", "MT001"]
    assert [f["rule"] for f in files["good.txt"]["findings"]] == ["HS003"] and not files["good.txt"]["errors"]


@pytest.mark.timeout(200)
def test_catastrophic_user_regex_under_jobs_2(tmp_path):
    """The same with a process pool (a subprocess in its own session, so a
    regression cannot leave workers spinning after the guard fires)."""
    _user_pack(tmp_path, timeout=0.5)
    for i in range(8):  # the pool is used from 8 files on
        (tmp_path / f"f{i}.txt").write_text(f"A widget.\n\n{PATHOLOGICAL}\n\nSome aaa\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "check", "--format", "json", "--jobs", "2", "--no-progress", str(tmp_path)],
        cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    report = json.loads(out)
    assert proc.returncode == 2, err
    assert [[e["kind"] for e in f["errors"]] for f in report["files"]] == [["rule-timeout"]] * 8
    assert all(sorted(x["rule"] for x in f["findings"]) == ["HS001", "HS003"] for f in report["files"])


@pytest.mark.timeout(60, method="thread")
def test_the_issue_pattern_alone_finishes(tmp_path):
    """`(a+)+$` against forty a's and a "!" (the regex module sees through it)."""
    cfg = _user_pack(tmp_path)
    eng = build_engine(from_mapping({"packs": [str(tmp_path / "userpack")], "select": ["HS001"]}, str(cfg)))
    result = eng.check_text(PATHOLOGICAL + "\n\nSome aaa\n")
    assert [f.text for f in result.findings] == ["aaa"] and not result.errors


def test_timeout_is_validated(tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: p\nprefix: PP\n", encoding="utf-8")
    (pack / "r.yaml").write_text(
        "code: PP001\nname: p.r\nkind: pattern\ncategory: style\nsummary: S.\nrationale: R.\ntimeout: 0\npatterns:\n  - regex: 'x'\n",
        encoding="utf-8",
    )
    _, errors = load_ruleset([pack])
    assert [e.kind for e in errors] == ["rule-file"] and "timeout" in errors[0].message and "greater than 0" in errors[0].message
    (pack / "r.yaml").write_text((pack / "r.yaml").read_text().replace("timeout: 0", "timeout: 3"), encoding="utf-8")
    ruleset, errors = load_ruleset([pack])
    assert not errors and ruleset.get("PP001").spec.timeout == 3.0


def test_builtin_patterns_match_exactly_as_python_re_does():
    """Built-in pattern rules run on the regex module (for its time limit);
    their matches must be those of the standard re module, on the bundled
    documents and fixtures, whole and line by line (anchors)."""
    import re

    ruleset, _ = load_ruleset()
    rules = [r for r in ruleset if isinstance(r, PatternRule)]
    assert len(rules) >= 8
    texts = [SEED.read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "documents").iterdir())]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "rules").glob("*.yaml"))]
    big = "\n\n".join(texts)
    for rule in rules:
        for rx, item in rule._compiled:
            plain = re.compile(item.regex, re.IGNORECASE if item.ignore_case else 0)
            for chunk in [big, *big.split("\n")]:
                ours = [(m.span(), m.groupdict()) for m in rx.finditer(chunk)]
                theirs = [(m.span(), m.groupdict()) for m in plain.finditer(chunk)]
                assert ours == theirs, (rule.meta.code, item.regex)


# -- LanguageTool that accepts and never answers -------------------------------
class _Url(str):
    def __new__(cls, url: str, accepted: list):
        obj = super().__new__(cls, url)
        obj.accepted = accepted
        return obj


@pytest.fixture
def silent_server():
    """Accepts connections, reads what comes, never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    conns: list[socket.socket] = []
    stop = threading.Event()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                conns.append(c)
            except OSError:
                continue

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield _Url(f"http://127.0.0.1:{srv.getsockname()[1]}", conns)
    stop.set()
    t.join(5)
    for c in conns:
        c.close()
    srv.close()


@pytest.mark.timeout(90)
def test_silent_languagetool_costs_at_most_its_timeout_and_is_reported(silent_server):
    eng = build_engine(from_mapping({"select": ["GR001", "MT008"], "grammar": {
        "backend": "languagetool", "languagetool": {"url": silent_server, "timeout": 1.0}}}))
    result = eng.check_text("Taking Sirte would cut the Libya’s income. Please enter your comment!\n")
    assert [f.code for f in result.findings] == ["MT008"]  # the other rules ran
    [notice] = [n for n in eng.notices if n.kind == "backend"]
    assert "cannot reach LanguageTool" in notice.message and "timed out" in notice.message
    assert len(silent_server.accepted) == 1  # one request at start-up, no retry


class _HangingCheck(BaseHTTPRequestHandler):
    """Answers /v2/languages, then never answers a /v2/check."""

    posts = 0
    release = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = (FIXTURES / "backends" / "languages.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        type(self).posts += 1
        type(self).release.wait(60)


@pytest.mark.timeout(90)
def test_languagetool_that_stops_answering_mid_run_costs_one_timeout():
    _HangingCheck.posts = 0
    _HangingCheck.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HangingCheck)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        eng = build_engine(from_mapping({"select": ["GR001", "MT008"], "grammar": {
            "backend": "languagetool", "languagetool": {"url": f"http://127.0.0.1:{server.server_address[1]}", "timeout": 1.0}}}))
        first = eng.check_text("Taking Sirte would cut the Libya’s income. Please enter your comment!\n")
        second = eng.check_text("Another text for the same run.\n")
    finally:
        _HangingCheck.release.set()
        server.shutdown()
        server.server_close()
    assert [f.code for f in first.findings] == ["MT008"] and not second.findings
    assert _HangingCheck.posts == 1  # one request, no retry; later files do not wait again
    [notice] = [n for n in eng.notices if n.kind == "backend"]
    assert "stopped answering" in notice.message and "timed out" in notice.message
