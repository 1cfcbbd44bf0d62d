"""mtlint's version (one place; the package, the engine and reports read it)."""

__version__ = "0.1.0"
