"""What the ranker's tests share: loading a script of the repository as a module (the
suggest benchmark, the corpus generator) and the built framework's ranking targets."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load_module(name: str, path: Path) -> ModuleType:
    """The file at `path` imported as module `name` (scripts that are not a package)."""
    s = importlib.util.spec_from_file_location(name, path)
    assert s is not None and s.loader is not None
    mod = importlib.util.module_from_spec(s)
    sys.modules[name] = mod
    s.loader.exec_module(mod)
    return mod


BENCH = "benchmarks_suggest_for_tests"


def suggest_bench() -> ModuleType:
    """benchmarks/suggest.py as a module (loaded once per test process)."""
    return sys.modules.get(BENCH) or load_module(BENCH, ROOT / "benchmarks" / "suggest.py")


def framework_targets() -> tuple[Any, Any, Any]:
    """(indicator targets, duty targets, code -> id) of the corpus's framework, as the
    suggest benchmark builds them."""
    bench = suggest_bench()
    inds, duties, ids = bench.framework_targets(bench.make_corpus.load_spec())
    return inds, duties, ids


def real_documents(which: str) -> list[dict[str, Any]]:
    """The real-document set tests/data/suggest/<which> (real, real2): every opening with its
    codes and split."""
    mod = load_module(f"{which}_openings_for_tests", ROOT / "tests" / "data" / "suggest" / which / "openings.py")
    docs: list[dict[str, Any]] = mod.documents()
    return docs


def text_view(text: str) -> Any:
    """What the inbox reads from a file with this text (as benchmarks/suggest_real.py does)."""
    from storage.reading.docmeta import read_docmeta
    from storage.watch.rank import TextView

    meta = read_docmeta(text)
    return TextView(title=meta.title, doc_number=meta.doc_number, issuer=meta.issuer,
                    body=meta.body if meta.title else text)
