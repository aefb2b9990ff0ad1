"""File names of any bytes, made safe to store, show, log and export.

On Linux a name is bytes: a share written by a Chinese Windows PC without the UTF-8 option
gives GBK names, and a damaged disk or a crafted file gives bytes that are no encoding at
all. Python hands them over as `str` with surrogate escapes ("\\udcb9"), which SQLite, JSON
output and log files cannot encode: one such name used to crash a whole ingest.

`readable_name` gives the form the archive keeps and shows: the name unchanged when it is
valid text; else the GBK/GB 18030 reading when that gives printable text (what the sender
saw); else UTF-8 with each undecodable byte written as \\xNN, so nothing is lost or made
up. `readable_path` does the same for each part of a path, so the UTF-8 folders around a
GBK name stay as they are.
"""
from __future__ import annotations

import os


def is_clean(text: str) -> bool:
    """Can `text` be written as UTF-8 (no lone surrogates from undecodable bytes)?"""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _raw_bytes(text: str) -> bytes:
    """The bytes a name with surrogate escapes came from (lone surrogates of a Windows
    name, which has no bytes, kept as their code points)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def readable_name(name: str) -> str:
    """One path component as the archive stores and shows it (see the module docstring)."""
    if is_clean(name):
        return name
    raw = _raw_bytes(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and text.isprintable():
        return text
    return raw.decode("utf-8", "backslashreplace")


def readable_path(path: str | os.PathLike[str]) -> str:
    """A whole path made readable part by part (separators kept)."""
    text = os.fspath(path)
    if is_clean(text):
        return text
    parts = text.replace("\\", "/").split("/") if os.sep == "\\" else text.split("/")
    sep = "\\" if os.sep == "\\" else "/"
    return sep.join(readable_name(p) for p in parts)


def readable_any(obj: object) -> object:
    """`obj` with every string in it (in dicts, lists, tuples) made readable: for JSON."""
    if isinstance(obj, str):
        return obj if is_clean(obj) else readable_path(obj)
    if isinstance(obj, dict):
        return {readable_any(k): readable_any(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [readable_any(v) for v in obj]
    return obj


__all__ = ["is_clean", "readable_any", "readable_name", "readable_path"]
