"""Real clients against a real ``mtlint serve`` on a free loopback port.

``language-tool-python`` (``LanguageTool(lang, remote_server=URL)``) speaks
LanguageTool's HTTP API: it must get the seed article's findings at the right
places and apply a correction with its own ``correct()``.  The client turns
LanguageTool's UTF-16 offsets into Python ones by subtracting one for each
character outside the BMP before the offset, so an article with emoji in it
checks that the server counts as LanguageTool does.
"""

from __future__ import annotations

import pytest

from serve_helpers import app, live_server, seed_text, serve_extra

serve_extra()
lt_python = pytest.importorskip("language_tool_python", reason="language-tool-python is not installed: pip install '.[test]'")

import httpx  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with live_server(app()) as url:
        yield url


def _tool(url: str):
    return lt_python.LanguageTool("en-US", remote_server=url + "/")


def _findings(url: str, text: str) -> list[dict]:
    r = httpx.post(url + "/api/v1/check", json={"text": text}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["findings"]


@pytest.mark.parametrize("prefix", ["", "😀 Breaking 👍🏽: Cafe\u0301 🇱🇾 news.\n\n"], ids=["seed", "seed-with-emoji"])
def test_language_tool_python_gets_the_findings_at_their_places(server, prefix):
    text = prefix + seed_text()
    tool = _tool(server)
    try:
        matches = tool.check(text)
    finally:
        tool.close()
    expected = _findings(server, text)
    assert len(matches) == len(expected) > 20
    got = sorted((m.offset, m.offset + m.error_length, m.rule_id) for m in matches)
    want = sorted((f["start"], f["end"], f["rule"]) for f in expected)
    assert got == want
    by_rule = {}
    for m in matches:
        by_rule.setdefault(m.rule_id, []).append(m)
        # the client reads the context with its offset as Python indices (it converts only
        # the match offset), so its matched_text agrees where the context has no emoji
        if all(ord(c) <= 0xFFFF for c in m.context):
            assert m.matched_text == text[m.offset : m.offset + m.error_length]
    (hausers,) = by_rule["MT001"]
    assert text[hausers.offset : hausers.offset + hausers.error_length] == "Hausers"
    assert hausers.replacements[0] == "howitzers" and hausers.category == "MISTRANSLATION"
    assert {text[m.offset : m.offset + m.error_length] for m in by_rule["NM001"]} == {"Hifter", "Hafter"}


@pytest.mark.parametrize("prefix", ["", "🎉🎉 "], ids=["seed", "seed-with-emoji"])
def test_language_tool_python_corrects_with_its_own_correct(server, prefix):
    text = prefix + seed_text()
    tool = _tool(server)
    try:
        tool.enabled_rules = {"MT001", "NM001"}
        tool.enabled_rules_only = True
        fixed = tool.correct(text)
    finally:
        tool.close()
    assert "Hausers" not in fixed and "included howitzers and Turkish-made tanks" in fixed
    assert "Hifter" not in fixed and "Hafter" not in fixed
    # nothing else moved: undo the three corrections and get the article back
    assert fixed.replace("howitzers", "Hausers").replace("Khalifa Haftar, who led", "Khalifa Hifter, who led").replace("fighters de Haftar", "fighters de Hafter") == text


def test_language_tool_python_sees_the_languages(server):
    tool = _tool(server)
    try:
        assert str(tool.language) == "en-US"
        tool.language = "en-GB"
        assert str(tool.language) == "en-GB"
    finally:
        tool.close()


def test_a_twenty_megabyte_body_over_a_real_socket(server):
    # the server answers 413 from the Content-Length, before reading the body;
    # the client may see its upload cut short instead, but the server goes on
    try:
        r = httpx.post(server + "/api/v1/check", json={"text": "word " * (4 * 1024 * 1024)}, timeout=60)
        assert r.status_code == 413 and r.json()["error"]["kind"] == "too-large"
    except httpx.TransportError:
        pass
    assert _findings(server, "The military society included Hausers.")


def test_serve_command_with_two_worker_processes(tmp_path):
    """``mtlint serve --workers 2`` as a real process: both workers load the rules and answer."""
    import os
    import socket
    import subprocess
    import sys
    import time

    psutil = pytest.importorskip("psutil")
    from conftest import ROOT

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MTLINT_SERVE_TOKEN": "t0ken"}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--workers", "2"],
                            cwd=str(tmp_path), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        assert len(psutil.Process(proc.pid).children(recursive=True)) >= 2
        auth = {"Authorization": "Bearer t0ken"}
        assert httpx.post(url + "/api/v1/check", json={"text": "Some text."}, timeout=120).status_code == 401
        for _ in range(6):  # keep-alive off: connections spread over the workers
            r = httpx.post(url + "/api/v1/check", json={"text": "The military society included Hausers."}, headers=auth, timeout=120)
            assert r.status_code == 200 and "MT001" in {f["rule"] for f in r.json()["findings"]}
    finally:
        children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
        for c in children:
            if c.is_running():
                c.kill()
