"""The MQM development data, one way for every script: halves, joined texts, error spans.

``../shared/corpus/mqm_zhen_dev.jsonl`` holds 18 source documents, each
translated by 10 MT systems, with the raters' error spans per segment.  To
keep rules from fitting the documents they were found in, the documents are
split into two halves **by doc_id** (sorted, alternating: every system's
translation of a document is in the same half): mining (``scripts/
mine_mqm.py``) reads half ``A`` only, and every evaluation reports half
``B`` apart.  The clean news corpus is split the same way by article id.

A system's document is checked as one article: its segments joined by blank
lines, so paragraph- and document-level rules see the whole text; the
reference translation of the same document is joined the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from _common import CORPUS, read_jsonl

__all__ = ["MQM", "CLEAN", "MtDoc", "halves", "mt_docs", "reference_docs", "clean_docs", "SEP"]

MQM = CORPUS / "mqm_zhen_dev.jsonl"
CLEAN = CORPUS / "clean_news_dev.jsonl"
SEP = "\n\n"


def halves(ids: Iterable[str]) -> dict[str, str]:
    """id -> 'A' or 'B': sorted ids, alternating (so both halves mix the sources)."""
    return {d: "AB"[i % 2] for i, d in enumerate(sorted(set(ids)))}


@dataclass(frozen=True)
class ErrorSpan:
    start: int  # into the joined text
    end: int
    category: str
    severity: str
    segment: int


@dataclass(frozen=True)
class MtDoc:
    doc_id: str
    system: str
    half: str
    text: str
    seg_starts: tuple[int, ...]
    errors: tuple[ErrorSpan, ...]
    reference: str

    @property
    def path(self) -> str:
        return f"{self.doc_id}/{self.system}"


def _join(parts: list[str]) -> tuple[str, tuple[int, ...]]:
    starts, pos = [], 0
    for p in parts:
        starts.append(pos)
        pos += len(p) + len(SEP)
    return SEP.join(parts), tuple(starts)


def mt_docs(path: Path = MQM, half: str | None = None) -> Iterator[MtDoc]:
    """Every system's translation of every document (of one half, if given)."""
    recs = list(read_jsonl(path))
    split = halves(r["doc_id"] for r in recs)
    for rec in recs:
        h = split[rec["doc_id"]]
        if half not in (None, "all", h):
            continue
        segs = rec["segments"]
        text, starts = _join([s["text"] for s in segs])
        errors = []
        for i, s in enumerate(segs):
            for e in s.get("errors", []):
                if e["end"] > e["start"]:
                    errors.append(ErrorSpan(starts[i] + e["start"], starts[i] + e["end"], e["category"], e["severity"], i))
        reference, _ = _join([s.get("reference") or "" for s in segs])
        yield MtDoc(rec["doc_id"], rec["system"], h, text, starts, tuple(errors), reference)


def reference_docs(path: Path = MQM, half: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(doc_id, half, joined reference translation), once per document."""
    seen: set[str] = set()
    for d in mt_docs(path, half):
        if d.doc_id not in seen:
            seen.add(d.doc_id)
            yield d.doc_id, d.half, d.reference


def clean_docs(path: Path = CLEAN, half: str | None = None) -> Iterator[dict[str, Any]]:
    """Clean news articles (of one half, if given), each with its ``half``."""
    recs = list(read_jsonl(path))
    split = halves(r["id"] for r in recs)
    for rec in recs:
        if half in (None, "all", split[rec["id"]]):
            yield {**rec, "half": split[rec["id"]]}
