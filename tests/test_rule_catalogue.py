"""Meta-tests that keep the rule catalogue honest."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
import yaml

from checker.findings import CATEGORIES
from checker.registry import CODE_RE, NAME_RE, load_ruleset
from checker.rule import Status

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "rules"


@pytest.fixture(scope="module")
def catalogue():
    ruleset, errors = load_ruleset(entry_points=False)
    assert not errors, [str(e) for e in errors]
    return ruleset


def _fixture(code: str):
    path = FIXTURES / f"{code}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def test_builtin_packs_load_without_errors(catalogue):
    assert len(catalogue) > 0
    assert {p.pack for p in catalogue.packs} >= {"mt"}


def test_codes_and_names_are_unique_and_well_formed(catalogue):
    codes = Counter(r.meta.code for r in catalogue)
    names = Counter(r.meta.name for r in catalogue)
    assert not [c for c, n in codes.items() if n > 1]
    assert not [c for c, n in names.items() if n > 1]
    for r in catalogue:
        assert CODE_RE.match(r.meta.code), r.meta.code
        assert NAME_RE.match(r.meta.name), r.meta.name
        assert r.meta.name.startswith(r.meta.pack + ".")


def test_every_rule_has_summary_rationale_and_known_category(catalogue):
    for r in catalogue:
        m = r.meta
        assert m.summary and len(m.summary) < 140, m.code
        assert len(m.rationale) > 40, f"{m.code} needs a real rationale"
        assert m.category in CATEGORIES


def test_every_active_rule_has_flag_and_pass_cases(catalogue):
    for r in catalogue:
        if r.meta.status is Status.REMOVED:
            continue
        fx = _fixture(r.meta.code)
        assert fx is not None, f"fixtures/rules/{r.meta.code}.yaml is missing"
        kinds = Counter(c.get("expect") for c in fx.get("cases", []))
        assert kinds["flag"] >= 1, f"{r.meta.code} has no must-flag case"
        assert kinds["pass"] >= 1, f"{r.meta.code} has no must-not-flag case"


def test_every_fixture_names_a_real_rule_and_cases_are_well_formed(catalogue):
    for path in sorted(FIXTURES.glob("*.yaml")):
        fx = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert fx.get("rule") == path.stem, f"{path.name}: rule must be {path.stem}"
        assert catalogue.get(fx["rule"]) is not None, f"{path.name} names unknown rule {fx['rule']}"
        names = [c["name"] for c in fx["cases"]]
        assert len(names) == len(set(names)), f"{path.name}: duplicate case names"
        for c in fx["cases"]:
            assert set(c) <= {"name", "text", "expect", "suggest", "message", "severity", "fixed", "config", "format"}, (path.name, c["name"])
            assert c["expect"] in ("flag", "pass"), (path.name, c["name"])
            assert str(c["text"]).strip(), (path.name, c["name"])


def test_documented_options_exist(catalogue):
    """Options a rule file sets are declared fields of its kind's options dataclass."""
    for r in catalogue:
        opts = r.meta.options
        assert dataclasses.is_dataclass(opts), r.meta.code
        if r.meta.default_options is not None:
            assert isinstance(r.meta.default_options, opts)


def test_rule_files_have_no_stray_keys():
    """Every YAML rule file loads through its kind's schema (unknown keys fail)."""
    from checker.registry import load_pack_meta, load_rule

    for pack_dir in sorted(p for p in (ROOT / "rules").iterdir() if (p / "pack.yaml").is_file()):
        pack = load_pack_meta(pack_dir)
        for path in sorted(pack_dir.glob("*.yaml")):
            if path.name != "pack.yaml":
                load_rule(path, pack)  # raises RuleFileError on any problem


def test_explain_page_uses_fixture_examples(catalogue):
    from checker.docs import rule_page

    page = rule_page(catalogue.get("MT002"))
    assert "## Why it matters" in page and "## Examples" in page
    assert "**military society**" in page  # the first flag case, marker shown as bold


def test_generated_rule_docs_are_up_to_date():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_rule_page_says_where_its_pieces_live():
    """A newcomer finds a rule's YAML, kind code, data, fixture and page from `mtlint explain` (issue 13)."""
    from checker.docs import rule_files

    ruleset, _ = load_ruleset(())
    for rule in ruleset:
        where = dict(rule_files(rule))
        for label in ("rule file", "kind", "fixture", "page"):
            assert label in where, (rule.meta.code, label)
        for value in where.values():
            for piece in value.split("`")[1::2]:
                if "/" in piece and not piece.startswith("python "):
                    path = ROOT / piece
                    assert path.exists(), (rule.meta.code, piece)


def test_every_rule_file_is_named_after_its_rule():
    """`mt.garbled_term` lives in `rules/mt/garbled_term.yaml`: one rule per file, the file named by
    the dotted name's tail, so a newcomer finds a rule's file from its name (issue 13)."""
    ruleset, errors = load_ruleset(())
    assert not errors, [str(e) for e in errors]
    shipped = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "rules").glob("*/*.yaml")
        if p.name != "pack.yaml"
    )
    by_file = Counter(Path(r.meta.path).resolve().relative_to(ROOT).as_posix() for r in ruleset)
    assert sorted(by_file) == shipped, "every shipped rule file declares exactly the rules loaded"
    assert not [f for f, n in by_file.items() if n != 1], "one rule per file"
    wrong = [
        (Path(r.meta.path).name, r.meta.name)
        for r in ruleset
        if Path(r.meta.path).stem != r.meta.name.split(".")[-1] or Path(r.meta.path).parent.name != r.meta.pack
    ]
    assert not wrong, f"rename these rule files after their rule's dotted name: {wrong}"


def test_kinds_are_named_general_or_python_rules():
    """`mtlint explain`, the docs and `mtlint rules` say whether a rule's kind is a general kind
    (a new rule of it is only YAML) or a Python rule used by this rule only (issue 13)."""
    import json

    from conftest import run_cli

    from checker.docs import rule_files
    from checker.kinds import BUILTIN_KINDS, GENERAL_KINDS

    assert GENERAL_KINDS <= set(BUILTIN_KINDS)
    ruleset, _ = load_ruleset(())
    uses = Counter(r.meta.kind for r in ruleset if r.meta.status is not Status.REMOVED)
    assert uses["pattern"] > 1 and uses["headline_suffix"] == 1
    for rule in ruleset:
        kind = dict(rule_files(rule, ruleset))["kind"]
        n = uses[rule.meta.kind]
        if rule.meta.kind in GENERAL_KINDS:
            assert f"general kind ({n} rule" in kind, (rule.meta.code, kind)
        elif n == 1:
            assert "Python rule (kind used by this rule only)" in kind, (rule.meta.code, kind)
        else:
            assert "Python rule (kind shared by " in kind and rule.meta.code in kind, (rule.meta.code, kind)
    assert "Python rule (kind used by this rule only)" in run_cli("explain", "MT052").stdout
    assert f"general kind ({uses['pattern']} rules)" in run_cli("explain", "MT005").stdout
    table = run_cli("rules").stdout
    assert "headline_suffix (Python rule)" in table and f"pattern (general kind, {uses['pattern']} rules)" in table
    rows = {r["code"]: r for r in json.loads(run_cli("rules", "--format", "json").stdout)}
    assert (rows["MT052"]["kind_role"], rows["MT052"]["kind_rules"]) == ("python", 1)
    assert (rows["MT005"]["kind_role"], rows["MT005"]["kind_rules"]) == ("general", uses["pattern"])


_OPENED_BY_LOADING = r"""
import os, sys
opened = set()
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.add(os.path.realpath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from checker.registry import load_ruleset
ruleset, errors = load_ruleset(())
assert not errors, errors
for rule in ruleset:
    getattr(rule, "warm", lambda: None)()
print("\n".join(sorted(opened)))
"""


def test_every_shipped_data_file_is_read():
    """Data files that no rule reads leave the shipped packs (issue 13): every file under
    rules/ is a rule file, a pack.yaml, a README.md, a file a rule file names (its data), or
    a file a module opens when the built-in rules load and warm (the rules/data tables)."""
    import subprocess
    import sys

    from checker.docs import rule_files

    ruleset, errors = load_ruleset(())
    assert not errors, [str(e) for e in errors]
    named = set()
    for rule in ruleset:
        named.add(Path(rule.meta.path).resolve())
        data = dict(rule_files(rule)).get("data", "")
        named.update((ROOT / piece).resolve() for piece in data.split("`")[1::2])
    # a fresh process: the tables are loaded once per process (lru caches), so only a
    # new one shows every file the loading opens
    proc = subprocess.run([sys.executable, "-c", _OPENED_BY_LOADING], cwd=ROOT, capture_output=True, text=True, check=True)
    opened = {Path(p) for p in proc.stdout.splitlines()}
    rules_dir = (ROOT / "rules").resolve()
    assert any(p.parent == rules_dir / "data" for p in opened), "the audit hook saw no table being read"
    unread = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "rules").rglob("*")
        if p.is_file() and p.name not in ("pack.yaml", "README.md") and p.resolve() not in named | opened
    )
    assert not unread, f"shipped with the packs but read by no rule or module (move them out of rules/ or delete them): {unread}"
