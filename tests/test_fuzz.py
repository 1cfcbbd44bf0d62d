"""Property-based fuzzing (hypothesis) of every loader and entry point.

Documents are article-like text written for this file (names spelt three
ways, quotes, calques, scrape residue), wrapped as plain text, Markdown or
HTML, then mutated: spliced with Unicode edge cases (combining marks, emoji
and ZWJ sequences, right-to-left text and controls, NUL, BOM, lone
surrogates where a ``str`` can hold them, CR and CRLF line ends), cut,
duplicated and mixed with random characters.  They go through

* each format's loader and the engine (``load_document`` + ``check_document``),
* ``checker.api.check_text``,
* standard input through the CLI's ``main`` in-process (bytes, with or
  without a BOM), and
* fix application (``apply_fixes`` and the re-checking ``fix_text``),

and every result must hold: no rule crashes or times out; every finding's
``text == decoded[start:end]``; line/column agree with the offsets; fix edits
lie inside the text; applied fixes give text that loads and checks cleanly;
the same input checked twice gives identical results.

CI runs a few examples per property (derandomized, so CI is repeatable);
``MTLINT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py`` is the
long mode (random seeds, that many examples per property).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import build_engine, check_text
from checker.cli import main
from checker.fixes import apply_fixes, fix_text
from checker.formatters.json import file_dict
from checker.loaders import SourceFile, load_document
from checker.spans import LineIndex
from conftest import shared_session

LONG = int(os.environ.get("MTLINT_FUZZ_EXAMPLES", "0") or 0)


def _settings(ci_examples: int):
    return settings(
        max_examples=LONG or ci_examples,
        derandomize=not LONG,
        deadline=None,  # a shared machine: time per example drifts
        database=None,
        print_blob=True,  # a failure prints the @reproduce_failure line that replays it
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# -- what documents are made of ---------------------------------------------------
SENTENCES = [
    "Khalifa Haftar's forces shelled the Jufra indoor air base on Tuesday, a spokesman said he declared.",
    "Hifter, who controls the east, told reporters that “the militias will withdraw within days”.",
    "Fighters de Hafter seized three Hausers near Sirte, according to a military society in the region.",
    "The Government of National Accord (GNA) said since two years the talks had stalled.",
    "”We will not retreat,“ said Fathi Bashagha, the interior minister of the Libya’s government.",
    "The convoy travelled 30 km (12 miles) along the coast road ,then stopped.",
    "The the ceasefire was signed in Geneva on the past Monday.",
    "Please enter your comment!",
    "Photo: AFP",
    "Related: Oil exports resume from Ras Lanuf",
    "The U.S. envoy met Haftar in Benghazi; the US embassy confirmed it..",
    "He has 45 years and works for the actual government in Tripoli.",
    "Analysts in Cairo , Ankara and Moscow expect a new round of talks.",
    "A 5 MB file of nothing: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
]

EDGES = [
    "\u0301", "e\u0301", "\u0646\u0651", "🙂", "👩\u200d👩\u200d👧", "🇱🇾", "مرحبا بكم في طرابلس", "\u200f", "\u202e", "\u2066",
    "\u200b", "\x00", "\ufeff", "\r\n", "\r", "\n\n", "\u2028", "\u00a0", "\t", "ﬁ", "İ", "ß", "Ω", "中文",
    "&amp;", "&#x27;", "&nbsp;", "<p>", "</p>", "<br>", "<script>x</script>", "<!-- c -->",
    "<!-- mtlint-disable -->", "<!-- mtlint-disable-next-line MT001 -->", "<!-- mtlint-enable -->",
    "```", "---\n", "# ", "* ", "> ", "[link](http://example.com)", "`code`", "*", "_", "|", "“", "”", "‘", "’", "«", "»",
    '"', "'", "...", "…", "—", "–", " ", "  ", ".", ",", "Haftar", "Hifter", "Hafter", "Hausers",
]
SURROGATES = ["\ud800", "\udcff", "\udfff", "\ud83d"]


def _wrap(paragraphs: list[str], fmt: str, title: str) -> str:
    if fmt == "markdown":
        body = "\n\n".join(f"- {p}" if i % 4 == 1 else f"> {p}" if i % 4 == 2 else p for i, p in enumerate(paragraphs))
        return f"---\ntitle: {title}\ndescription: A report\n---\n\n# {title}\n\n{body}\n"
    if fmt == "html":
        body = "\n".join(f"<p>{p}</p>" if i % 3 else f"<blockquote><p><em>{p}</em></p></blockquote>" for i, p in enumerate(paragraphs))
        return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>\n{body}\n<footer>Please enter your comment!</footer></body></html>\n"
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


@st.composite
def documents(draw, fmt: str, surrogates: bool = True) -> str:
    """An article in ``fmt``, mutated."""
    sentences = st.sampled_from(SENTENCES)
    paragraphs = draw(st.lists(st.lists(sentences, min_size=1, max_size=4).map(" ".join), max_size=5))
    text = _wrap(paragraphs, fmt, draw(sentences)[:40])
    edges = EDGES + (SURROGATES if surrogates else [])
    alphabet = st.characters(exclude_categories=() if surrogates else ("Cs",))
    for _ in range(draw(st.integers(0, 12))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["edge", "edge", "random", "delete", "duplicate"]))
        if op == "edge":
            text = text[:pos] + draw(st.sampled_from(edges)) + text[pos:]
        elif op == "random":
            text = text[:pos] + draw(st.text(alphabet, max_size=12)) + text[pos:]
        else:
            end = min(len(text), pos + draw(st.integers(1, 40)))
            text = text[:pos] + text[end:] if op == "delete" else text[:end] + text[pos:end] + text[end:]
    ends = draw(st.sampled_from(["keep", "keep", "crlf", "cr"]))
    if ends == "crlf":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    elif ends == "cr":
        text = text.replace("\n", "\r")
    return text


def formats_and_documents(surrogates: bool = True):
    return st.sampled_from(["text", "markdown", "html"]).flatmap(lambda fmt: st.tuples(st.just(fmt), documents(fmt, surrogates)))


# -- what every result must hold ----------------------------------------------------
def assert_sound(text: str, result) -> None:
    """Findings point at exactly the text they report, with matching line/column;
    no rule crashed or ran out of time; fix edits lie inside the text."""
    assert not [e for e in result.errors if e.kind in ("rule-crash", "rule-timeout")], [e.message for e in result.errors]
    index = LineIndex(text)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text), (f.code, f.start, f.end, len(text))
        assert f.text == text[f.start : f.end], (f.code, f.text, text[f.start : f.end])
        assert (f.line, f.column) == index.line_col(f.start), f.code
        assert (f.end_line, f.end_column) == index.line_col(f.end), f.code
        for r in f.related:
            assert 0 <= r.span.start <= r.span.end <= len(text) and (r.line, r.column) == index.line_col(r.span.start)
        if f.fix is not None:
            for e in f.fix.edits:
                assert 0 <= e.span.start <= e.span.end <= len(text), (f.code, e.span)


def signature(result) -> str:
    """Everything a report says about one file, as text (NaN-safe equality)."""
    return json.dumps(file_dict(result), sort_keys=True, ensure_ascii=True, default=str)


def _check(engine, text: str, fmt: str):
    return engine.check_document(load_document(SourceFile(f"fuzz.{fmt}", text, fmt), engine.config))


@pytest.fixture(scope="module")
def engine():
    return build_engine()


# -- the properties --------------------------------------------------------------
@_settings(ci_examples=60)
@given(formats_and_documents())
def test_every_loader_and_the_engine(engine, case):
    fmt, text = case
    first = _check(engine, text, fmt)
    assert_sound(text, first)
    again = _check(engine, text, fmt)  # same input, warm caches: identical result
    assert signature(again) == signature(first)


@_settings(ci_examples=40)
@given(formats_and_documents())
def test_fixes_apply_inside_the_text_and_give_checkable_text(engine, case):
    fmt, text = case
    result = _check(engine, text, fmt)
    applied = apply_fixes(text, result.findings, unsafe=True)
    fixed, _applied = fix_text(text, f"fuzz.{fmt}", fmt, result.findings, engine, unsafe=True)
    for new in (applied, fixed):
        assert isinstance(new, str)
        if new != text:
            assert_sound(new, _check(engine, new, fmt))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        new.encode("utf-8")  # fixes never make valid text invalid


@_settings(ci_examples=8)
@given(documents("text"))
def test_check_text_api(text):
    first = check_text(text)
    assert_sound(text, first)
    assert signature(check_text(text)) == signature(first)


@_settings(ci_examples=8)
@given(formats_and_documents(surrogates=False), st.booleans())
def test_standard_input_through_the_cli(case, bom):
    fmt, text = case
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    outs = []
    for _ in range(2):
        stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["check", "-", "--stdin-format", fmt, "--format", "json", "--no-progress", "--no-cache"], session=shared_session())
        finally:
            sys.stdin = stdin
        assert code in (0, 1, 2), err.getvalue()
        outs.append(out.getvalue())
    assert outs[0] == outs[1]
    report = json.loads(outs[0])
    [entry] = report["files"]
    errors = [e for e in report["errors"] + entry["errors"] if e["fatal"]]
    assert all(e["kind"] == "binary" for e in errors), errors  # NUL bytes near the start: a binary file
    decoded = text[1:] if not bom and text.startswith("\ufeff") else text  # one BOM is removed
    index = LineIndex(decoded)
    for f in entry["findings"]:
        assert f["text"] == decoded[f["start"] : f["end"]]
        assert (f["line"], f["column"]) == index.line_col(f["start"])
        assert (f["end_line"], f["end_column"]) == index.line_col(f["end"])
    assert code == (2 if errors else 1 if any(f["severity"] == "error" for f in entry["findings"]) else 0)
