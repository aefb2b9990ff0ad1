"""Helpers for the durability tests: source files, archive snapshots, invariant checks,
running the CLI as an unprivileged user, and small tmpfs / read-only mounts."""
from __future__ import annotations

import contextlib
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def make_sources(folder: Path, n: int, *, seed: int, min_size: int = 2_000, max_size: int = 60_000,
                 tag: str = "") -> dict[Path, str]:
    """`n` files of random content under `folder` (two sub-folders); {path: sha256}."""
    rng = random.Random(seed)
    out: dict[Path, str] = {}
    for i in range(n):
        sub = folder / ("乡镇" if i % 2 else "县直部门")
        sub.mkdir(parents=True, exist_ok=True)
        data = f"{tag}-{seed}-{i}\n".encode() + rng.randbytes(rng.randint(min_size, max_size))
        p = sub / f"佐证材料〔2025〕{i:03d}号{tag}.pdf"
        p.write_bytes(data)
        out[p] = hashlib.sha256(data).hexdigest()
    return out


def db_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (a logical snapshot; ignores the WAL/page layout)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(tuple, con.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables}
    finally:
        con.close()


def tree(root: Path, *, skip: tuple[str, ...] = ("archive.sqlite3-wal", "archive.sqlite3-shm")) -> dict[str, str]:
    """{relative path: sha256} of every file under `root` except the database side files."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name not in skip:
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def archive_state(root: Path) -> tuple[dict, dict]:
    """What "the archive is unchanged" compares: its rows, and the files in its folder
    (the database file itself compared by rows, since a reader may checkpoint the WAL)."""
    files = tree(root, skip=("archive.sqlite3", "archive.sqlite3-wal", "archive.sqlite3-shm"))
    return db_rows(root / "archive.sqlite3"), files


def stored_sources(root: Path) -> dict[str, int]:
    """{sha256: number of evidence rows} for the archive at `root` (read-only)."""
    con = sqlite3.connect(f"file:{root / 'archive.sqlite3'}?mode=ro", uri=True)
    try:
        return dict(con.execute(
            "SELECT b.sha256, count(f.id) FROM blob b LEFT JOIN evidence_file f ON f.blob_id=b.id GROUP BY b.sha256"
        ).fetchall())
    finally:
        con.close()


def check_all_or_nothing(root: Path, sources: dict[Path, str]) -> None:
    """Every source file is fully in the archive (a row whose stored file hashes right) or
    absent from the rows (at most an orphan file in the store)."""
    rows = stored_sources(root)
    for src, sha in sources.items():
        if sha in rows:
            stored = root / "files" / sha[:2] / sha[2:4] / sha
            assert stored.is_file(), f"row without file for {src}"
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha, f"stored file corrupt: {src}"


def python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def cli(*args: str, user: int | None = None, env: dict | None = None, timeout: float = 120):
    """`python -m desktop ARGS`; as the unprivileged uid `user` when given (setpriv)."""
    cmd = [sys.executable, "-m", "desktop", *args]
    full_env = python_env()
    if env:
        full_env.update(env)
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
        full_env["HOME"] = "/tmp"
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout)


def can_setpriv() -> str:
    """"" when commands can be run as nobody here, else why not."""
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root to switch to an unprivileged user"
    try:
        r = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                            sys.executable, "-c", "import os; print(os.getuid())"],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"setpriv not usable: {e}"
    if r.returncode != 0 or r.stdout.strip() != str(NOBODY):
        return f"setpriv failed: {r.stderr.strip()}"
    # The interpreter and the project must be readable by nobody.
    r = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                        sys.executable, "-c", "import sqlalchemy, desktop.cli"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT, env=python_env())
    if r.returncode != 0:
        return f"the project is not importable as nobody: {r.stderr.strip()[-200:]}"
    return ""


def chown_tree(root: Path, uid: int) -> None:
    for p in [root, *root.rglob("*")]:
        os.lchown(p, uid, uid)
    parent = root.parent
    while parent != parent.parent:  # nobody must be able to reach it
        mode = parent.stat().st_mode
        if not mode & 0o001:
            os.chmod(parent, mode | 0o001)
        parent = parent.parent


@contextlib.contextmanager
def mounted(kind: str, target: Path, *, source: Path | None = None, size: str = "2m"):
    """A tmpfs of `size` ("tmpfs") or a read-only bind of `source` ("ro-bind") at `target`;
    yields None, or the reason it could not be mounted."""
    target.mkdir(parents=True, exist_ok=True)
    if kind == "tmpfs":
        cmds = [["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)]]
    else:
        cmds = [["mount", "--bind", str(source), str(target)],
                ["mount", "-o", "remount,ro,bind", str(target)]]
    done = 0
    try:
        for c in cmds:
            r = subprocess.run(c, capture_output=True, text=True)
            if r.returncode != 0:
                yield f"{' '.join(c)} failed: {r.stderr.strip()}"
                return
            done += 1
        yield None
    finally:
        if done:
            subprocess.run(["umount", str(target)], capture_output=True)


def one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line, got: {stderr!r}"
    assert "Traceback" not in stderr
    line = lines[0]
    assert line.startswith("错误："), line
    assert "(error: " in line, line
    return line
