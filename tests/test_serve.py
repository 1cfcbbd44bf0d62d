"""``mtlint serve``: mtlint's JSON API, the LanguageTool API's wire format, limits and bad input.

In process through the ASGI app (httpx via Starlette's TestClient); the real
clients over a real socket are in test_serve_clients.py and test_serve_browser.py.
"""

from __future__ import annotations

import json
import logging

import pytest

from conftest import run_cli
from serve_helpers import app, checker, seed_text, serve_extra

serve_extra()

from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(app()) as c:
        yield c


def utf16(text: str, offset: int) -> int:
    """A Python offset of ``text`` in UTF-16 code units (what Java, hence LanguageTool, counts)."""
    return len(text[:offset].encode("utf-16-le")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    return text.encode("utf-16-le")[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def ok(client):
    """The server still answers a good request after a bad one."""
    r = client.post("/api/v1/check", json={"text": "The military society included Hausers."})
    assert r.status_code == 200, r.text
    assert [f["rule"] for f in r.json()["findings"]].count("MT001") == 1


# -- mtlint's API -------------------------------------------------------------------------
def test_check_answers_the_json_reports_file_entry(client, tmp_path):
    text = seed_text()
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    cli = run_cli("check", "--format", "json", "--no-cache", "--grammar", "harper", "article.txt", cwd=tmp_path)
    expected = json.loads(cli.stdout)["files"][0]
    r = client.post("/api/v1/check", json={"text": text})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got.pop("path") == "<text>" and expected.pop("path") == "article.txt"
    assert got == expected
    assert any(f["rule"] == "MT001" and f["text"] == "Hausers" for f in got["findings"])


def test_select_and_ignore_override_the_configuration(client):
    text = seed_text()
    only = client.post("/api/v1/check", json={"text": text, "select": ["MT001"]}).json()
    assert {f["rule"] for f in only["findings"]} == {"MT001"}
    without = client.post("/api/v1/check", json={"text": text, "ignore": ["NM001", "quotes"]}).json()
    rules = {f["rule"] for f in without["findings"]}
    assert "NM001" not in rules and "TY001" not in rules and "MT001" in rules


def test_markdown_and_html_offsets_point_into_the_raw_text(client):
    md = "# Title\n\nThe military society included *Hausers*.\n"
    got = client.post("/api/v1/check", json={"text": md, "format": "markdown", "select": ["MT001"]}).json()
    (f,) = got["findings"]
    assert md[f["start"] : f["end"]] == "Hausers" and got["format"] == "markdown"


def test_fix_applies_safe_fixes_like_check_fix(client, tmp_path):
    text = seed_text()
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert run_cli("check", "--fix", "--no-cache", "a.txt", cwd=tmp_path).returncode in (0, 1)
    r = client.post("/api/v1/fix", json={"text": text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["changed"] and body["text"] == (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "Hifter" not in body["text"] and "Hausers" in body["text"]  # safe only: the MT001 fix is unsafe
    assert body["applied"]["NM001"] >= 2
    unsafe = client.post("/api/v1/fix", json={"text": text, "unsafe": True}).json()
    assert "howitzers" in unsafe["text"]


def test_rules_and_openapi(client):
    rules = client.get("/api/v1/rules").json()
    assert {"MT001", "NM001", "GR001"} <= {r["code"] for r in rules}
    doc = client.get("/openapi.json").json()
    assert {"/api/v1/check", "/api/v1/rules", "/v2/check", "/v2/languages"} <= set(doc["paths"])
    assert "application/x-www-form-urlencoded" in doc["paths"]["/v2/check"]["post"]["requestBody"]["content"]


def test_the_page_has_no_external_assets(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    page = r.text
    assert "<textarea" in page and 'id="apply-safe"' in page
    for external in ("http://", "https://", "//cdn", 'src="/'):
        assert external not in page, external


# -- the LanguageTool API ------------------------------------------------------------------
def test_languages_lists_english_variants(client):
    codes = {lang["longCode"] for lang in client.get("/v2/languages").json()}
    assert {"en-US", "en-GB"} <= codes


def test_lt_offsets_count_utf16_units_with_emoji_and_combining_marks(client):
    # "e" + COMBINING ACUTE is two code points and two UTF-16 units; each emoji
    # (and the skin-tone modifier) is one code point and two UTF-16 units
    text = "Cafe\u0301 👍🏽 news 😀: the military society included Hausers 🎉 and Hifter met Haftar, Haftar said."
    r = client.post("/v2/check", data={"text": text, "language": "en-US"})
    assert r.status_code == 200, r.text
    matches = {m["rule"]["id"]: m for m in r.json()["matches"]}
    m = matches["MT001"]
    start = text.index("Hausers")
    assert m["offset"] == utf16(text, start) == start + 3  # three astral characters before it
    assert m["length"] == 7
    assert utf16_slice(text, m["offset"], m["length"]) == "Hausers"
    ctx = m["context"]
    assert utf16_slice(ctx["text"], ctx["offset"], ctx["length"]) == "Hausers"
    assert m["replacements"][0]["value"] == "howitzers"
    assert m["rule"]["category"] == {"id": "MISTRANSLATION", "name": "Mistranslation"}
    assert m["rule"]["issueType"] == "mistranslation" and m["rule"]["description"]
    assert "Hausers" in m["sentence"] and m["shortMessage"] and m["message"]
    nm = matches["NM001"]
    assert utf16_slice(text, nm["offset"], nm["length"]) == "Hifter"


def test_lt_annotated_text_offsets_point_into_text_and_markup(client):
    data = {"annotation": [
        {"markup": "<p>"}, {"text": "The military society included "}, {"markup": "<b>"},
        {"text": "Hausers"}, {"markup": "</b>"}, {"text": " 😀."}, {"markup": "</p>\n<p>", "interpretAs": "\n\n"},
        {"text": "Hifter met Haftar; Haftar and Haftar left."}, {"markup": "</p>"},
    ]}
    document = "".join(a.get("text", a.get("markup")) for a in data["annotation"])
    r = client.post("/v2/check", data={"data": json.dumps(data), "language": "en-GB"})
    assert r.status_code == 200, r.text
    found = {m["rule"]["id"]: utf16_slice(document, m["offset"], m["length"]) for m in r.json()["matches"]}
    assert found["MT001"] == "Hausers"
    assert found["NM001"] == "Hifter"
    assert r.json()["language"]["code"] == "en-GB"


def test_lt_rule_selection(client):
    text = seed_text()
    only = client.post("/v2/check", data={"text": text, "language": "en-US", "enabledRules": "MT001", "enabledOnly": "true"}).json()
    assert {m["rule"]["id"] for m in only["matches"]} == {"MT001"}
    # clients send LanguageTool's own ids: unknown disabled rules are ignored, known ones disabled
    fewer = client.post("/v2/check", data={"text": text, "language": "en-US", "disabledRules": "WHITESPACE_RULE,NM001"}).json()
    ids = {m["rule"]["id"] for m in fewer["matches"]}
    assert "NM001" not in ids and "MT001" in ids


def test_lt_get_with_a_query(client):
    r = client.get("/v2/check", params={"text": "The military society included Hausers.", "language": "auto"})
    assert r.status_code == 200 and {m["rule"]["id"] for m in r.json()["matches"]} >= {"MT001"}


# -- bad input: a clear 4xx with a JSON error, and the server keeps serving ----------------------
def _error(r, status, kind=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["message"], body
    if kind:
        assert body["error"]["kind"] == kind, body
    return body["error"]["message"]


def test_empty_text(client):
    _error(client.post("/api/v1/check", json={"text": ""}), 400, "empty")
    _error(client.post("/api/v1/check", json={"text": "  \n "}), 400, "empty")
    _error(client.post("/v2/check", data={"text": "", "language": "en-US"}), 400, "empty")
    ok(client)


def test_twenty_megabytes(client):
    big = "word " * (4 * 1024 * 1024)  # 20 MiB
    msg = _error(client.post("/api/v1/check", json={"text": big}), 413, "too-large")
    assert "bytes" in msg
    _error(client.post("/v2/check", data={"text": big, "language": "en-US"}), 413, "too-large")

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * (1024 * 1024)

    _error(client.post("/v2/check", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}), 413, "too-large")
    ok(client)


def test_invalid_utf8_in_a_form_field(client):
    body = b"language=en-US&text=caf%C3%A9+%FF%FE+bad"
    msg = _error(client.post("/v2/check", content=body, headers={"content-type": "application/x-www-form-urlencoded"}), 400, "encoding")
    assert "UTF-8" in msg
    raw = b"language=en-US&text=caf\xff"
    _error(client.post("/v2/check", content=raw, headers={"content-type": "application/x-www-form-urlencoded"}), 400, "encoding")
    _error(client.post("/api/v1/check", content=b'{"text": "caf\xff"}', headers={"content-type": "application/json"}), 400, "bad-request")
    ok(client)


def test_malformed_annotated_text(client):
    for data, words in [
        ('{"annotation": [{"text": "A"}', "not valid JSON"),
        ('{"annotations": []}', "annotation"),
        ('{"annotation": [{"text": "A", "markup": "<b>"}]}', "exactly one"),
        ('{"annotation": [{"text": 5}]}', "string"),
        ('[1, 2]', "annotation"),
    ]:
        msg = _error(client.post("/v2/check", data={"data": data, "language": "en-US"}), 400)
        assert words in msg, msg
    ok(client)


def test_unknown_rule_ids(client):
    msg = _error(client.post("/api/v1/check", json={"text": "Some text.", "select": ["MT999X"]}), 400, "unknown-rule")
    assert "MT999X" in msg
    msg = _error(client.post("/api/v1/check", json={"text": "Some text.", "ignore": ["MT0001"]}), 400, "unknown-rule")
    assert "did you mean" in msg
    _error(client.post("/v2/check", data={"text": "Some text.", "language": "en-US", "enabledRules": "NOPE_RULE", "enabledOnly": "true"}), 400, "unknown-rule")
    _error(client.post("/v2/check", data={"text": "Some text.", "language": "de-DE"}), 400)
    ok(client)


def test_schema_violations_are_422_json(client):
    _error(client.post("/api/v1/check", json={"text": "x", "format": "pdf"}), 422, "invalid-request")
    _error(client.post("/api/v1/check", json={"txt": "x"}), 422, "invalid-request")
    _error(client.post("/api/v1/check", content=b"not json", headers={"content-type": "application/json"}), 422)
    _error(client.get("/api/v1/nothing"), 404, "not-found")
    _error(client.put("/api/v1/check", json={}), 405, "method-not-allowed")
    _error(client.post("/v2/check", content=b"{}", headers={"content-type": "application/json"}), 415)
    ok(client)


def test_token():
    with TestClient(app(token="s3cret")) as c:
        _error(c.post("/api/v1/check", json={"text": "Some text."}), 401, "unauthorised")
        _error(c.post("/api/v1/check", json={"text": "Some text."}, headers={"Authorization": "Bearer wrong"}), 401)
        _error(c.get("/api/v1/rules", headers={"Authorization": "Basic s3cret"}), 401)
        _error(c.post("/v2/check", data={"text": "Some text.", "language": "en-US", "apiKey": "nope"}), 401)
        assert c.post("/api/v1/check", json={"text": "Some text."}, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.post("/v2/check", data={"text": "Some text.", "language": "en-US", "apiKey": "s3cret"}).status_code == 200
        assert c.get("/v2/languages").status_code == 200 and c.get("/").status_code == 200  # nothing private there
        r = c.post("/api/v1/check", json={"text": "The military society included Hausers."}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200


def test_cors_only_for_allowed_origins(client):
    preflight = {"Origin": "https://cms.example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    assert "access-control-allow-origin" not in client.post("/v2/check", data={"text": "Some text.", "language": "en-US"}, headers={"Origin": "https://cms.example.org"}).headers
    with TestClient(app(token="s3cret", allow_origins=("https://cms.example.org",))) as c:
        r = c.options("/api/v1/check", headers=preflight)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://cms.example.org"
        r = c.post("/api/v1/check", json={"text": "Some text."}, headers={"Origin": "https://cms.example.org"})
        assert r.status_code == 401 and r.headers["access-control-allow-origin"] == "https://cms.example.org"
        r = c.options("/api/v1/check", headers={**preflight, "Origin": "https://evil.example"})
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers


def test_time_limit_is_a_503_and_the_server_recovers(client):
    with TestClient(app(timeout=1e-9)) as slow:
        msg = _error(slow.post("/api/v1/check", json={"text": seed_text()}), 503, "timeout")
        assert "--timeout" in msg
    ok(client)


def test_access_log_has_no_text(client, caplog):
    secret = "Zyxwvutsrq the military society included Hausers."
    with caplog.at_level(logging.INFO, logger="mtlint.serve.access"):
        client.post("/api/v1/check", json={"text": secret})
        client.get("/v2/check", params={"text": secret, "language": "en-US"})
    lines = [r.getMessage() for r in caplog.records if r.name == "mtlint.serve.access"]
    assert len(lines) == 2
    for line in lines:
        entry = json.loads(line)
        assert entry["status"] == 200 and entry["path"] in ("/api/v1/check", "/v2/check")
        assert "Zyxwvutsrq" not in line


# -- the command ------------------------------------------------------------------------------
def test_serve_without_the_extra_names_the_install_line(monkeypatch):
    import checker.serve.command as command

    monkeypatch.setattr(command, "missing_extra", lambda: "fastapi")
    r = run_cli("serve", "--port", "0")
    assert r.returncode == 2
    assert "pip install 'mtlint[serve]'" in r.stderr


def test_serve_with_a_broken_config_exits_2(tmp_path):
    bad = tmp_path / "mtlint.toml"
    bad.write_text("selct = ['MT001']\n", encoding="utf-8")
    r = run_cli("serve", "--config", str(bad), "--port", "0")
    assert r.returncode == 2
    assert "selct" in r.stderr



def test_many_distinct_selections_keep_memory_bounded(client):
    """Each distinct select/ignore builds an engine and a runner: both are kept in bounded caches."""
    from checker.engine import Session
    from checker.serve.checking import Checker

    codes = [r["code"] for r in client.get("/api/v1/rules").json() if r["status"] == "stable"]
    combos = [[a, b] for i, a in enumerate(codes) for b in codes[i + 1 :]][: Session.MAX_RUNNERS + 16]
    for combo in combos:
        r = client.post("/api/v1/check", json={"text": "The military society included Hausers.", "select": combo})
        assert r.status_code == 200, r.text
        assert {f["rule"] for f in r.json()["findings"]} <= set(combo)
    c = checker()
    assert len(c._engines) <= Checker.MAX_ENGINES
    assert len(c.session._runners) <= Session.MAX_RUNNERS
    ok(client)
