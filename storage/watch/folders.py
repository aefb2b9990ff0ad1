"""Watched folders: which shared folders feed the inbox, and how each one is watched.

A folder is watched by native events (inotify / ReadDirectoryChangesW) when it is on a
local disk and by polling when it is on another machine (UNC path, mapped drive, cifs/nfs
mount), since native events do not fire for changes made by other machines. The choice is
automatic and `polling_seconds` overrides it: None = automatic, 0 = always native events,
> 0 = poll every that many seconds.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.catalogue.departments import find_department, get_or_create_department
from storage.kernel.errors import BadInput
from storage.kernel.filters import DEFAULT_EXCLUDES
from storage.kernel.paths import is_inside, is_network_path, link_target_inside, relpath_below, same_path
from storage.models import Department, ScanEntry, WatchedFolder
from storage.readmodels import FolderInfo

SETTLE_LOCAL_S = 2.0     # size+mtime unchanged this long before a local file is taken
SETTLE_NETWORK_S = 10.0  # SMB copies arrive in chunks, with pauses
POLL_NETWORK_S = 30.0    # default polling interval for a network folder


def split_patterns(text: str) -> tuple[str, ...]:
    """Patterns stored one per line (';' and ',' also separate them)."""
    out = []
    for chunk in (text or "").replace(";", "\n").replace(",", "\n").splitlines():
        chunk = chunk.strip()
        if chunk:
            out.append(chunk)
    return tuple(out)


def folder_info(session: Session, f: WatchedFolder, *, network: bool | None = None) -> FolderInfo:
    dept = session.get(Department, f.department_id) if f.department_id else None
    net = is_network_path(f.path) if network is None else network
    poll = float(f.polling_seconds) if f.polling_seconds is not None else None
    if poll is None:
        mode, interval = ("polling", POLL_NETWORK_S) if net else ("native", 0.0)
    elif poll > 0:
        mode, interval = "polling", poll
    else:
        mode, interval = "native", 0.0
    settle = float(f.settle_seconds) if f.settle_seconds is not None else (
        SETTLE_NETWORK_S if net else SETTLE_LOCAL_S
    )
    return FolderInfo(
        id=f.id, path=f.path, department=dept.name if dept else "", department_id=f.department_id,
        mode=mode, polling_seconds=interval, settle_seconds=settle,
        include=split_patterns(f.include_patterns), exclude=split_patterns(f.exclude_patterns),
        auto_accept=bool(f.auto_accept), enabled=bool(f.enabled), online=bool(f.online),
        last_error=f.last_error or "", last_full_scan=f.last_full_scan, network=net,
    )


def _norm(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(os.path.expanduser(str(path))))


def folder_conflict(existing: list[str], path: str, *,
                    platform: str | None = None) -> tuple[str, str] | None:
    """The watched folder `path` would duplicate ("same") or nest with ("overlap"), compared
    as the platform compares names: on Windows "D:\\共享\\财政局" and "d:\\共享\\财政局\\" are
    one folder (storage.paths.same_path / is_inside)."""
    for other in existing:
        if same_path(other, path, platform=platform):
            return other, "same"
        if is_inside(path, other, platform=platform) or is_inside(other, path, platform=platform):
            return other, "overlap"
    return None


def add_folder(
    session: Session,
    path: str | os.PathLike[str],
    *,
    department: str | None = None,
    polling_seconds: float | None = None,
    settle_seconds: float | None = None,
    include: str = "",
    exclude: str = "",
    auto_accept: bool = False,
) -> FolderInfo:
    """Watch `path` (recursively). Raises BadInput when it is not a folder or already watched,
    or lies inside the archive itself (or is an empty string: never the current folder)."""
    if not os.fspath(path).strip():
        raise BadInput("文件夹路径是空的，请写出要监视的文件夹", "the folder path is empty; give the folder to watch")
    p = _norm(path)
    if not os.path.isdir(p):
        raise BadInput(f"不是文件夹或无法访问：{p}", f"not a folder or not reachable: {p}")
    clash = folder_conflict([o.path for o in session.scalars(select(WatchedFolder))], p)
    if clash is not None:
        other, kind = clash
        if kind == "same":
            raise BadInput(f"此文件夹已在监视中：{other}", f"this folder is already watched: {other}")
        raise BadInput(
            f"文件夹与已监视的 {other} 互相包含，请只监视其中一个",
            f"folder overlaps the watched folder {other}; watch only one of them",
        )
    if polling_seconds is not None and polling_seconds < 0:
        raise BadInput("轮询间隔不能为负数", "polling interval cannot be negative")
    dept_id = get_or_create_department(session, department).id if department else None
    f = WatchedFolder(
        path=p, department_id=dept_id, polling_seconds=polling_seconds,
        settle_seconds=settle_seconds, include_patterns=include, exclude_patterns=exclude,
        auto_accept=auto_accept, enabled=True, online=True, last_error="",
    )
    session.add(f)
    session.flush()
    return folder_info(session, f)


def list_folders(session: Session) -> list[FolderInfo]:
    return [folder_info(session, f) for f in session.scalars(select(WatchedFolder).order_by(WatchedFolder.id))]


def find_folder(session: Session, path_or_id: str) -> WatchedFolder:
    f = None
    if str(path_or_id).isdigit():
        f = session.get(WatchedFolder, int(path_or_id))
    if f is None:
        f = session.scalar(select(WatchedFolder).where(WatchedFolder.path == _norm(path_or_id)))
    if f is None:  # another spelling of the same folder (case on Windows, trailing separator)
        f = next((o for o in session.scalars(select(WatchedFolder))
                  if same_path(o.path, _norm(path_or_id))), None)
    if f is None:
        raise BadInput(f"没有监视这个文件夹：{path_or_id}", f"this folder is not watched: {path_or_id}")
    return f


def remove_folder(session: Session, path_or_id: str) -> FolderInfo:
    """Stop watching a folder. Its files stay in the archive and its inbox entries stay;
    only the scan record is forgotten. Nothing in the folder itself is touched."""
    f = find_folder(session, path_or_id)
    info = folder_info(session, f)
    session.execute(delete(ScanEntry).where(ScanEntry.watched_folder_id == f.id))
    session.delete(f)
    session.flush()
    return info


def wanted(relpath: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> str | None:
    """None when the file `relpath` ('/'-separated) should be watched; else the pattern that
    excludes it. Case-insensitive, as on Windows; a pattern with '/' matches the path."""
    name = relpath.rsplit("/", 1)[-1].lower()
    low = relpath.lower()
    for pat in DEFAULT_EXCLUDES + exclude:
        pl = pat.lower()
        if fnmatch.fnmatchcase(low if "/" in pl else name, pl):
            return pat
    if include and not any(
        fnmatch.fnmatchcase(low if "/" in p else name, p.lower()) for p in include
    ):
        return "(include)"
    return None


def not_regular(mode: int, is_link: bool) -> str:
    """Why an entry that is not a regular file is skipped (Chinese, then English), "" for a
    regular file. Links are never followed: they could point outside the share (/etc/shadow),
    and what they point to would go into the bundle. FIFOs and devices are never opened."""
    if is_link or stat.S_ISLNK(mode):
        return "已跳过：符号链接，不跟随读取 (skipped: a symbolic link, never followed)"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "已跳过：命名管道，不读取 (skipped: a named pipe (FIFO), never opened)"
    if stat.S_ISSOCK(mode):
        return "已跳过：套接字，不读取 (skipped: a socket, never opened)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "已跳过：设备文件，不读取 (skipped: a device file, never opened)"
    return "已跳过：特殊文件，不读取 (skipped: a special file, never opened)"


def scan_tree(root: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
              skipped: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """relpath -> (size, mtime_ns) of every wanted, non-empty file under `root`.

    Raises OSError when the root itself cannot be listed (offline share, deleted folder):
    the caller must then *not* conclude that the files are gone. Unreadable subfolders are
    skipped (their files keep their last scan record). Symlinked folders are not followed.
    Links and special files (FIFOs, sockets, devices) are never read; when `skipped` is
    given, each wanted one is put there, relpath -> the reason (`not_regular`).
    """
    out: dict[str, tuple[int, int]] = {}
    stack = [""]
    first = True
    while stack:
        rel = stack.pop()
        full = os.path.join(root, rel) if rel else root
        try:
            it = os.scandir(full)
        except OSError:
            if first:
                raise
            continue
        first = False
        with it:
            for e in it:
                r = f"{rel}/{e.name}" if rel else e.name
                try:
                    if e.is_dir(follow_symlinks=False):
                        if e.name.lower() not in (".git", "$recycle.bin", "#recycle", "@eadir"):
                            stack.append(r)
                        continue
                    if not e.is_file(follow_symlinks=False):
                        # links are never followed: they could point outside the share
                        if skipped is not None and not wanted(r, include, exclude):
                            link = e.is_symlink()
                            why = not_regular(0 if link else e.stat(follow_symlinks=False).st_mode, link)
                            inside = link_target_inside(e.path, root) if link else None
                            if inside:
                                why = (f"已跳过：符号链接，指向本文件夹内的 {inside}，该文件已直接收取 "
                                       f"(skipped: a symbolic link to {inside} in this folder, taken itself)")
                            if why:
                                skipped[r] = why
                        continue
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                if st.st_size == 0 or wanted(r, include, exclude):
                    continue
                out[r] = (st.st_size, st.st_mtime_ns)
    return out


def relpath_of(root: str, path: str) -> str | None:
    """'/'-separated path of `path` below `root`, or None when it is not below it."""
    return relpath_below(root, path)


def full_path(root: str, relpath: str) -> str:
    return str(Path(root, *relpath.split("/")))


def department_for_path(session: Session, folder: WatchedFolder | None, relpath: str) -> int | None:
    """The 报送单位 of a file found in a watched share (issue 17, item 2): the nearest folder
    on its path below the share that names a department in the registry (by name or alias:
    "县发改局/2024/通知.pdf" → 县发展和改革局), else the folder's own department, else None.
    Only registered departments count: "2024年" or "通知" never become one."""
    parts = [p for p in relpath.replace("\\", "/").split("/")[:-1] if p.strip()]
    for part in reversed(parts):
        dept = find_department(session, part)
        if dept is not None:
            return dept.id
    return folder.department_id if folder is not None else None
