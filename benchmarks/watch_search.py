"""Search at scale: N evidence items with Chinese text; index build time and query times
for two-character terms (bigram index), longer terms (trigram index) and a LIKE baseline.

    python benchmarks/watch_search.py [--items 50000] [--chars 1500]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text

from storage.catalogue.search import refresh_index, search
from storage.core.archive import Archive
from storage.models import Blob, BlobText, Evidence, EvidenceFile

WORDS = ("质量", "计量", "台账", "标准化", "认证", "检验检测", "品牌", "会议纪要", "工作方案", "通知",
         "监督抽查", "合格率", "企业", "产品", "服务", "工程", "农产品", "食品安全", "特种设备", "知识产权",
         "培训", "宣传", "考核", "领导小组", "责任分解", "佐证材料", "统计", "报告", "县政府", "乡镇")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--chars", type=int, default=1500)
    a = ap.parse_args()
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.create(Path(tmp) / "archive")
        t = time.monotonic()
        with archive.sessions.write() as s:
            conn = s.connection()
            for start in range(0, a.items, 5000):
                rng = range(start + 1, min(a.items, start + 5000) + 1)
                conn.execute(insert(Blob), [{"id": i, "sha256": f"{i:064x}", "size": 1} for i in rng])
                conn.execute(insert(Evidence), [
                    {"id": i, "title": "".join(rnd.choice(WORDS) for _ in range(4)), "status": "received"}
                    for i in rng])
                conn.execute(insert(EvidenceFile), [
                    {"evidence_id": i, "blob_id": i, "original_name": f"材料{i}.docx"} for i in rng])
                body = []
                for i in rng:
                    words = []
                    n = 0
                    while n < a.chars:
                        w = rnd.choice(WORDS)
                        words.append(w)
                        n += len(w)
                    body.append({"blob_id": i, "title": "", "text": "，".join(words)})
                conn.execute(insert(BlobText), body)
        gen = time.monotonic() - t
        t = time.monotonic()
        with archive.sessions.write() as s:
            n = refresh_index(s)
        build = time.monotonic() - t
        size = Path(archive.db_path).stat().st_size
        print(f"{a.items} items x ~{a.chars} chars: generated in {gen:.0f} s; index built for {n} items in "
              f"{build:.0f} s; database now {size / 1e6:.0f} MB")
        with archive.sessions.read() as s:
            for q in ("台账", "计量", "质", "会议纪要", "检验检测", "食品安全 台账", "不存在"):
                best = 1e9
                for _ in range(5):
                    t = time.perf_counter()
                    hits = search(s, q, limit=50)
                    best = min(best, time.perf_counter() - t)
                print(f"  search {q!r:12}: {len(hits):2d} hits (limit 50) in {best * 1000:.1f} ms")
            t = time.perf_counter()
            c = s.execute(text("SELECT count(*) FROM blob_text WHERE text LIKE '%台账%'")).scalar()
            print(f"  baseline LIKE '%台账%' over blob_text: {c} rows in {(time.perf_counter() - t) * 1000:.0f} ms")
        archive.close()


if __name__ == "__main__":
    main()
