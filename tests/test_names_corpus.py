"""Names across files (issue 9): entity anchoring, the fix policy, the table contract.

Every text here is written for the test.  The pairs in
``CORPUS_FALSE_MERGES`` are the shapes that fooled the old token-level
cross-file phase on the clean news corpus (one file per article): they are
used in sentences of our own, never the corpus text.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import msgpack
import pytest

from checker import names
from checker.api import RunOptions, build_engine, run
from checker.cli import main
from checker.config import from_mapping
from checker.document import Document
from checker.findings import Applicability
from checker.loaders import load_document, read_source
from checker.names import corpus
from checker.names.entities import TABLE_VERSION
from checker.names.policy import SAFE_RATIO, Scope, fix_applicability
from checker.names.registry import Registry, load_registry
from checker.rule import RuleContext


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _nm_findings(folder: Path, *, select: str = "NM001", config: str | None = None):
    report = run([str(folder)], RunOptions(overrides={"select": (select,)}, config_path=config))
    assert not [e for e in report.errors if e.fatal], report.errors
    return [(Path(r.path).name, f) for r in report.files for f in r.findings]


# -- the fix policy, branch by branch -----------------------------------------------
def test_fix_policy_branches():
    safe, unsafe = Applicability.SAFE, Applicability.UNSAFE
    # 1. the registry lists the spelling: safe wherever it is
    assert fix_applicability(Scope.REGISTRY) is safe
    # 2. cross-file: never safe, whatever the counts
    assert fix_applicability(Scope.CORPUS, head_count=100, variant_count=1) is unsafe
    # 3. similar to a registry canonical spelling the article does not use: unsafe
    assert fix_applicability(Scope.CANONICAL, head_count=0, variant_count=1) is unsafe
    # 4. in the article: a clear majority and a rare variant
    assert fix_applicability(Scope.ARTICLE, head_count=SAFE_RATIO, variant_count=1) is safe
    assert fix_applicability(Scope.ARTICLE, head_count=SAFE_RATIO - 1, variant_count=1) is unsafe  # 2:1
    assert fix_applicability(Scope.ARTICLE, head_count=1, variant_count=1) is unsafe  # a tie
    assert fix_applicability(Scope.ARTICLE, head_count=6, variant_count=2) is safe
    assert fix_applicability(Scope.ARTICLE, head_count=5, variant_count=2) is unsafe
    # the variant is itself an established name (Hoffmann, Martyn): never safe
    assert fix_applicability(Scope.ARTICLE, head_count=9, variant_count=1, variant_zipf=2.9) is unsafe


def _article(text: str, config: dict | None = None):
    engine = build_engine(from_mapping({**(config or {}), "select": ["NM001"]}, "<test>"))
    return [f for f in engine.check_text(text).findings if f.code == "NM001"]


@pytest.mark.parametrize(
    "text,expected",
    [
        # 3:1 with a rare variant: safe
        ("Khalifa Haftar spoke. Haftar left. Haftar returned. Later Hifter was seen.", "safe"),
        # 2:1: unsafe
        ("Khalifa Haftar spoke. Haftar left. Later Hifter was seen.", "unsafe"),
        # 1:1, a tie: unsafe (the first mention wins the suggestion, not the fix)
        ("Reporters met Haftar in the morning and Hifter in the evening.", "unsafe"),
        # 4:1 but the variant is an established surname (a BBC typo shape): unsafe
        ("Dustin Hoffman won. Hoffman smiled, Hoffman waved, Hoffman left. Then Hoffmann spoke.", "unsafe"),
    ],
)
def test_in_article_fix_safety(text, expected):
    found = _article(text)
    assert found, text
    assert {f.fix.applicability.value for f in found} == {expected}


def test_registry_variant_is_a_safe_fix_in_any_file_and_similarity_is_not(tmp_path):
    _write(tmp_path, {
        ".mtlint.toml": '[names]\nregistry = "names.toml"\n',
        "names.toml": '[[name]]\ncanonical = "Muammar Gaddafi"\nvariants = ["Muammar Qaddafi"]\n',
        "a.txt": "Qaddafi ruled for decades. Qaddafi fell in 2011.\n",  # listed variant, in a file alone
        "b.txt": "Supporters of Gadhafi marched in Sirte on Friday.\n",  # similar to the canonical, not listed
    })
    got = {(name, f.text, f.fix.applicability.value) for name, f in _nm_findings(tmp_path)}
    assert got == {("a.txt", "Qaddafi", "safe"), ("b.txt", "Gadhafi", "unsafe")}
    # one file alone gets the registry's safe fix too
    report = run([str(tmp_path / "a.txt")], RunOptions(overrides={"select": ("NM001",)}))
    assert [(f.text, f.fix.applicability.value) for f in report.findings] == [("Qaddafi", "safe")] * 2


# -- across files: anchored entities only ------------------------------------------------
def test_cross_file_needs_an_anchored_entity_and_is_never_safe(tmp_path):
    _write(tmp_path, {
        "a.txt": "Muammar Gaddafi addressed the crowd. Gaddafi promised reforms.\n",
        "b.txt": "Muammar Gaddafi met envoys in Tripoli, and Gaddafi smiled.\n",
        "c.txt": "Muammar Qaddafi arrived late. Qaddafi's motorcade left at noon.\n",
        # the same surname variant without a given name: a lone word, never matched across files
        "d.txt": "A shop owner named Qaddafi sold lamps in Leeds.\n",
        # the same shape with a common anchor and two established given names: two people
        "e.txt": "Martin Williams chaired the meeting. Williams spoke first.\n",
        "f.txt": "Martyn Williams scored a try. Williams was cheered.\n",
        "g.txt": "Martyn Williams kicked the winning goal.\n",
        # a rare anchor ties two established spellings (the Elliot/Eliot Spitzer)
        "h.txt": "Eliot Spitzer resigned. Spitzer apologised.\n",
        "i.txt": "Elliot Spitzer was governor. Spitzer later ran again. Elliot Spitzer lost.\n",
        "j.txt": "Elliot Spitzer gave a speech.\n",
    })
    found = _nm_findings(tmp_path)
    got = sorted((name, f.text, f.suggestions[0]) for name, f in found)
    assert got == [("c.txt", "Qaddafi", "Gaddafi"), ("c.txt", "Qaddafi", "Gaddafi"), ("h.txt", "Eliot", "Elliot")]
    for _, f in found:
        assert f.data["cross_file"] is True and f.data["scope"] == "corpus"
        assert f.fix is not None and f.fix.applicability is Applicability.UNSAFE
        assert f.data["evidence"]


def test_context_anchors_an_entity_when_both_words_differ(tmp_path):
    story = "The talks in {city} involved {name}, Fayez al-Sarraj and Aguila Saleh; {short} left for Sirte.\n"
    _write(tmp_path, {
        "a.txt": story.format(city="Tripoli", name="Muammar Gaddafi", short="Gaddafi"),
        "b.txt": story.format(city="Benghazi", name="Muammar Gaddafi", short="Gaddafi"),
        "c.txt": story.format(city="Misrata", name="Moammar Qaddafi", short="Qaddafi"),
        # the same pair of spellings in a story that shares no names: not linked
        "d.txt": "Moammar Qaddafi, a chef, opened a restaurant in Lyon with Pierre Dubois.\n",
    })
    got = sorted({(name, f.text) for name, f in _nm_findings(tmp_path)})
    assert got == [("c.txt", "Moammar"), ("c.txt", "Qaddafi")]


#: cross-file false merges of the old token-level phase on the clean news corpus (pairs only)
CORPUS_FALSE_MERGES = [
    ("Hughes", "Hugues"), ("Harry", "Hari"), ("Sutton", "Southan"), ("Kiely", "Kelly"), ("Carroll", "Carol"),
    ("Daniela", "Danniella"), ("Mendis", "Mondays"), ("Brixton", "Brookstein"), ("Fiennes", "Phinnaeus"),
    ("Comair", "Kumar"), ("Tindall", "Tyndall"), ("Turner", "Turnour"), ("Lleyton", "Luton"), ("Woman", "Weyman"),
    ("Right", "Riggott"), ("Johnson", "Johansson"), ("Scholz", "Scholes"), ("Laursen", "Larsson"), ("Press", "Pires"),
    ("Tony", "Toni"), ("Size", "Cisse"), ("Corner", "Curnier"), ("Davis", "Davies"), ("Curry", "Corry"),
    ("Hazel", "Hazell"), ("Dowson", "Dawson"), ("Roddick", "Ruddock"), ("Carroll", "Karol"), ("Brian", "Bryan"),
    ("Cannes", "Canas"), ("Natalie", "Nathalie"), ("Gartner", "Gardner"), ("Gisela", "Giselle"), ("Tories", "Dorries"),
    ("Senderos", "Centers"), ("Alexander", "Aleksander"), ("Benitez", "Benitas"), ("India", "Hindia"),
    ("Gammell", "Kamal"), ("Love", "Lowe"), ("Charles", "Carles"), ("Nomar", "Neymar"), ("Court", "Kurt"),
    ("School", "Scholl"), ("Queen", "Quinn"), ("Martin", "Martyn"), ("Calais", "Gallas"), ("Human", "Hamann"),
    ("Alan", "Allan"), ("Paterson", "Patterson"), ("Count", "Cent"),
]
_GIVEN = ["Peter", "Laura", "Samuel", "Ingrid", "Tomasz", "Yusuf", "Miriam", "Duncan", "Akira", "Rosa"]


def test_corpus_false_merges_stay_apart_across_files(tmp_path):
    rnd = random.Random(9)
    files = {}
    for i, (a, b) in enumerate(CORPUS_FALSE_MERGES):
        # the frequent spelling in two stories, the other in a third; lone and with other given names
        files[f"p{i:02d}a.txt"] = f"Officials said {a} had agreed. Later {a} repeated it to {rnd.choice(_GIVEN)} Moreau.\n"
        files[f"p{i:02d}b.txt"] = f"{rnd.choice(_GIVEN)} {a} arrived on Tuesday, and {a} waved.\n"
        files[f"p{i:02d}c.txt"] = f"Fans cheered when {rnd.choice(_GIVEN)} {b} appeared. {b} thanked them.\n"
    _write(tmp_path, files)
    cross = [(n, f.text) for n, f in _nm_findings(tmp_path) if f.data.get("cross_file")]
    assert cross == []


def test_fix_over_a_folder_changes_no_name(tmp_path, capsys):
    files = {
        "a.txt": "Muammar Gaddafi addressed the crowd. Gaddafi promised reforms.\n",
        "b.txt": "Muammar Gaddafi met envoys in Tripoli, and Gaddafi smiled.\n",
        "c.txt": "Muammar Qaddafi arrived late. Qaddafi's motorcade left at noon.\n",  # cross-file: unsafe
        "d.txt": "Reporters met Haftar in the morning and Hifter in the evening.\n",  # a tie: unsafe
        "e.txt": "Khalifa Haftar spoke. Haftar left. Later Hifter was seen.\n",  # 2:1: unsafe
        "f.txt": "Martin scored twice. Martyn replied with a try.\n",  # two people
    }
    _write(tmp_path, files)
    assert main(["check", "--select", "NM", "--fix", str(tmp_path)]) in (0, 1)
    capsys.readouterr()
    for name, text in files.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    # the same folder with --diff: nothing to change
    assert main(["check", "--select", "NM", "--diff", str(tmp_path)]) in (0, 1)
    assert "+++" not in capsys.readouterr().out
    # --unsafe-fixes is how a person applies them after reading the report
    main(["check", "--select", "NM", "--fix", "--unsafe-fixes", str(tmp_path / "c.txt"), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    capsys.readouterr()
    assert (tmp_path / "c.txt").read_text(encoding="utf-8").startswith("Muammar Gaddafi arrived late. Gaddafi's")


# -- the table contract (collect -> check_corpus) ------------------------------------------
def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_collect_returns_compact_plain_data_in_decoded_file_coordinates(tmp_path):
    md = tmp_path / "story.md"
    md.write_text("# The *Libya* talks\n\nMuammar **Gaddafi** spoke in [Tripoli](https://x.example). Gaddafi left.\n", encoding="utf-8")
    doc = load_document(read_source(str(md)))
    table = names.collect(doc, Registry.empty())
    assert _plain(table)
    assert json.loads(json.dumps(table)) == table
    assert table == names.collect(load_document(read_source(str(md))), Registry.empty())  # deterministic
    assert max(len(s) for s in _strings(table)) < 30  # name words only: no sentences, no article text
    raw = doc.raw
    (words, count, spans), = [e for e in table["entities"] if e[0] == ["muammar", "gaddafi"]]
    assert count == 2
    assert [raw[s:e] for s, e, _ in spans] == ["Muammar", "Gaddafi", "Gaddafi"]
    # the block keys the reduce indexes entities by: of each entity's first and last word, sorted
    assert table["v"] == TABLE_VERSION
    assert table["blocks"] == {k: names.make_spelling(k).block for k in ("gaddafi", "muammar")}
    assert list(table["blocks"]) == sorted(table["blocks"])


def test_check_corpus_is_a_pure_function_of_the_tables(tmp_path):
    texts = {
        "a.txt": "Muammar Gaddafi spoke. Gaddafi left.\n",
        "b.txt": "Muammar Gaddafi met envoys. Gaddafi smiled.\n",
        "c.txt": "Muammar Qaddafi arrived late. Qaddafi waved.\n",
    }
    engine = build_engine(from_mapping({"select": ["NM001"]}, "<test>"))
    rule = engine.ruleset.by_code["NM001"]
    tables = {}
    for name, text in texts.items():
        doc = Document(text, path=name)
        ctx = RuleContext(meta=rule.meta, doc=doc, services={"names:registry": Registry.empty()})
        tables[name] = rule.collect(doc, ctx)
    ctx = RuleContext(meta=rule.meta, doc=None, services={"names:registry": Registry.empty()})
    first = rule.check_corpus(tables, ctx)
    shuffled = dict(reversed(list(json.loads(json.dumps(tables)).items())))
    again = rule.check_corpus(shuffled, ctx)
    assert first == again
    assert sorted(first) == ["c.txt"]
    assert [texts["c.txt"][f.span.start : f.span.end] for f in first["c.txt"]] == ["Qaddafi", "Qaddafi"]


# -- mtlint names: the same path as the rule, counts and files --------------------------------
def test_names_command_uses_the_rule_path_and_writes_a_reviewable_registry(tmp_path, capsys):
    _write(tmp_path, {
        "a.txt": "Muammar Gaddafi addressed the crowd. Gaddafi promised reforms.\n",
        "b.txt": "Muammar Gaddafi met envoys in Tripoli, and Gaddafi smiled.\n",
        "c.txt": "Muammar Qaddafi arrived late. Qaddafi's motorcade left at noon.\n",
        "d.txt": "Khalifa Haftar spoke. Haftar left. Haftar returned. Later Hifter was seen.\n",
        "e.txt": "A shop owner named Qaddafi sold lamps in Leeds.\n",
    })
    out = tmp_path / "names.toml"
    assert main(["names", str(tmp_path), "--format", "json", "--write-registry", str(out)]) == 0
    clusters = {c["canonical"]: c for c in json.loads(capsys.readouterr().out)["clusters"]}
    gaddafi = clusters["Gaddafi"]
    assert gaddafi["count"] == 4 and [Path(p).name for p in gaddafi["files"]] == ["a.txt", "b.txt"]
    (q,) = gaddafi["variants"]
    # the lone word in e.txt is counted with the spelling, but it is the anchored c.txt that linked it
    assert (q["spelling"], q["scope"]) == ("Qaddafi", "corpus")
    assert {Path(p).name for p in q["files"]} >= {"c.txt"}
    haftar = clusters["Haftar"]
    assert [(v["spelling"], v["count"], v["scope"]) for v in haftar["variants"]] == [("Hifter", 1, "article")]
    text = out.read_text(encoding="utf-8")
    assert "# Gaddafi: 4x in 2 file(s)" in text and "c.txt" in text
    reg = load_registry(out)
    assert reg.canonical_of("qaddafi") == "Gaddafi" and reg.canonical_of("hifter") == "Haftar"
    # with that registry, the lone Qaddafi in e.txt is a listed variant: reported, safe
    (tmp_path / ".mtlint.toml").write_text(f'[names]\nregistry = "{out.name}"\n', encoding="utf-8")
    got = {(n, f.text, f.fix.applicability.value) for n, f in _nm_findings(tmp_path, config=str(tmp_path / ".mtlint.toml"))}
    assert ("e.txt", "Qaddafi", "safe") in got


def test_names_command_output_is_identical_across_runs(tmp_path, capsys):
    _write(tmp_path, {f"s{i}.txt": f"Muammar {'Gaddafi' if i % 3 else 'Qaddafi'} spoke in Sirte. Gaddafi left.\n" for i in range(12)})
    main(["names", str(tmp_path), "--format", "json"])
    first = capsys.readouterr().out
    main(["names", str(tmp_path), "--format", "json"])
    assert capsys.readouterr().out == first


def test_reduce_tolerates_empty_and_missing_tables():
    empty = {"v": TABLE_VERSION, "words": {}, "entities": [], "blocks": {}, "links": [], "context": [], "common": []}
    clusters = names.reduce({"a": {}, "b": empty}, Registry.empty())
    assert clusters.links == () and clusters.clusters == ()
    assert names.corpus_decisions(clusters, {"a": {}}) == {}


# -- the tables carry the spelling keys the reduce needs (it runs serially after the workers) --
_GADDAFI = {
    "a.txt": "Muammar Gaddafi spoke in Sirte. Gaddafi left. Khalifa Haftar and Fayez Sarraj met.\n",
    "b.txt": "Muammar Gaddafi met envoys. Gaddafi smiled. Recep Tayyip Erdogan called.\n",
    "c.txt": "Muammar Qaddafi arrived late. Qaddafi waved. Boris Johnson wrote.\n",
}


def _tables(texts: dict[str, str]) -> dict[str, dict]:
    return {name: names.collect(Document(text, path=name), Registry.empty()) for name, text in texts.items()}


def test_reduce_reads_block_keys_from_the_tables_and_computes_none(monkeypatch):
    tables = _tables(_GADDAFI)
    expected = names.reduce(tables, Registry.empty())
    assert [(link.variant, link.head) for link in expected.links] == [(("muammar", "qaddafi"), ("muammar", "gaddafi"))]
    asked: list[str] = []
    real = corpus.make_spelling

    def spy(text, *args):
        asked.append(text)
        return real(text, *args)

    monkeypatch.setattr(corpus, "make_spelling", spy)
    assert names.reduce(tables, Registry.empty()) == expected
    # only the one pair of entities it compares is spelled out in full (``_decide``), not every entity's words
    assert sorted(asked) == ["gaddafi", "qaddafi"]
    # with no candidate pair it computes no key at all
    monkeypatch.setattr(corpus, "make_spelling", lambda *a: pytest.fail("reduce computed a spelling key"))
    alone = {k: v for k, v in tables.items() if k != "c.txt"}
    assert names.reduce(alone, Registry.empty()).links == ()
    # and the keys it indexes by are the tables' own: another block for Qaddafi, no candidate pair
    tables["c.txt"] = {**tables["c.txt"], "blocks": {**tables["c.txt"]["blocks"], "qaddafi": "?"}}
    assert names.reduce(tables, Registry.empty()).links == ()


def test_reduce_refuses_a_table_of_another_version():
    tables = _tables(_GADDAFI)
    old = {k: v for k, v in tables["c.txt"].items() if k != "blocks"}
    with pytest.raises(ValueError, match="names table version 1, expected 2"):
        names.reduce({**tables, "c.txt": {**old, "v": 1}}, Registry.empty())


def test_a_cache_written_with_tables_of_the_old_version_is_never_read(tmp_path, monkeypatch, count_checks):
    """Tables without block keys (version 1) were written under cache layout 2; the
    layout keys every entry, so a run of this version checks every file again."""
    from checker import cache as cache_module
    from checker.engine import Engine, RunOptions
    from checker.formatters import FormatOptions, get_formatter

    def render(**kw) -> str:
        buf = io.StringIO()
        get_formatter("json").render(Engine(RunOptions(jobs=1, **kw)).run([str(folder)]), buf, FormatOptions())
        return buf.getvalue()

    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder, _GADDAFI)
    stored = tmp_path / "cache"
    real = names.to_table

    def old_table(doc, found, links):
        table = real(doc, found, links)
        del table["blocks"]
        return {**table, "v": 1}

    # the code before: layout 2, tables of version 1
    layout = cache_module.LAYOUT
    monkeypatch.setattr(cache_module, "LAYOUT", 2)
    monkeypatch.setattr(names, "to_table", old_table)
    render(cache_dir=str(stored))
    assert len(count_checks) == 3
    (entry,) = {p.read_bytes() for p in stored.glob("v2/*/*.msgpack") if b"Qaddafi" in p.read_bytes()}
    collected = msgpack.unpackb(msgpack.unpackb(entry, raw=False)["collected"], raw=False)
    assert collected["NM001"]["v"] == 1 and "blocks" not in collected["NM001"]
    monkeypatch.setattr(cache_module, "LAYOUT", layout)  # (not undo(): count_checks spies through it too)
    monkeypatch.setattr(names, "to_table", real)

    warm = render(cache_dir=str(stored))
    assert len(count_checks) == 6, "an entry of the old layout served a file"
    assert '"rule-crash"' not in warm
    again = render(cache_dir=str(stored))
    assert again == warm and len(count_checks) == 6  # the new entries are hits
    assert warm == render(cache=False)
    assert json.loads(warm)["summary"]["findings"] >= 2
