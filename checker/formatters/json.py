"""The ``json`` formatter: the JSON report (``checker/jsondoc.py`` builds it,
so ``Report.to_json()`` writes the same bytes)."""

from __future__ import annotations

from typing import IO, Any

from ..findings import Report
from ..jsondoc import SCHEMA_VERSION, Streamed, dump, error_dict, file_dict, report_dict
from . import FormatOptions

__all__ = ["SCHEMA_VERSION", "Streamed", "dump", "error_dict", "file_dict", "report_dict", "JsonDocumentFormatter", "JSON"]


class JsonDocumentFormatter:
    """A formatter whose output is one JSON document built by ``build(report)``."""

    machine = True

    def __init__(self, name: str, build: Any) -> None:
        self.name = name
        self._build = build

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        dump(self._build(report), stream)
        stream.write("\n")


JSON = JsonDocumentFormatter("json", report_dict)
