"""Responsibility-table import (工作责任分解表): one duty per row, linked to its indicator by
code or title, with lead and cooperating departments and a deadline.

Departments come from a lead column and a cooperating column, or from one 责任单位 column
where the lead is marked inline ("县市场监管局（牵头）") or simply named first. Deadlines are
read from dates, Excel serial numbers and text; the text is always kept.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from storage.catalogue.frameworks import DutySpec, sync_duties
from storage.catalogue.queries import current_framework_id
from storage.kernel.errors import BadInput
from storage.kernel.gcpause import without_collection
from storage.models import Framework, Indicator, Setting
from storage.tables.assign import is_unit_name, read_assignment
from storage.tables.columns import ColumnMap, match_role, no_header_error, parse_mapping
from storage.tables.framework_import import choose_sheet, title_above
from storage.tables.grid import Sheet, read_sheets
from storage.tables.layout import join_continued
from storage.tables.report import ImportReport, Message, finish
from storage.tables.rows import RowReader
from storage.tables.textparse import (
    cell_text,
    clean_title,
    one_line,
    parse_assignment,
    parse_deadline,
    title_key,
)

DUTY_ROLES = ("task", "lead", "cooperating", "departments", "deadline", "evidence")
LAYOUT_KEY = "duties_layout.{fid}"
_LABELLED = re.compile(r"^(牵头单位|配合单位|责任单位)[:：]")


@dataclass
class IndicatorIndex:
    """Indicators of one framework, findable by code, by title path, and by title."""

    by_code: dict[str, int]
    by_path: dict[tuple[str, ...], int]
    by_title: dict[str, list[int]]
    titles: dict[int, str]

    @classmethod
    def load(cls, session, framework_id: int | None) -> IndicatorIndex:
        if framework_id is None:
            return cls({}, {}, {}, {})
        rows = session.execute(
            select(Indicator.id, Indicator.parent_id, Indicator.code, Indicator.title)
            .where(Indicator.framework_id == framework_id)
        ).all()
        parent = {r.id: r.parent_id for r in rows}
        title = {r.id: r.title for r in rows}
        by_path: dict[tuple[str, ...], int] = {}
        by_title: dict[str, list[int]] = {}
        for r in rows:
            chain, cur = [], r.id
            while cur is not None:
                chain.append(title_key(title[cur]))
                cur = parent.get(cur)
            by_path[tuple(reversed(chain))] = r.id
            by_title.setdefault(title_key(r.title), []).append(r.id)
        return cls({r.code: r.id for r in rows if r.code}, by_path, by_title, title)

    def find(self, code: str, path: list[str]) -> int | None:
        if code and code in self.by_code:
            return self.by_code[code]
        if not path:
            return None
        keys = tuple(title_key(p) for p in path)
        if keys in self.by_path:
            return self.by_path[keys]
        # the table may leave out a level or start lower: match the tail
        for start in range(1, len(keys)):
            tail = keys[start:]
            hits = [i for p, i in self.by_path.items() if p[-len(tail):] == tail]
            if len(hits) == 1:
                return hits[0]
        ids = self.by_title.get(keys[-1], [])
        return ids[0] if len(ids) == 1 else None


def default_year(session, framework: Framework | None, title: str, year: int | None) -> int | None:
    """The year for deadlines written without one ("8月31日前")."""
    if year:
        return year
    m = re.search(r"((?:19|20)\d{2})\s*年", title or "")
    if m:
        return int(m.group(1))
    if framework is not None:
        for d in (framework.period_end, framework.period_start):
            if d is not None:
                return d.year
        m = re.search(r"((?:19|20)\d{2})", f"{framework.name} {framework.version}")
        if m:
            return int(m.group(1))
    return None


_PHONE = re.compile(r"^(?:联系)?(?:电话|手机|手机号码|联系方式|电话号码)$")


def _person_columns(cmap: ColumnMap) -> list[int]:
    """Every column that names people or how to reach them: the 牵头领导/责任领导/责任人/联系人
    columns (a table may have several, 责任领导 | 责任人) and a 联系电话 column beside them."""
    cols = list(cmap.roles.get("persons", []))
    for c in cmap.ignored:
        label = cmap.labels.get(c, "").split("/")[-1].replace(" ", "")
        if label and (match_role(label) == "persons" or _PHONE.match(label)):
            cols.append(c)
    return sorted(set(cols))


def _notes_with_persons(row_text: dict[str, str], cmap: ColumnMap, sheet: Sheet | None = None,
                        r: int | None = None) -> str:
    """The row's 备注, with the people it names kept beside it (every 牵头领导/责任领导/责任人/
    联系人 column with its 联系电话, or "牵头领导：张三" written in the units' cell): people are never
    departments."""
    parts = [row_text.get("notes", "")]
    if sheet is not None and r is not None:
        for c in _person_columns(cmap):
            value = one_line(cell_text(sheet.get(r, c)))
            if value:
                label = (cmap.labels.get(c, "") or "责任人").split("/")[-1]
                parts.append(f"{label}：{value}")
    elif row_text.get("persons") and (col := cmap.col("persons")) is not None:
        label = (cmap.labels.get(col, "") or "责任人").split("/")[-1]
        parts.append(f"{label}：{row_text['persons']}")
    for key in ("departments", "lead", "cooperating"):
        for label, name in parse_assignment(row_text.get(key, "")).persons if row_text.get(key) else []:
            parts.append(f"{label or '责任人'}：{name}")
    return "；".join(p for p in parts if p)


_LIST_MARKS = re.compile(r"[、，,；;：:\s（）()]")


def join_broken_names(text: str) -> str:
    """A units' cell as one name a line, with a name broken over two lines in a narrow cell
    ("节能与综合\n利用司") joined again: a line that is no unit and holds no list mark, whose
    next line completes it to a unit, is that unit's first half."""
    lines = [t.strip() for t in text.split("\n")]
    if len(lines) < 2:
        return text
    out: list[str] = []
    i = 0
    while i < len(lines):
        cur = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (cur and nxt and len(cur) <= 12 and not _LIST_MARKS.search(cur) and not _LIST_MARKS.search(nxt)
                and not is_unit_name(cur) and is_unit_name(cur + nxt)):
            out.append(cur + nxt)
            i += 2
            continue
        out.append(cur)
        i += 1
    return "\n".join(out)


def _departments(row_text: dict[str, str], cmap: ColumnMap) -> tuple[list[str], list[str], str]:
    """(lead, cooperating, departments_text) of one row."""
    lead_t = join_broken_names(row_text.get("lead", ""))
    coop_t = join_broken_names(row_text.get("cooperating", ""))
    dept_t = join_broken_names(row_text.get("departments", ""))
    has_lead_col = cmap.col("lead") is not None
    if has_lead_col or cmap.col("cooperating") is not None:
        lead = parse_assignment(lead_t, first_is_lead=False).units if lead_t else []
        a = parse_assignment(dept_t, first_is_lead=not lead) if dept_t else None
        coop = parse_assignment(coop_t, first_is_lead=False).units if coop_t else []
        if a is not None and not lead and coop_t and not has_lead_col and not read_assignment(dept_t).marked:
            # 责任单位 | 配合单位: the 责任单位 column names the units responsible, every one it
            # lists ("市经委\n市城管局"), beside those that help; no first-named rule inside it
            lead = a.units
        elif a is not None:
            lead += [n for n in a.lead if n not in lead]
            coop += [n for n in a.cooperating if n not in lead and n not in coop]
        if not lead and coop and not has_lead_col:
            lead = [coop.pop(0)]
        parts = []
        if lead_t:
            parts.append(f"牵头单位：{lead_t}")
        if coop_t:
            parts.append(f"配合单位：{coop_t}")
        if dept_t:
            parts.append(f"责任单位：{dept_t}")
        return lead, [c for c in coop if c not in lead], "；".join(parts)
    a = parse_assignment(dept_t)
    return a.lead, a.cooperating, dept_t


def read_duties(session, path: str | Path, *, framework: Framework | None,
                sheet: str | None = None, mapping: str | None = None,
                header_row: int | None = None, year: int | None = None,
                sheets: list[Sheet] | None = None,
                ) -> tuple[list[DutySpec], ImportReport, Sheet, ColumnMap, str]:
    path = Path(path)
    sheets = read_sheets(path) if sheets is None else sheets
    if sheet is None:   # a sheet named by the clerk is read alone
        sheets = join_continued(sheets)
    s, cmap = _choose(sheets, sheet, path, mapping, header_row)
    if not any(cmap.col(r) is not None for r in ("lead", "cooperating", "departments", "task")):
        raise BadInput(
            f"{path.name} 的表头中没有单位或任务列（应有 牵头单位、配合单位、责任单位 或 工作任务 之一）；"
            "可用 --map lead=列,task=列 指定",
            f"no department or task column in the header of {path.name} (expected one of lead, "
            "cooperating, departments, task); give --map lead=COLUMN,task=COLUMN",
        )
    title = title_above(s, cmap)
    yr = default_year(session, framework, title, year)
    index = IndicatorIndex.load(session, framework.id if framework else None)
    reader = RowReader(s, cmap)
    report = ImportReport(kind="duties", file=str(path), sheet=s.name, mapping=cmap.as_dict())
    specs: list[DutySpec] = []
    unlinked: list[int] = []
    no_year: list[int] = []
    for row in reader.rows():
        if row.kind != "data":
            reason = {"blank": "空行", "note": "注释行", "total": "合计行", "section": "分节行",
                      "hidden": "隐藏行", "header": "重复的表头行"}[row.kind]
            report.skip(row.number, reason)
            continue
        lead, coop, dept_text = _departments(row.text, cmap)
        task = row.text.get("task", "")
        leaf_raw = row.path[-1][1] if row.path else ""
        if not task:
            task = clean_title(leaf_raw).text if leaf_raw else ""
        if not (lead or coop) and not row.text.get("task"):
            report.skip(row.number, "没有单位也没有任务（指标行）")
            continue
        if not task:
            task = row.text.get("rule", "")
        code_num = reader.code_numbering(row.r)
        code = ".".join(map(str, code_num.values)) if code_num else reader.row_code(row.r)
        ind_id = index.find(code if code_num else "", [p for _, p in row.path])
        if framework is not None and ind_id is None and (row.path or code_num):
            unlinked.append(row.number)
        dl = parse_deadline(row.raw.get("deadline"), default_year=yr)
        if dl.kind == "none" and dl.text and re.search(r"\d{1,2}\s*月", dl.text) and yr is None:
            no_year.append(row.number)
        specs.append(DutySpec(
            task=task,
            code=code,
            indicator_id=ind_id,
            lead=lead,
            cooperating=coop,
            expected_evidence=row.text.get("evidence", ""),
            deadline=dl.date,
            deadline_kind=dl.kind,
            deadline_text=dl.text,
            departments_text=dept_text,
            source="table",
            notes=_notes_with_persons(row.text, cmap, reader.sheet, row.r),
            row=row.number,
        ))
        report.rows_read += 1
    if unlinked:
        report.warnings.append(Message(
            f"以下行找不到对应的指标（按编号或名称），已导入但未关联指标：第 {'、'.join(map(str, unlinked[:30]))} 行"
            + ("等" if len(unlinked) > 30 else ""),
            f"rows with no matching indicator (by code or title), imported unlinked: {unlinked[:30]}",
        ))
    if no_year:
        report.warnings.append(Message(
            f"第 {'、'.join(map(str, no_year))} 行的完成时限没有年份，无法确定日期（可用 --year 指定），已保留原文",
            f"rows {no_year}: deadlines without a year could not be dated (give --year); text kept",
        ))
    if framework is None:
        report.warnings.append(Message(
            "档案库中还没有指标体系，任务未关联指标；可先用 framework import 导入（同一张表也可以）",
            "no framework in the archive yet: duties are not linked to indicators; "
            "run framework import first (the same table works)",
        ))
    report.items = [_duty_item(d) for d in specs]
    leads = sum(1 for d in specs if d.lead)
    report.summary = {"duties": len(specs), "with_lead": leads,
                      "linked_to_indicator": sum(1 for d in specs if d.indicator_id),
                      "default_year": yr}
    if not specs:
        raise BadInput(
            f"{path.name} 的工作表“{s.name}”中表头下没有读到任何任务行",
            f"no duty rows under the header of sheet '{s.name}' in {path.name}",
        )
    return specs, report, s, cmap, title


def _choose(sheets, sheet, path, mapping, header_row):
    try:
        return choose_sheet(sheets, sheet, path, parse_mapping(mapping), header_row)
    except BadInput as e:
        if "表头" in e.zh and sheets:
            raise no_header_error(sheets[0], path.name, ("level3", "task", "lead", "cooperating",
                                                          "departments", "deadline")) from None
        raise


def _duty_item(d: DutySpec) -> dict:
    return {
        "row": d.row, "code": d.code, "task": d.task, "indicator_id": d.indicator_id,
        "lead": d.lead, "cooperating": d.cooperating, "expected_evidence": d.expected_evidence,
        "deadline": d.deadline, "deadline_kind": d.deadline_kind, "deadline_text": d.deadline_text,
        "notes": d.notes,
    }


def layout_of(cmap: ColumnMap, sheet: Sheet, title: str) -> dict:
    """The county's column order, kept so the export can give the table back in its layout."""
    cols = []
    for role, cs in cmap.roles.items():
        for c in cs:
            cols.append((c, role, cmap.labels.get(c, "")))
    cols.sort()
    hier = cmap.hierarchy()
    out = []
    for c, role, label in cols:
        if role in ("title", "level1", "level2", "level3", "level4"):
            role = f"h{hier.index(c) + 1}"
        if role in ("key", "veto", "target"):
            continue
        out.append([role, label.split("/")[-1] if label else role])
    return {"title": title, "columns": out, "hierarchy_depth": len(hier),
            "numbered": len(hier) == 1}


def current_framework(session, framework_id: int | None) -> Framework | None:
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if framework_id is not None and session.get(Framework, framework_id) is None:
        raise BadInput(f"没有编号为 {framework_id} 的指标体系", f"no framework with id {framework_id}")
    return session.get(Framework, fid) if fid is not None else None


@without_collection
def import_duties(archive, path: str | Path, *, sheet: str | None = None,
                  mapping: str | None = None, header_row: int | None = None,
                  year: int | None = None, framework_id: int | None = None,
                  dry_run: bool = False, sheets: list[Sheet] | None = None) -> ImportReport:
    """Import (or re-import in place) a responsibility table in one transaction. `sheets`:
    the workbook already read (the preview reads it once for both itself and the import)."""
    session = archive.sessions.new_write_session()
    try:
        fw = current_framework(session, framework_id)
        specs, report, sheet_, cmap, title = read_duties(
            session, path, framework=fw, sheet=sheet, mapping=mapping, header_row=header_row,
            year=year, sheets=sheets,
        )
        diff = sync_duties(session, fw, specs, source="table", write=not dry_run)
        report.framework_id = fw.id if fw else None
        report.framework_name = fw.name if fw else ""
        report.added, report.changed, report.removed, report.kept = (
            diff.added, diff.changed, diff.removed, diff.kept)
        for k in diff.kept:
            report.warnings.append(Message(
                f"任务“{k['task']}”已不在新表中，但有佐证材料关联，已保留",
                f"duty '{k['task']}' is gone from the table but has evidence linked; kept",
            ))
        key = LAYOUT_KEY.format(fid=fw.id if fw else 0)
        value = json.dumps(layout_of(cmap, sheet_, title), ensure_ascii=False)
        setting = session.get(Setting, key)
        if setting is None:
            session.add(Setting(key=key, value=value))
        elif setting.value != value:
            setting.value = value
        finish(session, report, dry_run)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return report


def labelled_parts(departments_text: str) -> dict[str, str]:
    """"牵头单位：A；配合单位：B" → {"lead": "A", "cooperating": "B"} (export uses it)."""
    out: dict[str, str] = {}
    if not _LABELLED.match(departments_text or ""):
        return out
    for part in re.split(r"；(?=(?:牵头单位|配合单位|责任单位)[:：])", departments_text):
        m = _LABELLED.match(part)
        if m:
            role = {"牵头单位": "lead", "配合单位": "cooperating", "责任单位": "departments"}[m.group(1)]
            out[role] = part[m.end():]
    return out

