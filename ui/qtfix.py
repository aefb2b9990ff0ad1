"""Work-arounds for defects of the installed Qt binding, in one place.

`emit(signal, *args)`: with PySide6 6.12.0 on CPython 3.11, `Signal.emit()` returns the
`True` singleton without a new reference, so every emit made from Python lowers True's
reference count by one; after a few thousand emits (progress signals reach that in
minutes) the interpreter aborts with "Fatal Python error: bool_dealloc". Whether the
running binding has the defect is measured once, on first use; only then is the lost
reference given back. An extra reference on True is harmless, a missing one is fatal, so
the correction errs on the safe side. Every emit in ui/ and desktop/ goes through here;
`disconnect` has the same defect.
"""
from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any

_lock = threading.Lock()
_leaks: bool | None = None


def _measure() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe itself lost
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    probe.deleteLater()
    return lost >= 16


def emit_leaks_true() -> bool:
    global _leaks
    if _leaks is None:
        with _lock:
            if _leaks is None:
                _leaks = _measure()
    return _leaks


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, without the reference-count defect described above."""
    result = signal.emit(*args)
    if emit_leaks_true() and (result is True or result is False):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def disconnect(signal: Any, slot: Any) -> None:
    """`signal.disconnect(slot)`: it has the same defect as `emit` (returns True unowned)."""
    result = signal.disconnect(slot)
    if emit_leaks_true() and (result is True or result is False):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
