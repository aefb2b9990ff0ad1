"""The layer rules of design.md, checked on the source (every import, including the ones
inside functions)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

QT = ("PySide6", "shiboken6")
OURS = ("desktop", "ui", "storage", "exporters", "resources")
# storage.readmodels: the plain types that cross layers; storage.errors: user-facing errors.
SHARED_TYPES = ("storage.readmodels", "storage.kernel.errors")

RULES: dict[str, dict[str, tuple[str, ...]]] = {
    "storage": {"forbidden": QT + ("desktop", "ui", "exporters", "resources"), "allowed_ours": ()},
    "exporters": {
        "forbidden": QT + ("sqlalchemy", "sqlite3", "alembic", "desktop", "ui"),
        "allowed_ours": SHARED_TYPES + ("exporters", "resources"),
    },
    "ui": {
        "forbidden": ("sqlalchemy", "sqlite3", "alembic", "docx", "openpyxl", "desktop", "exporters"),
        "allowed_ours": SHARED_TYPES + ("ui", "resources"),
    },
}


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    module: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: imports {self.module} ({self.rule})"


def _imports(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve within the layer
                base = package
                mod = f"{base}.{node.module}" if node.module else base
                out.append((node.lineno, mod))
            elif node.module:
                out.append((node.lineno, node.module))
    return out


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def check(root: Path) -> list[Violation]:
    violations: list[Violation] = []
    for layer, rule in RULES.items():
        folder = root / layer
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            rel = str(path.relative_to(root))
            for line, mod in _imports(tree, layer):
                if _matches(mod, rule["forbidden"]):
                    violations.append(Violation(rel, line, mod, f"{layer}/ must not import it"))
                elif _matches(mod, OURS) and not _matches(mod, (layer,) + rule["allowed_ours"]):
                    violations.append(
                        Violation(rel, line, mod, f"{layer}/ may use only {rule['allowed_ours']} of ours")
                    )
    return violations
