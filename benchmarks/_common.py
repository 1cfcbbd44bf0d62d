"""Helpers shared by the benchmark scripts: corpus paths and engine set-up."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# MTLINT_CORPUS: the corpora when ../shared is not beside this checkout (a git worktree elsewhere)
CORPUS = Path(os.environ.get("MTLINT_CORPUS") or ROOT.parent / "shared" / "corpus")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def make_engine(select: list[str] | None, ignore: list[str] | None, config: str | None = None):
    from checker.api import build_engine
    from checker.config import Config, load_config, merge

    cfg = load_config(Path(config)) if config else Config()
    over: dict[str, Any] = {}
    if select:
        over["select"] = tuple(select)
    if ignore:
        over["ignore"] = tuple(ignore)
    return build_engine(merge(cfg, over))
