"""Declarative rule kinds: the closed set of mechanisms YAML rules instantiate.

A kind is a class with class attributes ``Spec`` (frozen dataclass of the
kind-specific YAML keys), ``Options`` (frozen dataclass of per-rule options a
config may set), ``needs`` and ``fixable``, and a constructor
``Kind(meta, spec, base_dir)`` returning an object that satisfies the
``Rule`` protocol.  Built-in kinds are imported only when a rule uses them;
third-party kinds register through the ``mtlint.kinds`` entry-point group.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["BUILTIN_KINDS", "GENERAL_KINDS", "load_kind", "UnknownKind"]

#: kind name -> "module:Class", imported lazily
BUILTIN_KINDS: dict[str, str] = {
    "existence": "checker.kinds.lexicon:ExistenceRule",
    "substitution": "checker.kinds.lexicon:SubstitutionRule",
    "pattern": "checker.kinds.pattern:PatternRule",
    "backend": "checker.kinds.backend:BackendRule",
    "spelling": "checker.kinds.spelling:SpellingRule",
    "readability": "checker.kinds.readability:ReadabilityRule",
    "quote_marks": "checker.kinds.typography:QuoteMarksRule",
    "sentence_fragment": "checker.kinds.typography:SentenceFragmentRule",
    "unit_conversion": "checker.kinds.typography:UnitConversionRule",
    "repeated_word": "checker.kinds.typography:RepeatedWordRule",
    "repeated_phrase": "checker.kinds.typography:RepeatedPhraseRule",
    "stray_capital": "checker.kinds.typography:StrayCapitalRule",
    "headline_suffix": "checker.kinds.residue:HeadlineSuffixRule",
    "related_headline": "checker.kinds.residue:RelatedHeadlineRule",
    "name_cluster": "checker.names.rule:NameClusterRule",
    "headline_stop": "checker.kinds.headline:HeadlineStopRule",
    "fluency": "checker.kinds.fluency:FluencyRule",
    "alias": "checker.kinds.alias:AliasRule",
    "foreign_fragment": "checker.kinds.untranslated:ForeignFragmentRule",
    "acronym": "checker.kinds.acronym:AcronymRule",
}

#: the general kinds: a rule of one of these is all YAML (a word list, a
#: regex, a threshold, a backend category), so a new rule of the kind is a new
#: YAML file and no Python.  Every other kind holds one rule's logic (or one
#: family's, picked with a key such as ``check:``): a *Python rule*, whose YAML
#: file carries the metadata and the tuning data (``mtlint explain`` says which).
GENERAL_KINDS: frozenset[str] = frozenset({"existence", "substitution", "pattern", "readability", "backend"})


class UnknownKind(LookupError):
    pass


def load_kind(name: str) -> Any:
    target = BUILTIN_KINDS.get(name)
    if target is None:
        from ..resources import entry_points

        for ep in entry_points("mtlint.kinds"):
            if ep.name == name:
                return ep.load()
        known = ", ".join(sorted(BUILTIN_KINDS))
        raise UnknownKind(f"unknown kind {name!r} (known kinds: {known})")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
