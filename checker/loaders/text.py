"""Plain text: the decoded file is the text rules check, offsets map 1:1."""

from __future__ import annotations

from typing import Any

from ..document import Document


def load(source: Any, config: Any = None) -> Document:
    return Document(source.text, path=source.path, format="text")
