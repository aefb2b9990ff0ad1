"""The demo archive: a sample framework (marked 示例), departments, duties and generated
evidence files linked to indicators, enough to explore every view and export a bundle.

Everything in it is invented and says so; only the four level-1 names are the public ones
of the Shandong 2022 system.
"""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

import resources
from storage.catalogue.departments import get_or_create_department
from storage.catalogue.frameworks import DutySpec, FrameworkSpec, IndicatorSpec, add_duties, add_framework
from storage.catalogue.ingest import ingest_paths
from storage.core.archive import Archive
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.models import Evidence, Setting

SAMPLE_MARK = "示例"


def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(resources.path("demo", "demo.json").read_text(encoding="utf-8"))
    return spec


def _indicators(nodes: list[dict[str, Any]]) -> list[IndicatorSpec]:
    return [
        IndicatorSpec(
            code=n["code"],
            title=n["title"],
            max_score=n.get("max_score"),
            scoring_rule=n.get("scoring_rule", ""),
            is_key=n.get("is_key", False),
            is_veto=n.get("is_veto", False),
            target_comparator=n.get("target_comparator"),
            target_value=n.get("target_value"),
            target_unit=n.get("target_unit", ""),
            target_text=n.get("target_text", ""),
            children=_indicators(n.get("children", [])),
        )
        for n in nodes
    ]


def _write_docx(path: Path, title: str, notice: str, body: Sequence[str] = ()) -> None:
    """A demo Word file: its title, the 示例 notice, and its own invented paragraphs (each demo
    file says something of its own, so the inbox's memory of filed files is not one shared
    sentence; without `body`, one general line)."""
    import docx  # python-docx loads only when a demo archive is made, not at the window's start

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.author = "Evidence Desk 示例"
    fixed = dt.datetime(2026, 1, 1)
    d.core_properties.created = fixed
    d.core_properties.modified = fixed
    d.add_heading(title, level=1)
    d.add_paragraph("【示例文件】" + notice)
    for paragraph in body or ("这是为演示生成的佐证材料正文。实际使用时，这里是部门报送的红头文件、纪要或报告。",):
        d.add_paragraph(paragraph)
    d.save(str(path))


def _write_xlsx(path: Path, title: str, notice: str, rows: Sequence[Sequence[Any]] = ()) -> None:
    """A demo Excel file: its title, the 示例 notice and its own invented table (without `rows`,
    five numbered sample rows)."""
    import openpyxl  # loads only when a demo archive is made

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "示例"
    ws.append([title])
    ws.append(["【示例文件】" + notice])
    for row in rows or [["序号", "项目", "数值"]] + [[i, f"示例项目{i}", 90 + i] for i in range(1, 6)]:
        ws.append(list(row))
    wb.properties.created = dt.datetime(2026, 1, 1)
    wb.properties.modified = dt.datetime(2026, 1, 1)
    wb.save(str(path))


def create_demo_archive(
    root: str | Path,
    *,
    today: dt.date | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelFn = never_cancel,
) -> Archive:
    spec = load_spec()
    today = today or dt.date.today()
    archive = Archive.create(root)
    fw_spec = spec["framework"]
    with archive.sessions.write() as s:
        fw = add_framework(
            s,
            FrameworkSpec(
                name=fw_spec["name"],
                version=fw_spec["version"],
                region=fw_spec["region"],
                total_score=fw_spec["total_score"],
                data_cutoff=dt.date.fromisoformat(fw_spec["data_cutoff"]),
                period_start=dt.date.fromisoformat(fw_spec["period_start"]),
                period_end=dt.date.fromisoformat(fw_spec["period_end"]),
                is_sample=True,
                source_file="resources/demo/demo.json",
                indicators=_indicators(fw_spec["indicators"]),
            ),
        )
        for name in spec["departments"]:
            get_or_create_department(s, name)
        duties = []
        for d in spec["duties"]:
            days = d["deadline_days_from_today"]
            deadline = today + dt.timedelta(days=days) if days is not None else None
            duties.append(
                DutySpec(
                    task=d["task"],
                    indicator_code=d["indicator_code"],
                    lead=d["lead"],
                    cooperating=d["cooperating"],
                    expected_evidence=d["expected_evidence"],
                    deadline=deadline,
                    deadline_kind="date" if deadline else "recurring",
                    deadline_text=f"{deadline:%Y年%m月%d日}前" if deadline else "每季度",
                    departments_text="、".join(d["lead"] + d["cooperating"]),
                    source="demo",
                )
            )
        add_duties(s, fw, duties)
        s.add(Setting(key="upload_deadline", value=json.dumps((today + dt.timedelta(days=40)).isoformat())))
        s.add(Setting(key="demo_notice", value=json.dumps(spec["notice"], ensure_ascii=False)))

    with tempfile.TemporaryDirectory(prefix="evidence-desk-demo-") as tmp:
        total = len(spec["evidence"])
        for n, ev in enumerate(spec["evidence"], start=1):
            if cancel():
                break
            folder = Path(tmp) / ev["department"]
            folder.mkdir(exist_ok=True)
            path = folder / f"{ev['title']}.{ev['kind']}"
            if ev["kind"] == "docx":
                _write_docx(path, ev["title"], spec["notice"], ev.get("body", ()))
            else:
                _write_xlsx(path, ev["title"], spec["notice"], ev.get("rows", ()))
            report = ingest_paths(
                archive, [path], department=ev["department"], indicator_code=ev["indicator_code"]
            )
            eid = report.items[0].evidence_id
            with archive.sessions.write() as s:
                item = s.scalar(select(Evidence).where(Evidence.id == eid))
                assert item is not None  # just stored by ingest_paths above
                item.status = ev["status"]
                item.notes = "示例材料"
            progress(n, total, ev["title"])
    return archive
