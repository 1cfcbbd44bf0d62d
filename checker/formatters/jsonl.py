"""JSON Lines: one line per file (or archive record), streamed as the report is read.

Each line is the JSON report's file entry (``schema: 1``, see ``json.py``);
a record of an archive (``mtlint check --input jsonl``) also carries its
``id`` (its path is ``<archive>#<id>``).  Notices and input errors go to
standard error, the summary is the exit code: every line is one record.
"""

from __future__ import annotations

import json
from typing import IO

from ..findings import Report
from . import FormatOptions
from ..fsio import escape_surrogates
from ..jsondoc import file_dict


class JsonLinesFormatter:
    name = "jsonl"
    machine = True

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        for r in report.files:
            entry = file_dict(r)
            if "#" in r.path:
                entry = {"id": r.path.split("#", 1)[1], **entry}
            line = json.dumps(entry, ensure_ascii=False)
            if escape_surrogates(line) != line:  # a lone surrogate in a message: \u-escaped, still UTF-8
                line = json.dumps(entry)
            stream.write(line + "\n")


JSONL = JsonLinesFormatter()
