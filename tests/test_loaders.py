"""Markdown and HTML loaders: the prose projection and its exact source map."""

from __future__ import annotations

import re

import pytest

from checker.api import RunOptions, run
from checker.loaders import SourceFile, load_document
from checker.loaders.html import project as project_html
from checker.loaders.markdown import project as project_md
from checker.spans import LineIndex, Span
from io_helpers import DOCS, write_config


def _words(text: str, smap, raw: str) -> list[tuple[str, str]]:
    out = []
    for m in re.finditer(r"[^\s.,]+", text):
        s = smap.span_to_raw(Span(*m.span()))
        out.append((m.group(), raw[s.start : s.end]))
    return out


def _assert_verbatim_words_map_exactly(text, smap, raw, allowed_differences=()):
    for projected, original in _words(text, smap, raw):
        if projected != original:
            assert (projected, original) in allowed_differences, (projected, original)


MD = """---
title: "Forces destroyed Hausers"
description: A report from Sirte
tags: [Hausers]
date: 2020-06-08
---

# Libya *news* update

Text with `Hausers code` and a [link text](http://example.com/Hausers_(b) "Hausers") here,
then <https://example.com/Hausers> and https://example.org/Hausers. and &amp; \\*stars\\*.

- first item
- second item with Hausers in it
  continued on a second line

<!-- Hausers in a comment -->

```
Hausers in a code block
```

    Hausers in an indented code block

| head | cell |
|------|------|
| a Hausers | b |
"""


def test_markdown_projection_skips_markup_code_links_and_comments():
    text, smap, paragraphs, front, headings = project_md(MD)
    assert text.count("Hausers") == 3  # title, list item, table cell
    assert "http" not in text and "code block" not in text and "comment" not in text
    assert "link text" in text and "*" not in text.replace("*stars*", "")
    assert "2020" not in text and "Sirte" in text  # only the title and description fields
    assert front["tags"] == ["Hausers"]
    # every paragraph is one block; blocks are separated by a blank line
    assert all("\n\n" not in text[p.start : p.end] for p in paragraphs)
    assert [text[p.start : p.end] for p in paragraphs][:3] == ["Forces destroyed Hausers", "A report from Sirte", "Libya news update"]
    # the source's own headings are known to rules (a "#" heading is not a stray headline)
    assert [text[h.start : h.end] for h in headings] == ["Libya news update"]


def test_markdown_every_word_maps_back_to_its_raw_text():
    text, smap, _, _, _ = project_md(MD)
    _assert_verbatim_words_map_exactly(
        text, smap, MD,
        allowed_differences={("code", "`Hausers code`"), ("link", "<https://example.com/Hausers>"),
                             ("link", "https://example.org/Hausers"), ("&", "&amp;"), ("*stars*", "\\*stars\\*")},
    )


def test_finding_in_markdown_list_item_with_front_matter_has_exact_line_and_column(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "article.md"
    f.write_text(MD, encoding="utf-8")
    report = run([str(f)], RunOptions())
    found = [(x.code, x.line, x.column, x.end_line, x.end_column, x.text) for x in report.findings if x.code == "TX001"]
    raw_lines = MD.splitlines()
    assert raw_lines[13] == "- second item with Hausers in it"
    assert ("TX001", 14, 20, 14, 27, "Hausers") in found  # the list item
    assert ("TX001", 2, 26, 2, 33, "Hausers") in found  # the front-matter title
    assert len(found) == 3  # + the table cell; nothing from code, links, comments, tags
    for x in report.findings:
        assert MD[x.span.start : x.span.end] == x.text
        assert LineIndex(MD).line_col(x.span.start) == (x.line, x.column)


def test_markdown_crlf_and_bom_keep_columns(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "crlf.md"
    body = "# Title\r\n\r\nSome  text with Hausers.\r\n"
    f.write_bytes(b"\xef\xbb\xbf" + body.encode())
    report = run([str(f)], RunOptions())
    got = {(x.code, x.line, x.column) for x in report.findings}
    assert got == {("TX002", 3, 5), ("TX001", 3, 17)}


def test_markdown_front_matter_block_scalar_and_broken_yaml():
    md = "---\ntitle: >\n  Folded title with\n  Hausers inside\ndescription: 'it''s quoted'\n---\n\nBody.\n"
    text, smap, _, _, _ = project_md(md)
    assert text.startswith("Folded title with Hausers inside")
    i = text.index("Hausers")
    s = smap.span_to_raw(Span(i, i + 7))
    assert md[s.start : s.end] == "Hausers"
    assert "it's quoted" in text
    broken = "---\ntitle: [unclosed\n---\n\nBody text.\n"
    text, _, _, front, _ = project_md(broken)
    assert text == "Body text." and front == {}


HTML = """<!DOCTYPE html>
<html><head><title>Libya &amp; news</title><style>p { content: "Hausers" }</style></head>
<body>
<header><nav><a href="/Hausers">Home</a></nav></header>
<article>
<h1>Haftar&rsquo;s forces</h1>
<p class="Hausers">Forces   destroyed
   a military <b>society</b> that included <a href="x">Hausers</a> &amp; tanks&#8212;and more.</p>
<ul><li>Item one<li>Item two with Hausers</ul>
<figure><img src="a.jpg" alt="Hausers"><figcaption>A caption</figcaption></figure>
<script>var x = "<p>Hausers</p>";</script>
<!-- Hausers -->
<table><caption>Table caption</caption><tr><td>cell Hausers</td></tr></table>
</article>
<aside>Hausers aside</aside>
<footer>Please enter your comment!</footer>
</body></html>
"""


def test_html_projection_blocks_entities_and_skipped_elements():
    text, smap, paragraphs, meta, headings = project_html(HTML)
    blocks = [text[p.start : p.end] for p in paragraphs]
    assert blocks == [
        "Haftar\u2019s forces",
        "Forces destroyed a military society that included Hausers & tanks\u2014and more.",
        "Item one",
        "Item two with Hausers",
        "A caption",
        "Table caption",
        "cell Hausers",
    ]
    assert meta["headline"] == "Libya & news"
    assert [text[h.start : h.end] for h in headings] == ["Haftar\u2019s forces"]
    words = dict(_words(text, smap, HTML))
    assert words["&"] == "&amp;"  # an entity maps to its whole raw run
    assert words["Haftar\u2019s"] == "Haftar&rsquo;s"
    assert words["tanks\u2014and"] == "tanks&#8212;and"


def test_html_findings_report_raw_positions(tmp_path):
    write_config(tmp_path)
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    report = run([str(f)], RunOptions())
    got = sorted((x.code, x.line, x.column, x.text) for x in report.findings)
    assert got == [
        ("TX001", 8, 56, "Hausers"),
        ("TX001", 9, 35, "Hausers"),
        ("TX001", 13, 53, "Hausers"),
        ("TX003", 8, 6, "military <b>society"),
    ]
    convoy = next(x for x in report.findings if x.code == "TX003")
    assert convoy.fix is None  # its raw text is not the projected text: no blind edit across markup


@pytest.mark.parametrize(
    "raw",
    [
        "<p>unclosed <b>bold <i>italic</p><div>after",
        "<p>a &bogus; entity &#xZZ; and & alone</p>",
        "<script>never closed",
        "</p></div>stray closers<p>",
        "<![CDATA[x]]><?php echo 1 ?><p>after</p>",
        "",
        "\x00",
    ],
)
def test_html_bad_markup_never_crashes(raw):
    text, smap, paragraphs, _, _ = project_html(raw)
    for p in paragraphs:
        smap.span_to_raw(p)


@pytest.mark.parametrize(
    "raw",
    ["---\n", "---\ntitle: x\n", "[unclosed](link", "```\nnever closed", "* * *\n> > >\n", "<div>\n*x*\n</div>", "\\", "&#0;&#xFFFFFF;"],
)
def test_markdown_odd_input_never_crashes(raw):
    text, smap, paragraphs, _, _ = project_md(raw)
    for p in paragraphs:
        smap.span_to_raw(p)


def test_fixture_documents_load_in_every_format():
    for path in sorted(DOCS.iterdir()):
        fmt = {".md": "markdown", ".html": "html"}.get(path.suffix, "text")
        doc = load_document(SourceFile(str(path), path.read_text(encoding="utf-8"), fmt))
        assert doc.format == fmt and doc.text.strip()
        assert doc.paragraphs


def test_front_matter_fields_come_from_config(tmp_path):
    write_config(tmp_path, extra='[markdown]\nfront-matter-fields = ["summary"]\n')
    f = tmp_path / "a.md"
    f.write_text("---\ntitle: Hausers in the title\nsummary: Hausers in the summary\n---\n\nBody.\n", encoding="utf-8")
    report = run([str(f)], RunOptions())
    assert [(x.code, x.line) for x in report.findings] == [("TX001", 3)]


def test_unknown_markdown_config_key_names_file_and_key(tmp_path):
    cfg = write_config(tmp_path, extra='[markdown]\nfront-matter = ["title"]\n')
    f = tmp_path / "a.md"
    f.write_text("Body.\n", encoding="utf-8")
    report = run([str(f)], RunOptions())
    errors = [e for e in report.errors if e.kind == "config"]
    assert errors and errors[0].path == str(cfg) and "markdown.front-matter" in errors[0].message


def test_declared_headings_are_not_taken_for_scraped_related_headlines(tmp_path):
    """A `#` heading is the author's structure; the same words as a bare line are residue (MT053)."""
    from checker.api import build_engine
    from checker.loaders import SourceFile, load_document

    engine = build_engine({"select": ["MT053"]})
    story = "The army said it had taken the town on Monday.\n\n{line}\n\nResidents fled towards the coast.\n"
    heading = story.format(line="## Rebels seize airport as talks collapse in Tripoli")
    bare = story.format(line="Rebels seize airport as talks collapse in Tripoli")
    found = lambda raw: [f.text for f in engine.check_document(load_document(SourceFile("a.md", raw, "markdown"))).findings]
    assert found(heading) == []
    assert found(bare) == ["Rebels seize airport as talks collapse in Tripoli"]
    html = "<p>The army said it had taken the town on Monday.</p><h2>Rebels seize airport as talks collapse in Tripoli</h2><p>Residents fled.</p>"
    assert [f.text for f in engine.check_document(load_document(SourceFile("a.html", html, "html"))).findings] == []


def test_front_matter_with_a_lone_surrogate_is_skipped_not_a_crash():
    # found by tests/test_fuzz.py: libyaml raised UnicodeEncodeError on a str from the API
    text = "---\n\ud800title: Forces destroyed Hausers\n---\n\n# Forces destroyed Hausers\n"
    doc = load_document(SourceFile("a.md", text, "markdown"))
    assert doc.text == "Forces destroyed Hausers"


def test_markdown_inline_code_is_masked_never_a_word(tmp_path):
    # issue 12: "`SAVE20` code" was read as "code code": TY030 flagged it and the SAFE
    # fix deleted the real word "code"
    write_config(tmp_path, select='["TY030"]')
    raw = "Use the `SAVE20` code at checkout.\n\nSee <https://example.com> link here.\n"
    text, smap, _, _, _ = project_md(raw)
    from checker.loaders.markdown import load

    doc = load(SourceFile("a.md", raw, "markdown"))
    # the masked spans are exactly the placeholders, and they map to the whole raw run
    assert [text[s.start : s.end] for s in doc.masked] == ["code", "link"]
    assert [raw[doc.to_raw(s).start : doc.to_raw(s).end] for s in doc.masked] == ["`SAVE20`", "<https://example.com>"]
    f = tmp_path / "a.md"
    f.write_text(raw, encoding="utf-8")
    report = run([str(f)], RunOptions())
    assert not [x for x in report.findings if x.code == "TY030"], [(x.code, x.text) for x in report.findings]
    from checker.fixes import apply_fixes

    assert apply_fixes(raw, list(report.findings), unsafe=True).startswith("Use the `SAVE20` code at checkout.")


def test_list_items_and_table_cells_are_known_to_rules():
    # issue 12: MT053 took a Markdown list item for a scraped related-article headline;
    # the loaders now say which paragraphs are list items or table cells
    from checker.loaders.html import load as load_html
    from checker.loaders.markdown import load as load_md

    md = "Intro line.\n\n- first item\n- second item\n\n| a |\n|---|\n| cell |\n\nOutro.\n"
    doc = load_md(SourceFile("a.md", md, "markdown"))
    assert [doc.text[s.start : s.end] for s in doc.items] == ["first item", "second item", "a", "cell"]
    html = "<p>Intro.</p><ul><li>one<li>two</ul><p>Out.</p><table><tr><td>c1<td>c2</table><p>End.</p>"
    doc = load_html(SourceFile("a.html", html, "html"))
    assert [doc.text[s.start : s.end] for s in doc.items] == ["one", "two", "c1", "c2"]
    assert "Out." not in [doc.text[s.start : s.end] for s in doc.items]
