"""The mt pack as a whole: lexicon-kind extensions, the article score and the seed article."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.api import build_engine
from checker.config import from_mapping
from checker.document import Document
from checker.phrases import Entry, PhraseMatcher, expand_inflections, verb_forms
from checker.kinds.acronym import spells
from checker.schema import SchemaError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "documents" / "seed_article.txt"

#: the codes this pack half owns (MT008 scrape residue belongs to the typography work)
MY_CODES = ("MT001", "MT002", "MT003", "MT004", "MT005", "MT006", "MT007", "MT009", "MT010")


# -- lexicon kind: guards and inflection ---------------------------------------------
def _hits(entries, text):
    return [(text[s.start : s.end], e.suggest) for s, e in PhraseMatcher(entries).finditer(text)]


def test_requires_after_keeps_only_guarded_matches():
    e = Entry(phrase="manifestation", suggest=("demonstration",), requires_after=r"\s+against")
    assert _hits([e], "a manifestation against the law") == [("manifestation", ("demonstration",))]
    assert _hits([e], "a manifestation of anger") == []


def test_requires_before_keeps_only_guarded_matches():
    e = Entry(phrase="in vigor", suggest=("in force",), requires_before=r"(?:law|curfew)\s+")
    assert _hits([e], "the curfew in vigor since May") == [("in vigor", ("in force",))]
    assert _hits([e], "an old man in vigor") == []


def test_not_before_and_requires_before_combine():
    e = Entry(phrase="actual government", suggest=("current government",), requires_before=r"the\s+", not_before=r"not\s+the\s+")
    assert _hits([e], "the actual government") == [("actual government", ("current government",))]
    assert _hits([e], "not the actual government") == []


def test_verb_forms_regular_and_irregular():
    assert verb_forms("realize") == ("realize", "realizes", "realized", "realized", "realizing")
    assert verb_forms("carry") == ("carry", "carries", "carried", "carried", "carrying")
    assert verb_forms("discuss") == ("discuss", "discusses", "discussed", "discussed", "discussing")
    assert verb_forms("hold") == ("hold", "holds", "held", "held", "holding")
    assert verb_forms("take")[2:4] == ("took", "taken")


def test_inflection_inflects_phrase_and_suggestions_together():
    e = Entry(phrase="realize a study", suggest=("carry out a study", "conduct a study"), inflect="verb")
    forms = {x.phrase: x.suggest for x in expand_inflections(e)}
    assert forms["realized a study"] == ("carried out a study", "conducted a study")
    assert forms["realizing a study"] == ("carrying out a study", "conducting a study")
    assert forms["realizes a study"] == ("carries out a study", "conducts a study")
    n = Entry(phrase="military society", suggest=("military convoy",), inflect="noun")
    assert {x.phrase: x.suggest for x in expand_inflections(n)}["military societies"] == ("military convoys",)


def test_inflected_form_listed_explicitly_wins():
    general = Entry(phrase="give a step", suggest=("take a step",), inflect="verb")
    explicit = Entry(phrase="gave a step", suggest=("took one step",))
    m = PhraseMatcher([general, explicit])
    assert m.entry_for("gave a step").suggest == ("took one step",)
    assert m.entry_for("gives a step").suggest == ("takes a step",)


def test_duplicate_entries_are_a_load_error():
    with pytest.raises(SchemaError):
        PhraseMatcher([Entry(phrase="give a step", suggest=("x",), inflect="verb"), Entry(phrase="Give a step", suggest=("y",))])


def test_bad_guard_regex_is_reported_by_warm_and_at_first_use():
    # guards are compiled when first needed (most never are in a run); warm(),
    # which the engine calls before checking, compiles and so checks them all
    m = PhraseMatcher([Entry(phrase="x y", suggest=("z",), requires_after="(")])
    with pytest.raises(SchemaError, match="bad context regex"):
        m.warm()
    with pytest.raises(SchemaError, match="bad context regex"):
        list(PhraseMatcher([Entry(phrase="x y", suggest=("z",), requires_after="(")]).finditer("a x y b"))


# -- acronym matching ---------------------------------------------------------------
FW = frozenset({"of", "the", "and", "for", "in"})


@pytest.mark.parametrize(
    "words,acr",
    [
        ("Libyan National Army", "lna"),
        ("Government of National Accord", "gna"),
        ("United Nations Support Mission in Libya", "unsmil"),
        ("Organisation for Economic Co-operation and Development", "oecd"),
        ("Hayat Tahrir al-Sham", "hts"),
        ("Department for International Development", "dfid"),
    ],
)
def test_spells(words, acr):
    assert spells(tuple(words.split()), acr, FW)


def test_scrambled_order_does_not_spell():
    assert not spells(("National", "Accord", "Government"), "gna", FW)


# -- the article score: tests/test_score.py; here only the seed against a clean text
CLEAN = (
    "The central bank raised interest rates by a quarter of a percentage point on Thursday, "
    "its third increase this year, saying inflation remained too high. The governor told reporters "
    "that the decision was unanimous and that further rises could not be ruled out. Markets had "
    "expected the move, and the currency was little changed after the announcement. Analysts said "
    "the bank was likely to pause in the summer to assess the effect on household spending.\n"
) * 3


def test_seed_scores_high_and_clean_article_low():
    engine = build_engine(from_mapping({"select": ["MT"]}, "<test>"))
    seed = engine.check_document(Document(SEED.read_text(encoding="utf-8"), path=str(SEED)))
    clean = engine.check_document(Document(CLEAN, path="clean.txt"))
    assert seed.score is not None and seed.score >= 60
    assert clean.findings == () and clean.score < 25  # no finding: at most the weak evidence of a repetitive text


def test_json_report_carries_the_score(cli):
    res = cli("check", str(SEED), "--select", "MT", "--format", "json")
    data = json.loads(res.stdout)
    (entry,) = data["files"]
    assert isinstance(entry["score"], float) and entry["score"] >= 60


# -- the seed article, end to end ------------------------------------------------------
SEED_EXPECTED = {
    ("MT001", "Hausers"),
    ("MT002", "campaign of a year"),
    ("MT002", "indoor air base"),
    ("MT002", "military society"),
    ("MT002", "declared anonymity"),
    ("MT002", "return to the political way"),  # inside a translated quotation: info
    ("MT004", "said he declared"),
    ("MT005", "support for"),
    ("MT005", "the Libya"),
    ("MT007", "de"),
    ("MT009", "National Accord Government"),
}


def test_seed_article_exact_findings_of_this_pack():
    engine = build_engine(from_mapping({"select": list(MY_CODES)}, "<test>"))
    text = SEED.read_text(encoding="utf-8")
    result = engine.check_document(Document(text, path=str(SEED)))
    assert not result.errors
    got = [(f.code, f.text) for f in result.findings]
    assert set(got) == SEED_EXPECTED
    # "support for" appears twice in the seed (both appositions to Egypt); everything else once
    assert sorted(got).count(("MT005", "support for")) == 2
    assert len(got) == len(SEED_EXPECTED) + 1
    quoted = [f for f in result.findings if f.text == "return to the political way"]
    assert [str(f.severity) for f in quoted] == ["info"] and quoted[0].fix is None
    flagged = {f.text for f in result.findings}
    # correct constructions in the seed that must stay quiet
    for ok in ("Libyan National Army", "el-Sisi", "al-Jarf", "Al Jazeera", "year-long campaign"):
        assert ok not in flagged


# -- generated data stays in step with its generator ----------------------------------
def test_foreign_word_tables_are_up_to_date():
    pytest.importorskip("wordfreq")
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_foreign_words.py"), "--check"], capture_output=True)
    assert res.returncode == 0, "rules/mt/foreign_words.tsv or english_words.txt is stale: run scripts/build_foreign_words.py"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "(GNA)",
        "(GNA) was formed.",
        "de",
        "La ville",
        "y",
        "北京",
        "“",
        "Said he declared",
        "National Accord Government (GNA",
        "A (B) (CD) (EFG)",
        "İstanbul İLÇE de la ville",
        "de\n\nla\n\nville",
    ],
)
def test_odd_inputs_never_crash(text):
    engine = build_engine(from_mapping({"select": list(MY_CODES)}, "<test>"))
    result = engine.check_document(Document(text, path="odd.txt"))
    assert not result.errors
    assert result.score is not None and 0.0 <= result.score <= 100.0


# -- the phrase matcher: word-run trie == the case-insensitive trie regex -------------
def _lexicon_matchers():
    from checker.kinds.untranslated import ForeignFragmentRule
    from checker.registry import load_ruleset

    ruleset, _ = load_ruleset(entry_points=False)
    out = [r.matcher for r in ruleset.rules if isinstance(getattr(r, "matcher", None), PhraseMatcher)]
    out += [r.loanwords for r in ruleset.rules if isinstance(r, ForeignFragmentRule)]
    return out


def test_phrase_matcher_gives_the_trie_regex_matches_on_random_text():
    """The word-run matcher must find exactly the spans the one big
    case-insensitive trie regex found (leftmost, longest, no overlap), on
    random mixtures of every shipped list's phrases, cut short, re-cased,
    with other separators and punctuation between and inside them."""
    import random

    rnd = random.Random(20261202)
    seps = [" ", "  ", "\n", " \t", "-", "‐", "'", "’", ",", ", ", ".", "!", "(", ")", "« ", "", "x", "_", " - "]
    matchers = _lexicon_matchers()
    assert len(matchers) >= 5
    for m in matchers:
        keys = sorted(m.literal)
        for _ in range(300):
            pieces = []
            for _ in range(rnd.randint(1, 8)):
                k = rnd.choice(keys)
                if rnd.random() < 0.3:
                    k = k.upper() if rnd.random() < 0.5 else k.title()
                if rnd.random() < 0.3:
                    k = k.replace(" ", rnd.choice([" ", "  ", "\n", "-", "’"]))
                if rnd.random() < 0.2:
                    k = k[: rnd.randint(0, len(k))]
                pieces += [k, rnd.choice(seps)]
            text = "".join(pieces)
            expected = [x.span() for x in m.regex.finditer(text) if x.end() > x.start()]
            assert list(m._spans(text, None)) == expected, text


def test_phrase_matcher_punctuation_around_phrases():
    entries = [Entry(phrase="please enter your comment!"), Entry(phrase="«la ville"), Entry(phrase="u.s."),
               Entry(phrase="etc"), Entry(phrase="etc."), Entry(phrase="rt.com"), Entry(phrase="!!!"),
               Entry(phrase="x", regex=True), Entry(phrase="name, email, and website")]
    text = "Please  enter your comment! « la ville» «la ville U.S. etc. etc, rt.com !!! x Name,\nemail, and website"
    m = PhraseMatcher(entries)
    assert [text[s.start : s.end] for s, _ in m.finditer(text)] == [x.group() for x in m.regex.finditer(text)]
    assert [text[s.start : s.end] for s, _ in m.finditer(text)] == [
        "Please  enter your comment!", "«la ville", "U.S.", "etc.", "etc", "rt.com", "!!!", "x", "Name,\nemail, and website"]


def test_untranslated_triggers_by_word_runs_equal_the_trigger_regexes():
    """MT007 finds its trigger words through the document's word runs; the
    regexes it compiles only for exotic text must give the same hits."""
    import random

    from checker.kinds.untranslated import ForeignFragmentRule
    from checker.registry import load_ruleset

    ruleset, _ = load_ruleset(entry_points=False)
    rule = next(r for r in ruleset.rules if isinstance(r, ForeignFragmentRule))
    rnd = random.Random(11)
    words = sorted(rule.words) + ["the", "fighters", "Hafter", "x", "año", "l'", "d’"]
    seps = [" ", "  ", "\n", "(", "[", "“", '"', "‘", "«", "—", "–", "/", "-", "'", "’", ".", ". ", ", ", "x", ""]
    for _ in range(2000):
        text = "".join(rnd.choice(words if rnd.random() < 0.7 else [w.capitalize() for w in words]) + rnd.choice(seps)
                       for _ in range(rnd.randint(1, 12)))
        doc = Document(text)
        by_runs = rule._hits(doc)
        doc.__dict__["word_runs"] = None  # force the regex path
        assert rule._hits(doc) == by_runs, text
