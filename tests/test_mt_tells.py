"""Issue 13's rules beyond their fixture files: headings from Markdown, the fluency table, warm()."""

from __future__ import annotations

import json
from pathlib import Path

from checker.api import build_engine
from checker.cli import main
from checker.config import Config, merge
from checker.kinds.fluency import load_phrase_table

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "rules" / "mt" / "phrase_pairs.bin.gz"


def _codes(capsys, path: Path, select: str) -> list[tuple[str, str]]:
    main(["check", "-f", "json", "--select", select, str(path)])
    data = json.loads(capsys.readouterr().out)
    return [(f["rule"], f["text"]) for f in data["files"][0]["findings"]]


def test_markdown_heading_with_full_stop(tmp_path, capsys):
    md = tmp_path / "story.md"
    md.write_text("# The ministry unveils a plan for rural schools.\n\nThe plan covers 300 schools.\n", encoding="utf-8")
    assert _codes(capsys, md, "MT054") == [("MT054", ".")]


def test_markdown_lede_without_heading_is_not_a_headline(tmp_path, capsys):
    # the source marks up no heading: a Markdown body's first paragraph is never taken for a headline
    md = tmp_path / "body.md"
    md.write_text("Rural schools get a plan.\n\nThe plan covers 300 schools.\n", encoding="utf-8")
    assert _codes(capsys, md, "MT054") == []


def test_phrase_table_knows_common_pairs():
    table = load_phrase_table(str(TABLE))
    idx = table.index
    assert len(idx) > 10_000 and len(table.pairs) > 200_000
    assert table.attested(idx["global"], idx["warming"])
    assert table.attested(idx["prime"], idx["minister"])
    assert not table.attested(idx["worldwide"], idx["warming"])
    assert "wordsegment" in table.header["source"]


def test_fluency_metrics_are_plain_data_and_warm_loads_the_table():
    engine = build_engine(merge(Config(), {"select": ("MT058",)}))
    rule = next(p.rule for p in engine.rules if p.rule.meta.code == "MT058")
    rule.warm()  # the engine's pre-fork hook: must not fail and must leave the table cached
    result = engine.check_text("The prime minister said on Tuesday that the government would raise taxes next year.")
    fluency = dict(result.metrics)["fluency"]
    assert json.loads(json.dumps(fluency)) == fluency
    assert fluency["pairs"] >= 5 and 0.0 <= fluency["unattested_share"] < 0.3


def test_every_kind_has_a_warm_hook():
    engine = build_engine(merge(Config(), {"select": ("ALL",)}))
    for p in engine.rules:
        warm = getattr(p.rule, "warm", None)
        if warm is not None:
            warm()
