"""The cyclic garbage collector around a run's loading: paused, frozen, resumed.

Loading the rules and their tables allocates hundreds of thousands of
long-lived objects, and the young-generation collections they trigger are
pure cost (about 7% of a cold start).  So a run pauses the collector while it
loads (``pause``), moves what it loaded out of the collector's view once per
process (``freeze_loaded``: every full collection during a check walked all
of it, and in forked workers that walk wrote to every shared page), and turns
it back on before checking (``resume``).  The command line pauses it before
it imports the engine (``checker.cli``), since importing is loading too; the
engine pauses it when a caller of the API runs it.  Standard library only:
importing this module must not itself load anything.
"""

from __future__ import annotations

import gc

__all__ = ["pause", "resume", "freeze_loaded"]

_FROZEN: list[bool] = []
#: set while the collector is off because ``pause`` turned it off
_PAUSED: list[bool] = []


def pause() -> None:
    """Turn the collector off for loading, once per process (nothing when it is
    already off, or what was loaded has been frozen: later runs load little)."""
    if not _FROZEN and gc.isenabled():
        gc.disable()
        _PAUSED.append(True)


def resume() -> None:
    """Turn the collector back on if ``pause`` turned it off (otherwise nothing)."""
    if _PAUSED:
        _PAUSED.clear()
        gc.enable()


def freeze_loaded() -> None:
    """Move everything loaded so far out of the collector's view, once per
    process, then ``resume``.

    ``gc.freeze`` is the documented remedy for long-lived objects that every
    full collection would walk; what it freezes lives as long as the process
    anyway.  There is no collection first: loading makes almost no cyclic
    garbage (reference counting frees the rest), and a collection would cost
    the serial start-up of every run about 25 ms.
    """
    if not _FROZEN:
        _FROZEN.append(True)
        gc.freeze()
    resume()
