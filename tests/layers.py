"""The layer rules of design.md, checked on the source: every import, including the ones
inside functions.

- Packages: storage imports nothing of ours above it and no Qt; exporters import read
  models and the storage kernel only, no Qt and no SQLAlchemy; ui imports read models and
  the kernel's errors and words only, no SQL and no office libraries.
- storage in floors and wings: a module imports lower floors and its own wing only (wings on
  one floor never import each other); the kernel and the read models use no SQLAlchemy.
- desktop in rooms: desktop.cli and desktop.window never import each other; desktop.actions
  imports neither of them, nor ui, Qt or argparse.
- Our own modules are imported at the top of a file; an import inside a function is allowed
  only in command-line command bodies (desktop/cli/) and the entry point (desktop/main.py),
  for start-up speed. An import by name at run time (importlib.import_module, __import__)
  is allowed only there (the command table of desktop/cli) and in desktop/window/deferred.py
  (the window's features, loaded after the first rows are shown); the modules deferred.py
  names (its string constants) are checked like its imports.
- No import circle anywhere among our modules.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

QT = ("PySide6", "shiboken6")
OURS = ("desktop", "ui", "storage", "exporters", "resources")
PACKAGES = ("desktop", "ui", "storage", "exporters", "resources")

RULES: dict[str, dict[str, tuple[str, ...]]] = {
    "storage": {"forbidden": QT + ("desktop", "ui", "exporters", "resources"), "allowed_ours": ("storage",)},
    "exporters": {
        "forbidden": QT + ("sqlalchemy", "sqlite3", "alembic", "desktop", "ui"),
        "allowed_ours": ("storage.readmodels", "storage.kernel", "exporters", "resources"),
    },
    "ui": {
        "forbidden": ("sqlalchemy", "sqlite3", "alembic", "docx", "openpyxl", "desktop", "exporters"),
        "allowed_ours": ("storage.readmodels", "storage.kernel.errors", "storage.kernel.words", "ui", "resources"),
    },
    "desktop.actions": {
        "forbidden": QT + ("argparse", "desktop.cli", "desktop.window", "ui"),
        "allowed_ours": ("desktop.actions", "desktop.version", "desktop.settings", "storage", "exporters",
                         "resources"),
    },
    "desktop.cli": {"forbidden": QT + ("desktop.window", "ui"), "allowed_ours": OURS},
    "desktop.window": {"forbidden": ("argparse", "desktop.cli"), "allowed_ours": OURS},
}

# storage's floors (design.md): wing -> floor. A module belongs to the longest wing that
# prefixes its name; "storage" itself (the package docstring) is floor 0.
STORAGE_FLOORS: dict[str, int] = {
    "storage": 0,
    "storage.kernel": 0,
    "storage.readmodels": 0,
    "storage.models": 1,
    "storage.migrations": 1,
    "storage.core": 1,
    "storage.durability": 2,
    "storage.catalogue": 2,
    "storage.reading": 2,
    "storage.tables": 3,
    "storage.watch": 3,
    "storage.bundle": 3,
    "storage.review": 4,
}
# Floor 1 is one wing: the models, their migrations and the core that opens them.
SAME_WING = {"storage.models": "floor1", "storage.migrations": "floor1", "storage.core": "floor1"}
NO_SQL = ("storage.kernel", "storage.readmodels")

# Where an import inside a function is allowed (start-up speed of commands).
LAZY_OK = ("desktop.cli", "desktop.main")
# Where an import by name at run time is allowed besides LAZY_OK (the window's start, issue
# 19); the modules named there are checked as imports.
DYNAMIC_OK = ("desktop.window.deferred",)
DYNAMIC = ("import_module", "__import__")


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    module: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: imports {self.module} ({self.rule})"


@dataclass(frozen=True)
class Import:
    line: int
    module: str          # the module imported (for "from p import m" where p.m is a module: p.m)
    in_function: bool
    dynamic: bool = False  # imported by name at run time (importlib.import_module)


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(root: Path, module: str, name: str) -> str:
    """`from module import name`: the submodule module.name when it is one, else module."""
    sub = f"{module}.{name}"
    base = root / sub.replace(".", "/")
    if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
        return sub
    return module


def imports(root: Path, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = module_name(root, path)
    is_pkg = path.name == "__init__.py"
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for n in ast.walk(fn):
                if isinstance(n, (ast.Import, ast.ImportFrom)):
                    inside.add(id(n))
    out: list[Import] = []
    for node in ast.walk(tree):
        lazy = id(node) in inside
        if isinstance(node, ast.Import):
            out += [Import(node.lineno, a.name, lazy) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = me.split(".") if is_pkg else me.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if _matches(module, OURS):
                out += [Import(node.lineno, _resolve(root, module, a.name), lazy) for a in node.names]
            else:
                out.append(Import(node.lineno, module, lazy))
        elif isinstance(node, ast.Call) and _called(node.func) in DYNAMIC:
            out.append(Import(node.lineno, "<by name>", lazy, dynamic=True))
    if _matches(me, DYNAMIC_OK):   # the modules it may load by name: its string constants naming ours
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and _matches(node.value, OURS)
                    and _is_module(root, node.value)):
                out.append(Import(node.lineno, node.value, False, dynamic=True))
    return out


def _called(func: ast.expr) -> str:
    """The name a call calls: f(…) -> "f", importlib.import_module(…) -> "import_module"."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _is_module(root: Path, name: str) -> bool:
    base = root / name.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _storage_wing(module: str) -> tuple[str, int] | None:
    best = None
    for wing in STORAGE_FLOORS:
        if _matches(module, (wing,)) and (best is None or len(wing) > len(best)):
            best = wing
    if best is None:
        return None
    return SAME_WING.get(best, best), STORAGE_FLOORS[best]


def _rule_for(module: str) -> str | None:
    best = None
    for layer in RULES:
        if _matches(module, (layer,)) and (best is None or len(layer) > len(best)):
            best = layer
    return best


def _files(root: Path) -> list[Path]:
    out: list[Path] = []
    for pkg in PACKAGES:
        folder = root / pkg
        if folder.is_dir():
            out += sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
    return out


def check(root: Path) -> list[Violation]:
    violations: list[Violation] = []
    graph: dict[str, set[str]] = {}
    where: dict[tuple[str, str], tuple[str, int]] = {}
    for path in _files(root):
        rel = str(path.relative_to(root))
        me = module_name(root, path)
        layer = _rule_for(me)
        mine = _storage_wing(me)
        for imp in imports(root, path):
            mod = imp.module
            if imp.dynamic and not _matches(me, DYNAMIC_OK + LAZY_OK):
                violations.append(Violation(rel, imp.line, mod, "our modules are imported at the top of the file "
                                            "(by name at run time only in desktop/cli and desktop/window/deferred.py)"))
                continue
            if mod == "<by name>":
                continue
            if layer is not None:
                rule = RULES[layer]
                if _matches(mod, rule["forbidden"]):
                    violations.append(Violation(rel, imp.line, mod, f"{layer} must not import it"))
                    continue
                if _matches(mod, OURS) and not _matches(mod, rule["allowed_ours"]):
                    violations.append(Violation(rel, imp.line, mod,
                                                f"{layer} may use only {rule['allowed_ours']} of ours"))
                    continue
            if mine is not None:
                wing, floor = mine
                if _matches(me, NO_SQL) and _matches(mod, ("sqlalchemy", "alembic", "sqlite3")):
                    violations.append(Violation(rel, imp.line, mod, f"{me} is below the database"))
                theirs = _storage_wing(mod) if _matches(mod, ("storage",)) else None
                if theirs is not None and theirs[0] != wing and mod != "storage":
                    if theirs[1] > floor:
                        violations.append(Violation(rel, imp.line, mod,
                                                    f"floor {floor} ({wing}) imports floor {theirs[1]}"))
                    elif theirs[1] == floor and floor > 0:
                        violations.append(Violation(rel, imp.line, mod,
                                                    f"sibling wings on floor {floor}: {wing} and {theirs[0]}"))
            if _matches(mod, OURS):
                if imp.in_function and not _matches(me, LAZY_OK):
                    violations.append(Violation(rel, imp.line, mod,
                                                "our modules are imported at the top of the file"))
                if mod != me:
                    graph.setdefault(me, set()).add(mod)
                    where.setdefault((me, mod), (rel, imp.line))
    for cycle in cycles(graph):
        a, b = cycle[0], cycle[1 % len(cycle)]
        rel, line = where.get((a, b), ("?", 0))
        violations.append(Violation(rel, line, b, "import circle: " + " -> ".join(cycle + [cycle[0]])))
    return violations


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of `graph` (one per strongly connected component; Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out
