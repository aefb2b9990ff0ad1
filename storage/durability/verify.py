"""verify: is every stored file there and intact, and is the database sound?

Re-hashes every stored file against its name and its row, runs the database's integrity
check, and lists, by the names the clerk knows (original file name and evidence number):
- missing: a row whose file is gone from the store;
- corrupt: a file whose bytes no longer hash to its name (a flipped bit, a bad disk);
- orphan: a file in the store that no row points at (a crash between store and commit);
- leftover: a temporary file of an interrupted copy (harmless; reported, not an error).
`verify_archive` changes nothing. `repair_archive` (`verify --repair`) then:
- adopts each orphan whose bytes match its name into the inbox (a Blob row and a pending
  InboxEntry saying where it was found), and moves an orphan that does not match its name
  into quarantine/; an orphan is never deleted;
- brings a missing or corrupt file back from where it came from (EvidenceFile.source_path)
  when that file is still there with the same content; a corrupt file is moved to
  quarantine/ first. What cannot be brought back is listed with its original name and
  source path, so the clerk can find it;
- removes temporary files of interrupted copies (partial copies of files still at their
  source; nothing refers to them);
- counts again the figures `status` reads from the trigger-kept tally (`storage.core.tally`)
  when verify found them different from the records.
Files younger than `grace_seconds` are left alone: they may belong to a copy in progress
in another process (a file is stored a moment before its row is committed).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select

from storage.core.archive import Archive
from storage.core.audit import log_action
from storage.core.db import integrity_problems
from storage.core.filestore import hash_file
from storage.core.tally import drift, recompute
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.models import Blob, Evidence, EvidenceFile, InboxEntry


@dataclass(frozen=True)
class Problem:
    kind: str  # missing | corrupt | orphan | database | leftover
    path: str
    sha256: str = ""
    detail: str = ""  # Chinese, English in brackets
    names: tuple[str, ...] = ()  # original file names (and evidence ids) using the file

    @property
    def is_error(self) -> bool:
        return self.kind != "leftover"


@dataclass
class VerifyReport:
    files_checked: int = 0
    bytes_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and not self.cancelled

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "files_checked": self.files_checked,
            "bytes_checked": self.bytes_checked,
            "cancelled": self.cancelled,
            "problems": [asdict(p) for p in self.problems],
        }


def verify_archive(
    archive: Archive, *, progress: ProgressFn = no_progress, cancel: CancelFn = never_cancel
) -> VerifyReport:
    report = VerifyReport()
    for line in integrity_problems(archive.engine):
        report.problems.append(
            Problem("database", str(archive.db_path), detail=f"数据库检查未通过：{line} (database check failed)")
        )
    if tally_drift(archive):
        report.problems.append(Problem("database", str(archive.db_path), detail=TALLY_DRIFT))

    with archive.sessions.read() as s:
        blobs = s.execute(select(Blob.sha256, Blob.size)).all()
        names: dict[str, list[str]] = defaultdict(list)
        for sha, name, eid, title in s.execute(
            select(Blob.sha256, EvidenceFile.original_name, Evidence.id, Evidence.title)
            .join(EvidenceFile, EvidenceFile.blob_id == Blob.id)
            .join(Evidence, Evidence.id == EvidenceFile.evidence_id)
        ):
            names[sha].append(f"{name}（佐证 #{eid}《{title}》）")

    known = {sha for sha, _ in blobs}
    total_bytes = sum(size for _, size in blobs)
    progress(0, total_bytes, "")
    done = 0
    store = str(archive.files.root)
    join = os.path.join
    for sha, size in blobs:
        if cancel():
            report.cancelled = True
            return report
        # Plain strings and no separate stat: per-file overhead shows at 5,000 files.
        path = join(store, sha[:2], sha[2:4], sha)
        who = tuple(names.get(sha, ()))
        try:
            actual, actual_size = hash_file(path)
        except (FileNotFoundError, IsADirectoryError):
            report.problems.append(
                Problem("missing", str(path), sha, "文件丢失 (stored file is missing)", who)
            )
            continue
        except OSError as e:
            report.problems.append(
                Problem("corrupt", str(path), sha, f"无法读取：{e.strerror} (cannot read)", who)
            )
            continue
        report.files_checked += 1
        report.bytes_checked += actual_size
        if actual != sha or actual_size != size:
            report.problems.append(
                Problem(
                    "corrupt", str(path), sha,
                    f"内容已损坏：校验值不符（应为 {sha[:12]}…，实为 {actual[:12]}…）"
                    f" (content corrupt: sha256 mismatch)",
                    who,
                )
            )
        done += size
        progress(done, total_bytes, who[0] if who else sha[:12])

    for sha, path in _stored_files(store):
        if sha not in known:
            report.problems.append(
                Problem("orphan", str(path), sha,
                        "存储区中有文件但没有任何记录指向它 (stored file that no record uses)")
            )
    for leftover in archive.files.staging_leftovers():
        report.problems.append(
            Problem("leftover", str(leftover), "",
                    "中断的复制留下的临时文件，可以删除 (temporary file of an interrupted copy)")
        )
    return report


TALLY_DRIFT = ("进度统计数字与记录不符，修复时将重新统计 "
               "(the counts kept for status differ from the records; repair counts them again)")


def tally_drift(archive: Archive) -> list[str]:
    """Where the trigger-kept counts differ from the records (`storage.core.tally.drift`)."""
    if archive.engine.dialect.name != "sqlite":
        return []
    with archive.engine.connect() as c:
        return drift(lambda sql: c.exec_driver_sql(sql).all())


def _stored_files(store: str) -> Iterator[tuple[str, str]]:
    """(name, path) of every file under a hash name (`ab/cd/<name>`), by os.scandir."""
    try:
        level1 = [e for e in os.scandir(store) if e.is_dir() and len(e.name) == 2]
    except FileNotFoundError:
        return
    for d1 in sorted(level1, key=lambda e: e.name):
        for d2 in sorted((e for e in os.scandir(d1.path) if e.is_dir()), key=lambda e: e.name):
            for f in sorted(os.scandir(d2.path), key=lambda e: e.name):
                yield f.name, f.path


# --- repair --------------------------------------------------------------------------------

ADOPT_REASON = (
    "verify --repair 在存储区中找到的无主文件（可能是导入中断留下的），已收入收件箱，请确认后归档"
    " (orphan file found in the store by verify --repair, probably from an interrupted ingest)"
)


@dataclass(frozen=True)
class RepairAction:
    kind: str  # adopted | quarantined | restored | unrecoverable | removed_leftover | skipped_recent | recounted
    path: str  # the file acted on (in the store, quarantine or staging)
    sha256: str = ""
    detail: str = ""  # Chinese, English in brackets
    inbox_id: int | None = None
    sources: tuple[str, ...] = ()  # where the file came from: "original name ← source path (#id《title》)"


@dataclass
class RepairReport:
    before: VerifyReport
    actions: list[RepairAction] = field(default_factory=list)
    after: VerifyReport | None = None

    @property
    def ok(self) -> bool:
        return self.after is not None and self.after.ok

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "before": self.before.as_dict(),
            "actions": [asdict(a) for a in self.actions],
            "after": self.after.as_dict() if self.after else None,
        }


def _quarantine(archive: Archive, path: Path, stamp: str) -> Path:
    folder = archive.quarantine_dir / stamp
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    n = 1
    while dest.exists():
        dest = folder / f"{path.name}.{n}"
        n += 1
    shutil.move(str(path), str(dest))
    return dest


def _sources(archive: Archive, sha: str) -> list[tuple[str, str, int, str]]:
    """(original name, source path, evidence id, title) of every row using `sha`."""
    with archive.sessions.read() as s:
        return [
            (r[0], r[1], r[2], r[3])
            for r in s.execute(
                select(EvidenceFile.original_name, EvidenceFile.source_path, Evidence.id, Evidence.title)
                .join(Blob, Blob.id == EvidenceFile.blob_id)
                .join(Evidence, Evidence.id == EvidenceFile.evidence_id)
                .where(Blob.sha256 == sha)
                .order_by(EvidenceFile.id)
            )
        ]


def _bring_back(archive: Archive, sha: str, sources: list[tuple[str, str, int, str]]) -> str:
    """Store the first source file that still has content `sha`; its path, or ""."""
    for _name, source_path, _eid, _title in sources:
        if not source_path:
            continue
        src = Path(source_path)
        try:
            if not src.is_file() or hash_file(src)[0] != sha:
                continue
            stored = archive.files.store(src)
        except OSError:
            continue
        if stored.sha256 == sha:
            return source_path
    return ""


def repair_archive(
    archive: Archive,
    *,
    grace_seconds: float = 60.0,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> RepairReport:
    """Verify, act on each problem found (see the module docstring), verify again."""
    report = RepairReport(before=verify_archive(archive, progress=progress, cancel=cancel))
    if report.before.cancelled:
        return report
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    now = time.time()

    def recent(path: Path) -> bool:
        try:
            return now - path.stat().st_mtime < grace_seconds
        except OSError:
            return True

    for p in report.before.problems:
        path = Path(p.path)
        if p.kind == "database" and p.detail == TALLY_DRIFT:
            with archive.sessions.write() as s:
                recompute(s.connection().exec_driver_sql)
            report.actions.append(RepairAction("recounted", p.path, "",
                "已按记录重新统计进度数字 (the counts for status were counted again from the records)"))
        elif p.kind == "orphan":
            if recent(path):
                report.actions.append(RepairAction("skipped_recent", p.path, p.sha256,
                    "刚写入的文件，可能正在导入，暂不处理 (just written, maybe an ingest in progress; left alone)"))
                continue
            try:
                actual, size = hash_file(path)
            except OSError as e:
                actual, size = "", 0
                err = e.strerror
            if actual == p.sha256:
                with archive.sessions.write() as s:
                    blob = s.scalar(select(Blob).where(Blob.sha256 == actual))
                    if blob is None:
                        blob = Blob(sha256=actual, size=size)
                        s.add(blob)
                        s.flush()
                    entry = InboxEntry(
                        source_path=str(path), size=size, blob_id=blob.id, state="pending",
                        reason=ADOPT_REASON,
                        source_mtime=dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None),
                    )
                    s.add(entry)
                    s.flush()
                    inbox_id = entry.id
                report.actions.append(RepairAction("adopted", p.path, actual,
                    f"已收入收件箱（#{inbox_id}） (adopted into the inbox as #{inbox_id})", inbox_id))
            else:
                dest = _quarantine(archive, path, stamp)
                why = "内容与文件名不符" if actual else f"无法读取：{err}"
                report.actions.append(RepairAction("quarantined", str(dest), p.sha256,
                    f"{why}，已移入隔离区 (content does not match its name or unreadable; moved to quarantine)"))
        elif p.kind in ("missing", "corrupt"):
            sources = _sources(archive, p.sha256)
            shown = tuple(f"{n} ← {sp or '（来源未记录）'}（佐证 #{eid}《{t}》）" for n, sp, eid, t in sources)
            if p.kind == "corrupt" and path.exists():
                moved = _quarantine(archive, path, stamp)
                report.actions.append(RepairAction("quarantined", str(moved), p.sha256,
                    "已损坏的文件已移入隔离区 (corrupt file moved to quarantine)", sources=shown))
            got = _bring_back(archive, p.sha256, sources)
            if got:
                report.actions.append(RepairAction("restored", p.path, p.sha256,
                    f"已从原位置重新存入：{got} (stored again from its source)", sources=shown))
            else:
                report.actions.append(RepairAction("unrecoverable", p.path, p.sha256,
                    "原位置已没有相同内容的文件，请按来源找回原件后重新导入，或从备份恢复 "
                    "(the source no longer has this content; bring the original back and "
                    "ingest it again, or restore a backup)", sources=shown))
        elif p.kind == "leftover":
            if recent(path):
                report.actions.append(RepairAction("skipped_recent", p.path, "",
                    "刚写入的临时文件，可能正在导入，暂不处理 (just written; left alone)"))
                continue
            try:
                os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
                path.unlink()
            except FileNotFoundError:
                pass
            report.actions.append(RepairAction("removed_leftover", p.path, "",
                "已删除中断复制留下的临时文件 (removed a partial copy)"))
    if report.actions:
        with archive.sessions.write() as s:
            log_action(s, "repair", "archive", "", {
                "actions": [[a.kind, a.sha256 or Path(a.path).name] for a in report.actions]
            })
    report.after = verify_archive(archive)
    return report
