"""HTML: check the article text, not the page around it.

Parsed with the standard library's ``html.parser`` (tolerant of the broken
markup CMS exports contain, no dependency).  Headings, paragraphs, list
items, captions, block quotes, table cells and other block elements each
become one paragraph of the projection; whitespace runs collapse to one
space as a browser shows them; entities are decoded and each maps to its
whole raw run (``&amp;`` → ``&``).  ``script``, ``style``, ``nav``,
``header``, ``footer``, ``aside``, forms, code and the ``head`` are skipped,
and so are attributes and comments.  The page ``<title>`` is metadata.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from ..document import Document
from .projection import Projection, doc_metadata, line_starts, projected_document

__all__ = ["load", "project"]

SKIP = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "head", "form", "button",
     "select", "textarea", "svg", "math", "iframe", "object", "canvas", "code", "pre", "kbd", "samp", "var"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: list items and table cells, each with the siblings that close it implicitly and its containers
_ITEMS = {"li": ({"li"}, {"ul", "ol"}), "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
          "td": ({"td", "th"}, {"tr", "table"}), "th": ({"td", "th"}, {"tr", "table"})}

BLOCK = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "figcaption", "caption", "td", "th",
     "div", "section", "article", "main", "body", "ul", "ol", "dl", "table", "tr", "figure", "hr", "address",
     "details", "summary", "legend", "fieldset"}
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param", "track"})
_CHARREF = re.compile(r"&#(?:[xX][0-9a-fA-F]+|[0-9]+);?")
_ENTREF = re.compile(r"&[A-Za-z][A-Za-z0-9]*;?")


class _Parser(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.starts = line_starts(raw)
        self.proj = Projection(collapse_whitespace=True)
        self.skip: list[str] = []
        self.title: list[str] = []
        self.in_title = False
        self.items: list[str] = []  # open list items and table cells (HTML may leave them unclosed)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self.in_title = True
        if self.skip:
            if tag in SKIP and tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in SKIP:
            self.proj.end_block()
            self.skip.append(tag)
        elif tag in BLOCK:
            self.proj.end_block()
            self.proj.heading(tag in _HEADINGS)
            if tag in _ITEMS:
                while self.items and self.items[-1] in _ITEMS[tag][0]:
                    self.items.pop()  # "<li>a<li>b": the second item closes the first
                self.items.append(tag)
                self.proj.item(True)
        elif tag == "br":
            self.proj.space()

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if self.skip:
            return
        if tag in BLOCK:
            self.proj.end_block()
        elif tag == "br":
            self.proj.space()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skip:
            if tag in self.skip:
                # close up to the matching open tag (tolerates unclosed inner tags)
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in BLOCK:
            self.proj.end_block()
            self.proj.heading(False)
            if tag in _ITEMS and tag in self.items:
                while self.items and self.items.pop() != tag:
                    pass
            else:  # a list or table closed: its unclosed items end with it
                while self.items and tag in _ITEMS[self.items[-1]][1]:
                    self.items.pop()
            self.proj.item(bool(self.items))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip or not data:
            return
        self.proj.prose(data, self._offset())

    def _ref(self, pattern: re.Pattern[str]) -> None:
        start = self._offset()
        m = pattern.match(self.raw, start)
        if m is None:
            return
        if self.in_title:
            self.title.append(m.group())
            return
        if self.skip:
            return
        self.proj.replacement(html.unescape(m.group()), start, m.end() - start)

    def handle_entityref(self, name: str) -> None:
        self._ref(_ENTREF)

    def handle_charref(self, name: str) -> None:
        self._ref(_CHARREF)


def project(raw: str) -> tuple[str, Any, tuple[Any, ...], dict[str, Any], tuple[Any, ...]]:
    """(text, source map, paragraph spans, metadata, heading spans) of an HTML source."""
    return project_masked(raw)[:5]  # type: ignore[return-value]


def project_masked(raw: str) -> tuple[str, Any, tuple[Any, ...], dict[str, Any], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """``project`` plus the masked (placeholder: bare URL) spans and the list-item/table-cell spans."""
    parser = _Parser(raw)
    parser.feed(raw)
    parser.close()
    text, smap, paragraphs = parser.proj.result()
    title = " ".join(html.unescape("".join(parser.title)).split())
    return text, smap, paragraphs, doc_metadata(headline=title or None), parser.proj.headings, parser.proj.masked, parser.proj.items


def load(source: Any, config: Any = None) -> Document:
    text, smap, paragraphs, meta, headings, masked, items = project_masked(source.text)
    return projected_document(source, "html", text, smap, paragraphs, headings, meta, masked, items)
