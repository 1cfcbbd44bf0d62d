"""Markdown: check the prose, leave the markup, code and links alone.

Parsed with markdown-it-py (CommonMark + tables + YAML front matter).  Each
heading, paragraph, list-item paragraph, block-quote paragraph and table
cell becomes one paragraph of the projection; inline markup (emphasis,
link brackets) is left out but link text is kept; code spans become the
placeholder word ``code`` and bare URLs ``link``, so sentences still read
(both are *masked*: ``Document.masked``; a finding that starts or ends on a
placeholder is dropped, so inline code never becomes a word of the text);
code blocks, HTML blocks and comments, link targets and images are skipped.
Front matter is checked only in the configured text fields
(``[markdown] front-matter-fields``, default title and description).

Positions: markdown-it gives line ranges per block, not offsets, so the
loader walks each block's raw lines with a cursor, finding every inline
token in order; escapes and entities become replacement segments that stand
for their whole raw run.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..document import Document
from .projection import Projection, doc_metadata, line_starts, projected_document

__all__ = ["load", "project"]

_DEFAULT_FIELDS = ("title", "description")


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    # a configured parser is stateless between parse() calls; build it once per process
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)
    # keep escapes and entities as separate tokens: each maps to its raw run;
    # inline parsing happens in the walker, only for blocks that have markup
    md.disable(["text_join", "inline"])
    return md


#: characters and words that can start inline markup; a block without any is plain prose
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<>&~|]|https?:|ftp:|www\.|@")


def _skip_destination(raw: str, i: int, limit: int) -> int:
    """Offset after a link's ``](dest "title")``, ``][ref]`` or ``]`` starting at ``i`` (a ``]``)."""
    if i >= limit or raw[i] != "]":
        return i
    j = i + 1
    if j < limit and raw[j] == "(":
        depth, k, angle = 0, j + 1, False
        quote = ""
        while k < limit:
            c = raw[k]
            if c == "\\":
                k += 2
                continue
            if quote:
                if c == quote:
                    quote = ""
            elif angle:
                if c == ">":
                    angle = False
            elif c == "<" and raw[k - 1] in "( ":
                angle = True
            elif c in "\"'" and raw[k - 1].isspace():
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return k + 1
                depth -= 1
            k += 1
        return i + 1
    if j < limit and raw[j] == "[":
        k = raw.find("]", j + 1, limit)
        return k + 1 if k >= 0 else i + 1
    return i + 1


class _Walker:
    def __init__(self, raw: str, proj: Projection, env: dict[str, Any] | None = None) -> None:
        self.raw = raw
        self.proj = proj
        self.env = env if env is not None else {}
        self.starts = line_starts(raw)

    def line_offset(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else len(self.raw)

    def inline(self, token: Any) -> None:
        raw, proj = self.raw, self.proj
        if token.map:
            cursor, limit = self.line_offset(token.map[0]), self.line_offset(token.map[1])
        else:  # pragma: no cover - markdown-it always maps block-level inline tokens
            cursor, limit = 0, len(raw)
        if not token.children and not _INLINE_MARKUP.search(token.content):
            self.plain(token.content, cursor, limit)
            proj.end_block()
            return
        children = token.children
        if not children:
            children = []
            md = _parser()
            md.inline.parse(token.content, md, self.env, children)
        skip_until_close = 0
        for child in children:
            t = child.type
            if skip_until_close:
                if t == "link_close":
                    skip_until_close -= 1
                    if not skip_until_close:
                        end = raw.find(">", cursor, limit)
                        cursor = end + 1 if end >= 0 else cursor
                continue
            if t == "text":
                content = child.content
                if not content:
                    continue
                pos = raw.find(content, cursor, limit)
                if pos < 0:
                    self.words(content, cursor, limit)
                    continue
                proj.prose(content, pos)
                cursor = pos + len(content)
            elif t == "text_special":
                markup = child.markup or child.content
                pos = raw.find(markup, cursor, limit)
                if pos < 0:
                    continue
                proj.replacement(child.content, pos, len(markup))
                cursor = pos + len(markup)
            elif t == "code_inline":
                ticks = child.markup or "`"
                pos = raw.find(ticks, cursor, limit)
                if pos < 0:
                    continue
                inner = raw.find(child.content, pos + len(ticks), limit) if child.content else pos + len(ticks)
                close = raw.find(ticks, max(inner, pos + len(ticks)) + len(child.content) if inner >= 0 else pos + len(ticks), limit)
                end = close + len(ticks) if close >= 0 else pos + len(ticks)
                proj.placeholder("code", pos, end - pos)
                cursor = end
            elif t in ("softbreak", "hardbreak"):
                proj.space()
            elif t == "link_open":
                if child.markup == "autolink" or child.info == "auto":
                    pos = raw.find("<", cursor, limit)
                    end = raw.find(">", pos, limit) if pos >= 0 else -1
                    if pos >= 0 and end >= 0:
                        proj.placeholder("link", pos, end + 1 - pos)
                        cursor = pos
                    skip_until_close = 1
                else:
                    pos = raw.find("[", cursor, limit)
                    cursor = pos + 1 if pos >= 0 else cursor
            elif t == "link_close":
                close = raw.find("]", cursor, limit)
                if close >= 0:
                    cursor = _skip_destination(raw, close, limit)
            elif t == "image":
                pos = raw.find("![", cursor, limit)
                if pos >= 0:
                    close = raw.find("]", pos + 2, limit)
                    cursor = _skip_destination(raw, close, limit) if close >= 0 else pos + 2
            elif t == "html_inline":
                pos = raw.find(child.content, cursor, limit)
                if pos >= 0:
                    cursor = pos + len(child.content)
            # em/strong/s open/close: markup only, the next find skips it
        proj.end_block()

    def plain(self, content: str, cursor: int, limit: int) -> None:
        """A block of plain prose: each line verbatim, line breaks as spaces."""
        raw, proj = self.raw, self.proj
        for line in content.split("\n"):
            line = line.rstrip(" ")
            if not line:
                continue
            pos = raw.find(line, cursor, limit)
            if pos < 0:
                cursor = self.words(line, cursor, limit)
                continue
            proj.space()
            proj.verbatim(line, pos)
            cursor = pos + len(line)

    def words(self, text: str, cursor: int, limit: int) -> int:
        """Fallback: map ``text`` word by word (values whose raw form differs)."""
        raw, proj = self.raw, self.proj
        for word in text.split():
            pos = raw.find(word, cursor, limit)
            if pos < 0:
                proj.space()
                proj.replacement(word, cursor, 0)
                continue
            proj.space()
            proj.prose(word, pos)
            cursor = pos + len(word)
        return cursor


_KEY_RE = "^{key}[ \\t]*:[ \\t]*"


def _front_matter(walker: _Walker, token: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    import yaml

    raw, proj = walker.raw, walker.proj
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster
    try:
        data = yaml.load(token.content, Loader=loader)
    except (yaml.YAMLError, UnicodeError):  # libyaml cannot take a str with lone surrogates (from the API)
        return {}
    if not isinstance(data, dict):
        return {}
    start = walker.line_offset(token.map[0]) if token.map else 0
    end = walker.line_offset(token.map[1]) if token.map else len(raw)
    for key in fields:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        m = re.compile(_KEY_RE.format(key=re.escape(key)), re.M).search(raw, start, end)
        if m is None:
            continue
        line_end = raw.find("\n", m.end(), end)
        line_end = end if line_end < 0 else line_end
        rest = raw[m.end() : line_end].rstrip("\r")
        if rest and rest[0] in "\"'" and rest[1 : 1 + len(value)] == value:
            proj.prose(value, m.end() + 1)
        elif rest.startswith(value):
            proj.prose(value, m.end())
        else:  # folded/literal block or escapes: word by word
            nxt = re.compile(r"^\S", re.M).search(raw, line_end + 1, end)
            walker.words(value, m.end(), nxt.start() if nxt else end)
        proj.end_block()
    return {k: v for k, v in data.items() if isinstance(k, str)}


def project(raw: str, fields: tuple[str, ...] = _DEFAULT_FIELDS) -> tuple[str, Any, tuple[Any, ...], dict[str, Any], tuple[Any, ...]]:
    """(text, source map, paragraph spans, front matter, heading spans) of a Markdown source.

    ``project_masked`` also gives the placeholder spans."""
    text, smap, paragraphs, front, headings, _, _ = project_masked(raw, fields)
    return text, smap, paragraphs, front, headings


def project_masked(raw: str, fields: tuple[str, ...] = _DEFAULT_FIELDS) -> tuple[str, Any, tuple[Any, ...], dict[str, Any], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """``project`` plus the masked (placeholder) spans and the list-item/table-cell spans."""
    proj = Projection()
    env: dict[str, Any] = {}
    walker = _Walker(raw, proj, env)
    front: dict[str, Any] = {}
    items = 0  # open list items and table cells
    for token in _parser().parse(raw, env):
        if token.type in ("list_item_open", "td_open", "th_open"):
            items += 1
            proj.item(True)
        elif token.type in ("list_item_close", "td_close", "th_close"):
            items = max(0, items - 1)
            proj.item(items > 0)
        elif token.type == "front_matter":
            front = _front_matter(walker, token, fields)
        elif token.type == "heading_open":
            proj.heading(True)
        elif token.type == "heading_close":
            proj.heading(False)
        elif token.type == "inline":
            walker.inline(token)
    text, smap, paragraphs = proj.result()
    return text, smap, paragraphs, front, proj.headings, proj.masked, proj.items


def load(source: Any, config: Any = None) -> Document:
    md_cfg = getattr(config, "markdown", None)
    fields = tuple(getattr(md_cfg, "front_matter_fields", _DEFAULT_FIELDS))
    text, smap, paragraphs, front, headings, masked, items = project_masked(source.text, fields)
    meta = doc_metadata(headline=front.get("title") if isinstance(front.get("title"), str) else None, front_matter=front)
    return projected_document(source, "markdown", text, smap, paragraphs, headings, meta, masked, items)
