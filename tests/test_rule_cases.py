"""One parametrised runner over ``fixtures/rules/*.yaml``.

Each case runs only the rule under test over the case text (markers
removed) and checks: flag/pass, the exact set of marked spans when the text
has markers, the suggestions, the message substring and the text after
applying fixes.  Test ids are ``<CODE>-<case>`` so ``pytest -k MT001``
selects one rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from checker.api import build_engine
from checker.config import from_mapping
from checker.docs import MARK_CLOSE, MARK_OPEN
from checker.fixes import apply_fixes
from checker.loaders import SourceFile, load_document

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def strip_markers(marked: str) -> tuple[str, list[tuple[int, int]]]:
    out, spans, pos = [], [], 0
    plain_len = 0
    stack = []
    for m in re.finditer(f"[{MARK_OPEN}{MARK_CLOSE}]", marked):
        chunk = marked[pos : m.start()]
        out.append(chunk)
        plain_len += len(chunk)
        if m.group() == MARK_OPEN:
            stack.append(plain_len)
        else:
            spans.append((stack.pop(), plain_len))
        pos = m.end()
    out.append(marked[pos:])
    assert not stack, "unbalanced markers"
    return "".join(out), sorted(spans)


def _cases():
    for path in sorted(FIXTURE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data.get("cases", []):
            yield pytest.param(data["rule"], data.get("config") or {}, case, id=f"{data['rule']}-{case['name']}")


_ENGINES: dict = {}


def _engine(code: str, config: dict):
    key = (code, repr(sorted(config.items())))
    if key not in _ENGINES:
        merged = {**config, "select": [code]}
        _ENGINES[key] = build_engine(from_mapping(merged, "<fixture>"))
    return _ENGINES[key]


@pytest.mark.parametrize("code,config,case", list(_cases()))
def test_rule_case(code: str, config: dict, case: dict) -> None:
    cfg = {**config, **(case.get("config") or {})}
    engine = _engine(code, cfg)
    text, marked = strip_markers(case["text"])
    path = f"<{code}-{case['name']}>"
    if case.get("format", "text") == "text":
        result = engine.check_text(text, path=path)
    else:  # a Markdown or HTML case: checked through its loader, spans in the raw text
        result = engine.check_document(load_document(SourceFile(path, text, case["format"]), engine.config))
    found = [f for f in result.findings if f.code == code]
    for f in found:  # a placeholder filled with the matched white space (TY012's count, issue 12)
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "Q", f.message)
        assert f.message == f.message.strip() and not re.search(r"\s\s", unquoted), f.message
    assert not result.errors, result.errors
    # a rule skipped for want of a service (backend) would pass every pass-case vacuously
    assert not engine.notices, engine.notices
    if case["expect"] == "pass":
        assert not found, [(f.text, f.message) for f in found]
        return
    assert case["expect"] == "flag", f"expect must be flag or pass, not {case['expect']!r}"
    assert found, f"expected {code} to flag {text!r}"
    if marked:
        assert sorted((f.start, f.end) for f in found) == marked, [(f.text, f.start, f.end) for f in found]
    if "suggest" in case:
        assert list(found[0].suggestions) == list(case["suggest"])
    if "message" in case:
        assert any(case["message"] in f.message for f in found), [f.message for f in found]
    if "severity" in case:
        assert {str(f.severity) for f in found} == {case["severity"]}
    if "fixed" in case:
        fixed = apply_fixes(text, found, unsafe=True)
        assert fixed == case["fixed"]
