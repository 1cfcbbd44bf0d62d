"""The public API (docs/api.md): ``import mtlint``, a reusable ``Checker``,
texts in every input format, ``Report.to_json()``; and every Python example
in docs/api.md, run in order as documented."""

from __future__ import annotations

import io
import os
import re

import pytest

from conftest import ROOT

API_DOC = ROOT / "docs" / "api.md"


def doc_blocks() -> list[str]:
    blocks = re.findall(r"^```python\n(.*?)^```", API_DOC.read_text(encoding="utf-8"), re.S | re.M)
    assert len(blocks) >= 5, "docs/api.md lost its examples"
    return blocks


def test_every_example_in_docs_api_md_runs(capsys):
    """The blocks share one namespace, as a reader following the page would."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    namespace: dict = {"__name__": "docs_api"}
    try:
        for i, block in enumerate(doc_blocks()):
            try:
                exec(compile(block, f"docs/api.md[python block {i + 1}]", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"docs/api.md python block {i + 1} failed: {exc!r}\n{block}") from exc
    finally:
        os.chdir(cwd)
    assert "Hausers" in capsys.readouterr().out


def test_import_mtlint_reexports_checker_api():
    import checker.api
    import mtlint

    for name in mtlint.__all__:
        assert hasattr(mtlint, name), name
    assert mtlint.Checker is checker.api.Checker and mtlint.Report is checker.api.Report
    assert (ROOT / "mtlint" / "py.typed").is_file() and (ROOT / "checker" / "py.typed").is_file()


def test_wheel_ships_both_packages():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert set(wheel["packages"]) == {"checker", "mtlint"}


def test_a_checker_builds_its_rules_once(monkeypatch):
    import checker.engine as engine
    import mtlint

    built = []
    real_runner, real_load = engine.RuleRunner, engine.load_ruleset

    class CountingRunner(real_runner):  # type: ignore[misc, valid-type]
        def __init__(self, *a, **kw):
            built.append("runner")
            super().__init__(*a, **kw)

    monkeypatch.setattr(engine, "RuleRunner", CountingRunner)
    monkeypatch.setattr(engine, "load_ruleset", lambda dirs: (built.append("ruleset"), real_load(dirs))[1])
    c = mtlint.Checker(select=["MT", "TY"])
    first = c.check_text("They destroyed Hausers.")
    after_first = list(built)
    assert after_first.count("ruleset") == 1 and after_first.count("runner") == 1
    for text, fmt in (("They destroyed Hausers.", "text"), ("# T\n\nThey destroyed Hausers.\n", "markdown"), ("<p>They destroyed Hausers.</p>", "html")):
        again = c.check_text(text, format=fmt)
        assert [f.code for f in again.findings] == [f.code for f in first.findings] == ["MT001"]
    assert built == after_first  # nothing rebuilt


def test_check_text_formats_and_offsets():
    import mtlint

    c = mtlint.Checker(select=["MT001"])
    cases = {
        "text": "They destroyed Hausers.",
        "markdown": "# Head\n\n*They* destroyed `Hausers` and Hausers.\n",
        "html": "<p>They destroyed <b>Hausers</b> &amp; <code>Hausers</code>.</p>",
    }
    for fmt, text in cases.items():
        r = c.check_text(text, format=fmt)
        assert r.format == fmt
        assert [text[f.span.start:f.span.end] for f in r.findings] == ["Hausers"], fmt  # never inside code
    assert c.check_text("x", path="a.md").format == "markdown"
    assert c.check_text("x", path="a.md", format="text").format == "text"
    with pytest.raises(ValueError, match="unknown format 'rtf'"):
        c.check_text("x", format="rtf")  # type: ignore[arg-type]
    empty = c.check_text("   \n")
    assert not empty.findings and [e.kind for e in empty.errors] == ["empty"]


def test_report_to_json_is_the_json_formatters_bytes():
    from checker.api import RunOptions, run
    from checker.formatters import FormatOptions, get_formatter

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report = run(["fixtures/documents"], RunOptions(cache=False))
    finally:
        os.chdir(cwd)
    buf = io.StringIO()
    get_formatter("json").render(report, buf, FormatOptions())
    assert report.to_json() == buf.getvalue()
    assert report.to_json().encode("utf-8") == buf.getvalue().encode("utf-8")
    import json

    files = json.loads(report.to_json())["files"]
    assert [json.loads(r.to_json()) for r in report.files] == files


def test_config_sources(tmp_path):
    import mtlint

    cfg = tmp_path / ".mtlint.toml"
    cfg.write_text('select = ["TY030"]\n', encoding="utf-8")
    for config in (str(cfg), cfg, {"select": ["TY030"]}, mtlint.Config(select=("TY030",))):
        r = mtlint.Checker(config).check_text("They destroyed Hausers in the the city.")
        assert [f.code for f in r.findings] == ["TY030"], config
    with pytest.raises(mtlint.ConfigError):
        mtlint.Checker(tmp_path / "missing.toml")
    with pytest.raises(TypeError):
        mtlint.Checker(42)  # type: ignore[arg-type]
    # no config file is looked for: a pyproject in the current folder does not apply
    (tmp_path / "pyproject.toml").write_text('[tool.mtlint]\nselect = ["TY030"]\n', encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = mtlint.Checker().check_text("They destroyed Hausers in the the city.")
    finally:
        os.chdir(cwd)
    assert {f.code for f in r.findings} >= {"MT001", "TY030"}
