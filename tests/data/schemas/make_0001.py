"""Make tests/data/schemas/0001.zip: a small archive written by the foundation (schema 0001).

Run with the code of the first landing (schema 0001 as submitted, with its two covering
indexes on evidence), not a later one, so the archive is what that version really wrote:
    git archive <the commit that last changed storage/migrations/versions/0001_*> | tar -x -C /tmp/f0001
    .venv/bin/python tests/data/schemas/make_0001.py /tmp/f0001
"""
import sqlite3
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[3]))
from storage.archive import Archive
from storage.ingest import ingest_paths

root = Path("/tmp/s0001/archive")
src = Path("/tmp/s0001/共享文件夹/县市场监管局")
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
assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
con.close()
out = Path(__file__).resolve().parent / "0001.zip"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.name.endswith(("-wal", "-shm")):
            z.write(p, "archive/" + str(p.relative_to(root)))
        elif p.is_dir():
            z.write(p, "archive/" + str(p.relative_to(root)) + "/")
print(out, out.stat().st_size)
