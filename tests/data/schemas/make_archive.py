"""Make tests/data/schemas/<REV>.zip: a small archive written by the version whose newest
schema revision is REV.

Run with that version's code, not a later one, so the archive is what it really wrote:
    git archive <a commit whose newest revision is REV> | tar -x -C /tmp/code-REV
    .venv/bin/python tests/data/schemas/make_archive.py /tmp/code-REV REV
(0001.zip and 0002.zip were both made by the first landing's code: 0001 with the tree as it
stood before revision 0002 was added, 0002 with the tree that added it; 0003.zip by the
landing that added revision 0003, the reader's blob_text state; 0004.zip by the
review branch (evaluation and rectification), 0005.zip by the merge that added checkpoints
and rounds, 0006.zip by the merge that added the trigger-kept tally and the search prefix
index.)
"""
import sqlite3
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[3]))
from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive

REV = sys.argv[2] if len(sys.argv) > 2 else "0001"
work = Path(f"/tmp/schema-archive-{REV}")
root = work / "archive"
src = work / "共享文件夹" / "县市场监管局"
src.mkdir(parents=True)
(src / "关于印发质量强县工作方案的通知〔2023〕13号.txt").write_text("沂政发〔2023〕13号 质量强县工作方案", encoding="utf-8")
(src / "领导小组会议纪要.txt").write_text("质量强县工作领导小组第一次会议纪要", encoding="utf-8")
(src / "计量器具台账.csv").write_text("序号,名称\n1,电子秤\n", encoding="utf-8")
a = Archive.create(root)
ingest_paths(a, [src.parent], department="县市场监管局")
with a.engine.begin() as c:
    c.exec_driver_sql("UPDATE evidence SET trashed_at = CURRENT_TIMESTAMP WHERE id = 3")
a.close()
con = sqlite3.connect(root / "archive.sqlite3")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == REV
con.close()
out = Path(__file__).resolve().parent / f"{REV}.zip"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.name.endswith(("-wal", "-shm")):
            z.write(p, "archive/" + str(p.relative_to(root)))
        elif p.is_dir():
            z.write(p, "archive/" + str(p.relative_to(root)) + "/")
print(out, out.stat().st_size)
