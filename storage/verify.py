"""verify: is every stored file there and intact, and is the database sound?

Re-hashes every stored file against its name and its row, runs the database's integrity
check, and lists, by the names the clerk knows (original file name and evidence number):
- missing: a row whose file is gone from the store;
- corrupt: a file whose bytes no longer hash to its name (a flipped bit, a bad disk);
- orphan: a file in the store that no row points at (a crash between store and commit);
- leftover: a temporary file of an interrupted copy (harmless; reported, not an error).
It changes nothing; repairing is `verify --repair` (the durability issue).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from .archive import Archive
from .db import integrity_problems
from .filestore import hash_file
from .models import Blob, Evidence, EvidenceFile
from .progress import CancelFn, ProgressFn, never_cancel, no_progress


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
    for sha, size in blobs:
        if cancel():
            report.cancelled = True
            return report
        path = archive.files.path_for(sha)
        who = tuple(names.get(sha, ()))
        if not path.is_file():
            report.problems.append(
                Problem("missing", str(path), sha, "文件丢失 (stored file is missing)", who)
            )
            continue
        try:
            actual, actual_size = hash_file(path)
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

    for sha, path in archive.files.iter_stored():
        if sha not in known:
            report.problems.append(
                Problem("orphan", str(path), sha,
                        "存储区中有文件但没有任何记录指向它 (stored file that no record uses)")
            )
    for path in archive.files.staging_leftovers():
        report.problems.append(
            Problem("leftover", str(path), "",
                    "中断的复制留下的临时文件，可以删除 (temporary file of an interrupted copy)")
        )
    return report
