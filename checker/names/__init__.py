"""Name spelling: extraction, matching keys, clustering, the names registry, ``mtlint names``."""

from .extract import extract_names

__all__ = ["extract_names"]
