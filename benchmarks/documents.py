"""The bundle's generated documents for a county-sized archive (issue 19: under 4 s for
5,000 items, and linear).

    .venv/bin/python benchmarks/documents.py [--indicators 43] [--evidence 5000] [--rounds 5]
        [--compare <checkout of an older commit>]

Builds a new archive in a temporary folder: 4 level-1, 15 level-2 and N leaf indicators
(with scoring rules, a numeric target and a veto item), M evidence items spread over the
leaves with document numbers, dates and issuing bodies (small random files written straight
into the store, rows by bulk insert), 60 duties, a self-score for every leaf and the county's
facts. Then times, best of --runs:

    read      bundle_source + documents_source + duties_table (one read session)
    plan      plan_bundle
    each of   申报表 / 自评报告 / 佐证材料目录 (python-docx) and 自评得分表 / 工作责任分解表 /
              佐证材料清单 (openpyxl), with timestamps pinned
    total     all of the above: what `export` spends before copying files

Interleaved rounds (benchmarks/common.py): each round times the documents for N items and
for N/2 items (A B A B …) and reports the medians, the median per-round ratio N / (N/2)
(2.0 = linear) and the load average. With --compare, each round also runs the same
documents for N items in a new process of the other checkout and of this one (the same
archive; each process warms up once, then times the faster of two runs): the median ratio this / other.
Every document is made twice in the first round and must come out byte for byte the same.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select

from benchmarks.common import interleave, load, median
from exporters import documents
from exporters.bundle import plan_bundle
from exporters.documents_catalogue import catalogue
from exporters.evidence_list_xlsx import evidence_list_workbook
from exporters.selfscore_xlsx import self_score_workbook
from storage.bundle.assessments import set_assessment
from storage.bundle.sources import bundle_source, documents_source
from storage.catalogue.county import set_county_facts
from storage.catalogue.frameworks import DutySpec, FrameworkSpec, IndicatorSpec, add_duties, add_framework
from storage.core.archive import Archive
from storage.models import Blob, Evidence, EvidenceFile, EvidenceIndicator, Indicator
from storage.readmodels import CountyFacts, GdpYear, Leader
from storage.tables.export_query import duties_table

DATE = dt.date(2026, 3, 1)
RULE = "建立工作机制并有效运行得满分；机制不健全的酌情扣分；未建立的不得分。材料包括文件、会议纪要、工作总结等。"


def build(root: Path, leaves: int, items: int) -> Archive:
    a = Archive.create(root)
    per_l2 = [leaves // 15 + (1 if i < leaves % 15 else 0) for i in range(15)]
    l1 = []
    n = 0
    for i in range(4):
        l2 = []
        for j in range(i * 4, min(i * 4 + 4, 15)):
            kids = []
            for k in range(per_l2[j]):
                n += 1
                kids.append(IndicatorSpec(
                    code=f"{i + 1}.{j - i * 4 + 1}.{k + 1}",
                    title=f"示例指标{n:02d}：建立健全质量工作机制并推动各项任务落实到位", max_score=2 + n % 3,
                    scoring_rule=RULE, is_key=n % 7 == 0, is_veto=n == leaves,
                    target_comparator=">=" if n % 10 == 0 else None,
                    target_value=95 if n % 10 == 0 else None, target_unit="%" if n % 10 == 0 else ""))
            l2.append(IndicatorSpec(code=f"{i + 1}.{j - i * 4 + 1}", title=f"二级指标{j + 1}", children=kids))
        l1.append(IndicatorSpec(code=str(i + 1), title=f"一级指标{i + 1}", children=l2))
    with a.sessions.write() as s:
        fw = add_framework(s, FrameworkSpec(name="基准测试评价指标体系", indicators=l1,
                                            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
                                            data_cutoff=dt.date(2025, 12, 31)))
        leaf = list(s.execute(select(Indicator.id, Indicator.code).where(Indicator.level == 3)
                              .order_by(Indicator.id)))
        add_duties(s, fw, [DutySpec(task=f"落实第{i + 1}项任务并报送佐证材料", indicator_code=leaf[i % len(leaf)][1],
                                    lead=[f"县{['工信', '住建', '农业农村', '商务', '卫健'][i % 5]}局"],
                                    deadline=dt.date(2025, 6 + i % 6, 28), deadline_kind="date",
                                    deadline_text=f"2025年{6 + i % 6}月底前") for i in range(60)])
        set_county_facts(s, CountyFacts(name="示例县", population="98.5", area="2434.8",
                                        gdp=(GdpYear(2024, "612.3"), GdpYear(2023, "585.1")),
                                        leaders=(Leader("县长", "张三"),), contact_name="王五",
                                        contact_phone="0539-1234567", contact_unit="示例县市场监督管理局"))
        for _id, code in leaf:
            ind = s.get(Indicator, _id)
            assert ind is not None
            if ind.is_veto:
                set_assessment(s, code, veto="clear")
            else:
                set_assessment(s, code, score=float(ind.max_score or 0) - 0.5, note="部分材料不完整，扣0.5分",
                               description="按要求建立了工作机制，定期调度，各项任务均按期完成。" * 3,
                               value=96 if ind.target_value is not None else None)
    rng = random.Random(7)
    blobs, evidence, efiles, links = [], [], [], []
    for i in range(items):
        data = rng.randbytes(1024 + i)  # the same files every run: the documents can be compared byte for byte
        sha = hashlib.sha256(data).hexdigest()
        p = a.files.path_for(sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        title = f"关于印发示例县质量强县创建第{i}项工作方案的通知"
        blobs.append({"id": i + 1, "sha256": sha, "size": len(data)})
        evidence.append({"id": i + 1, "title": title, "status": "accepted",
                         "doc_number": f"示政发〔2025〕{i + 1}号",
                         "issue_date": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(360)),
                         "issuing_body": "示例县人民政府办公室"})
        efiles.append({"id": i + 1, "evidence_id": i + 1, "blob_id": i + 1,
                       "original_name": title + ".pdf", "source_path": ""})
        links.append({"evidence_id": i + 1, "indicator_id": leaf[i % len(leaf)][0],
                      "position": i // len(leaf) + 1})
    with a.engine.begin() as c:
        c.execute(insert(Blob), blobs)
        c.execute(insert(Evidence), evidence)
        c.execute(insert(EvidenceFile), efiles)
        c.execute(insert(EvidenceIndicator), links)
    return a


def documents_of(a: Archive) -> dict[str, Callable[[], bytes]]:
    """The six documents' makers for archive `a` (read once), by name."""
    with a.sessions.read() as s:
        source = bundle_source(s)
        src = documents_source(s, source, DATE)
        duties = duties_table(s, today=DATE)
    groups = catalogue(source, plan_bundle(source), {m.evidence_id: m for m in src.evidence})
    return {
        "申报表": lambda: documents.application_form(src, groups, DATE),
        "自评报告": lambda: documents.self_evaluation_report(src, groups, DATE),
        "佐证材料目录": lambda: documents.evidence_catalogue(src, groups, DATE),
        "自评得分表": lambda: self_score_workbook(src, DATE),
        "工作责任分解表": lambda: documents.duties_workbook(duties, DATE),
        "佐证材料清单": lambda: evidence_list_workbook(src, groups, DATE),
    }


def run_once(a: Archive) -> dict[str, float]:
    """Seconds for each step of one run (see the module doc) and their total."""
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    with a.sessions.read() as s:
        source = bundle_source(s)
        src = documents_source(s, source, DATE)
        duties = duties_table(s, today=DATE)
    t["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    plan = plan_bundle(source)
    groups = catalogue(source, plan, {m.evidence_id: m for m in src.evidence})
    t["plan"] = time.perf_counter() - t1
    for name, fn in (
        ("申报表", lambda: documents.application_form(src, groups, DATE)),
        ("自评报告", lambda: documents.self_evaluation_report(src, groups, DATE)),
        ("佐证材料目录", lambda: documents.evidence_catalogue(src, groups, DATE)),
        ("自评得分表", lambda: self_score_workbook(src, DATE)),
        ("工作责任分解表", lambda: documents.duties_workbook(duties, DATE)),
        ("佐证材料清单", lambda: evidence_list_workbook(src, groups, DATE)),
    ):
        t2 = time.perf_counter()
        fn()
        t[name] = time.perf_counter() - t2
    t["total"] = time.perf_counter() - t0
    return t


# Run in a new process of a checkout (its own benchmarks/documents.py): one warm-up run,
# then the faster of two timed runs on the same archive; prints its seconds as JSON.
_WORKER = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from benchmarks.documents import run_once
from storage.core.archive import Archive
a = Archive.open(Path(sys.argv[1]))
run_once(a)
print(json.dumps(min((run_once(a) for _ in range(2)), key=lambda t: t["total"])))
a.close()
"""


def run_in(tree: Path, archive: Path) -> dict[str, float]:
    """`run_once` of checkout `tree` on `archive`, in a new process (see _WORKER)."""
    r = subprocess.run([sys.executable, "-c", _WORKER, str(archive)], cwd=tree, capture_output=True,
                       text=True, timeout=900, check=False)
    if r.returncode != 0:
        raise SystemExit(f"{tree}: {r.stderr.strip()[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def same_bytes_twice(a: Archive) -> list[str]:
    """The documents that did NOT come out byte for byte the same when made twice."""
    return [name for name, fn in documents_of(a).items() if fn() != fn()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicators", type=int, default=43)
    ap.add_argument("--evidence", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--compare", type=Path, metavar="TREE", help="also run the documents of this checkout")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="documents-bench-"))
    try:
        t = time.perf_counter()
        full = build(work / "full", args.indicators, args.evidence)
        half = build(work / "half", args.indicators, args.evidence // 2)
        print(f"built {args.indicators} leaf indicators, {args.evidence} and {args.evidence // 2} evidence "
              f"items in {time.perf_counter() - t:.1f}s; load {load()}", flush=True)
        differ = same_bytes_twice(full)
        print("byte for byte the same twice:", "yes" if not differ else f"NO: {', '.join(differ)}")
        parts: dict[str, list[float]] = {}

        def subject() -> float:
            r = run_once(full)
            for k, v in r.items():
                parts.setdefault(k, []).append(v)
            return r["total"]

        ta, tb, ratios, ld = interleave(lambda: run_once(half)["total"], subject, args.rounds)
        for k, v in parts.items():
            print(f"  {k:10s} {median(v):6.2f}s")
        print(f"documents for {args.evidence} items: {median(tb):.2f}s, for {args.evidence // 2}: "
              f"{median(ta):.2f}s; median ratio per round {median(ratios):.2f} (2.0 = linear; rounds "
              f"{', '.join(f'{r:.2f}' for r in ratios)}); {args.rounds} rounds, load {ld} "
              f"(target < 4 s)", flush=True)
        if args.compare is not None:
            full.close()
            this = Path(__file__).resolve().parents[1]
            other = args.compare.resolve()
            to, tt, cr, cl = interleave(lambda: run_in(other, work / "full")["total"],
                                        lambda: run_in(this, work / "full")["total"], args.rounds)
            print(f"same archive in new processes: {other}: {median(to):.2f}s, this tree: {median(tt):.2f}s; "
                  f"median ratio this / other {median(cr):.2f} (rounds {', '.join(f'{r:.2f}' for r in cr)}); "
                  f"load {cl}")
        else:
            full.close()
        half.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
