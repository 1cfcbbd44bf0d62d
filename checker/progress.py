"""A progress bar on standard error for long runs (terminal only).

Shown only when standard error is a terminal and more than a handful of
files are checked; never with machine-readable formats (the CLI does not
ask for it then).  ``rich`` is imported only when the bar is shown.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["stderr_progress", "MIN_FILES"]

#: fewer files than this finish before a bar would help
MIN_FILES = 6


class _Bar:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_FILES:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=Console(file=self.stream), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("check", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def stderr_progress(stream: Any = None) -> Any:
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        return None
    return _Bar(stream)
