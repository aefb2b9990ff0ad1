"""What the import preview dialog shows, and the import it commits.

`preview_import` runs the real importer as a dry run (its transaction is rolled back) and
adds what a clerk needs to check and correct the reading: the sheets of the workbook, every
column of the chosen sheet with its header text, which column each role was read from, the
first rows of the sheet as they stand, and the parsed items. It never raises for bad input:
a table the importer cannot read still comes back with its sheets and columns listed and the
importer's message in `error`, so the clerk can fix the mapping and try again.

`commit_import` runs the same importer for real, with the task runner's progress/cancel
protocol: a cancel at any moment before the transaction commits leaves the archive as it was.

No Qt here; the dialog receives these frozen read models.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from storage.kernel.errors import ArchiveError, BadInput, Cancelled
from storage.kernel.progress import CancelFn, ProgressFn, never_cancel, no_progress
from storage.tables.columns import ROLE_NAMES_ZH, ROLES, ColumnMap, parse_mapping
from storage.tables.duties_import import import_duties
from storage.tables.framework_import import choose_sheet, import_framework
from storage.tables.grid import Sheet, col_index, col_letter, read_sheets
from storage.tables.plan_import import import_plan
from storage.tables.report import ImportReport, plain
from storage.tables.textparse import cell_text, one_line

KINDS = ("framework", "duties", "plan")
KIND_NAMES_ZH = {"framework": "指标体系", "duties": "责任分解表", "plan": "工作方案"}
# The roles the dialog offers for each kind, in the order a clerk reads a table.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "framework": ("code", "level1", "level2", "level3", "level4", "title", "score", "rule",
                  "key", "veto", "target"),
    "duties": ("code", "level1", "level2", "level3", "title", "task", "lead", "cooperating",
               "departments", "persons", "deadline", "evidence", "notes"),
    "plan": (),
}
FILE_SUFFIXES = {"framework": (".xlsx", ".xls", ".et"), "duties": (".xlsx", ".xls", ".et"),
                 "plan": (".docx", ".doc", ".wps")}
RAW_ROWS = 30        # rows of the sheet shown as they stand
ITEM_ROWS = 300      # parsed items shown
CELL_CHARS = 60      # a preview cell is cut to this many characters


@dataclass(frozen=True)
class ImportOptions:
    """How to read the file: what the clerk chose in the dialog.

    Attributes:
        kind: framework | duties | plan.
        sheet: sheet name, or None for the first one with a header.
        header_row: 1-based header row; 0 = the table has no header; None = detect.
        mapping: (role, columns) overrides of what was detected; columns are letters joined
            by "+" ("B+C"), or "-" for "this role is in no column".
        year: for deadlines written without a year (duties, plan).
    """

    kind: str
    path: str
    sheet: str | None = None
    header_row: int | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    year: int | None = None

    def mapping_spec(self) -> str | None:
        """The overrides in the importers' `--map` syntax ("lead=E,rule=-")."""
        return ",".join(f"{r}={c}" for r, c in self.mapping) or None

    def with_changes(self, **kw: Any) -> ImportOptions:
        data: dict[str, Any] = {"kind": self.kind, "path": self.path, "sheet": self.sheet,
                "header_row": self.header_row, "mapping": self.mapping, "year": self.year}
        data.update(kw)
        return ImportOptions(**data)


@dataclass(frozen=True)
class SheetColumn:
    index: int          # 0-based
    letter: str         # A, B, … AA
    header: str         # the header text as printed ("评价指标/三级指标"), or ""
    hidden: bool = False

    @property
    def caption(self) -> str:
        return f"{self.letter}  {self.header}" if self.header else f"{self.letter}  （无表头）"


@dataclass(frozen=True)
class RoleMapping:
    role: str
    name_zh: str
    columns: tuple[str, ...]    # letters; empty when the role was not found
    headers: tuple[str, ...]    # header text of each column
    explicit: bool = False      # the clerk chose it

    @property
    def found(self) -> bool:
        return bool(self.columns)


@dataclass(frozen=True)
class ImportPreview:
    """One dry run of an import, as the dialog shows it.

    Attributes:
        sheets: the visible sheets of the workbook (tables only).
        sheet: the sheet read.
        header_rows: 1-based rows that made the header (empty: none found or none given).
        columns: every column of that sheet, with its header text.
        roles: for each role the kind uses, the column(s) it was read from.
        raw_rows: (1-based row number, cell texts) of the first rows of the sheet.
        item_headers / items: the parsed indicators or duties as text, first ITEM_ROWS.
        error: the importer's message when it could not read the file (then `report` is None).
    """

    options: ImportOptions
    file_name: str
    sheets: tuple[str, ...] = ()
    sheet: str = ""
    header_rows: tuple[int, ...] = ()
    columns: tuple[SheetColumn, ...] = ()
    roles: tuple[RoleMapping, ...] = ()
    raw_rows: tuple[tuple[int, tuple[str, ...]], ...] = ()
    item_headers: tuple[str, ...] = ()
    items: tuple[tuple[str, ...], ...] = ()
    item_count: int = 0
    item_marks: tuple[tuple[str, ...], ...] = ()   # per item row: texts to mark in mark_column
    mark_column: int = -1                          # the plan's task column (-1: none)
    summary: str = ""
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    error: str = ""
    report: ImportReport | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return not self.error and self.report is not None

    def role(self, role: str) -> RoleMapping | None:
        return next((r for r in self.roles if r.role == role), None)


# --- preview ------------------------------------------------------------------------------


def _short(v: object) -> str:
    t = one_line(cell_text(v))
    return t if len(t) <= CELL_CHARS else t[: CELL_CHARS - 1] + "…"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(kind)


def _run_importer(archive, options: ImportOptions, *, dry_run: bool,
                  sheets: list[Sheet] | None = None) -> ImportReport:
    if options.kind == "framework":
        return import_framework(archive, options.path, sheet=options.sheet,
                                mapping=options.mapping_spec(), header_row=options.header_row,
                                dry_run=dry_run, sheets=sheets)
    if options.kind == "duties":
        return import_duties(archive, options.path, sheet=options.sheet,
                             mapping=options.mapping_spec(), header_row=options.header_row,
                             year=options.year, dry_run=dry_run, sheets=sheets)

    return import_plan(archive, options.path, year=options.year, dry_run=dry_run)


def _sheet_map(sheets: list[Sheet], options: ImportOptions,
               chosen: str | None) -> tuple[Sheet | None, ColumnMap | None]:
    """The sheet the importer read (or would read) and its column map, without raising."""

    if not sheets:
        return None, None
    try:
        mapping = parse_mapping(options.mapping_spec())
    except BadInput:
        mapping = {}
    name = chosen or options.sheet
    try:
        return choose_sheet(sheets, name, Path(options.path), mapping, options.header_row)
    except BadInput:
        pass
    try:  # the mapping may name a column that is not there: show the sheet without it
        return choose_sheet(sheets, name, Path(options.path), {}, options.header_row)
    except BadInput:
        sheet = next((s for s in sheets if s.name == name), sheets[0])
        return sheet, None


def _columns(sheet: Sheet, cmap: ColumnMap | None) -> tuple[SheetColumn, ...]:
    labels = cmap.labels if cmap is not None else {}
    out = []
    for c in range(sheet.ncols):
        header = one_line(labels.get(c, ""))
        if not header and cmap is not None:
            parts = [one_line(cell_text(sheet.get(r, c))) for r in cmap.header_rows]
            header = "/".join(dict.fromkeys(p for p in parts if p))
        out.append(SheetColumn(c, col_letter(c), header, c in sheet.hidden_cols))
    return tuple(out)


def _roles(kind: str, cmap: ColumnMap | None) -> tuple[RoleMapping, ...]:
    out = []
    wanted = list(KIND_ROLES[kind])
    if cmap is not None:  # a role the table has that the kind does not list: show it too
        wanted += [r for r in ROLES if cmap.roles.get(r) and r not in wanted]
    for role in wanted:
        cols = tuple(cmap.roles.get(role, [])) if cmap is not None else ()
        out.append(RoleMapping(
            role=role, name_zh=ROLE_NAMES_ZH[role],
            columns=tuple(col_letter(c) for c in cols),
            headers=tuple(one_line(cmap.labels.get(c, "")) for c in cols) if cmap else (),
            explicit=cmap is not None and role in cmap.explicit,
        ))
    return tuple(out)


def _raw_rows(sheet: Sheet) -> tuple[tuple[int, tuple[str, ...]], ...]:
    rows = []
    for r in range(min(RAW_ROWS, sheet.nrows)):
        rows.append((r + 1, tuple(_short(sheet.get(r, c)) for c in range(sheet.ncols))))
    return tuple(rows)


def _yes(v: object) -> str:
    return "是" if v else ""


def _names(v: object) -> str:
    return "、".join(v) if isinstance(v, (list, tuple)) else str(v or "")


def _items(report: ImportReport) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    if report.kind == "framework":
        headers = ("行", "编号", "级别", "指标", "分值", "关键项", "否决项", "目标值", "评分标准", "编号来源")
        rows = [(str(i.get("row", "")), i["code"], str(i["level"]), i["title"],
                 str(plain(i["max_score"])) if i["max_score"] is not None else "",
                 _yes(i["is_key"]), _yes(i["is_veto"]),
                 (i["target"] or {}).get("text", "") if i.get("target") else "",
                 _short(i.get("scoring_rule", "")),
                 "表中所列" if i.get("code_stated") else "按位置生成") for i in report.items]
    elif report.kind == "duties":
        headers = ("行", "编号", "任务", "牵头单位", "配合单位", "完成时限", "关联指标")
        rows = [(str(i["row"]), i["code"], _short(i["task"]), _names(i["lead"]),
                 _names(i["cooperating"]),
                 str(plain(i["deadline"])) if i["deadline"] else i.get("deadline_text", ""),
                 "已关联" if i["indicator_id"] else "未关联") for i in report.items]
    else:
        headers = ("段", "编号", "任务（单位读自之处加粗）", "牵头单位", "配合单位", "完成时限", "单位读自", "责任人")
        rows = [(_paragraphs(i), i["code"] or "（无编号）", task_as_written(i), _names(i["lead"]),
                 _names(i["cooperating"]),
                 str(plain(i["deadline"])) if i["deadline"] else i.get("deadline_text", ""),
                 _span(i), "、".join(f"{p['name']}（{p['role']}）" if p["role"] else p["name"]
                                    for p in i.get("persons", [])))
                for i in report.items]
    return headers, rows


TASK_CHARS = 150     # the plan preview's task cell: the text as written, its read span kept


def task_as_written(item: dict[str, Any]) -> str:
    """A plan task's text as the plan writes it (its paragraphs on one line), with the span its
    departments were read from kept in view: a long text is cut before the span, not in it."""
    written = one_line(str(item.get("written") or item.get("task") or ""))
    starts = [written.find(s) for s in spans_of(item) if s in written]
    if len(written) <= TASK_CHARS:
        return written
    if not starts or min(starts) < TASK_CHARS - 30:
        return written[: TASK_CHARS - 1] + "…"
    first = min(starts)
    tail = written[first:]
    if len(tail) > TASK_CHARS - 30:
        tail = tail[: TASK_CHARS - 31] + "…"
    return written[: TASK_CHARS - len(tail) - 1] + "…" + tail


def spans_of(item: dict[str, Any]) -> tuple[str, ...]:
    """The texts a plan task's departments were read from, as written (one line each)."""
    return tuple(one_line(s) for s in item.get("span", []) if s and one_line(s))


def _paragraphs(item: dict[str, Any]) -> str:
    """"12" or "12–14" for a task that spans paragraphs."""
    first, last = item.get("paragraphs") or [item["paragraph"], item["paragraph"]]
    return str(first) if first == last else f"{first}–{last}"


def _span(item: dict[str, Any]) -> str:
    """The text a task's departments were read from, as the plan writes it."""
    spans = [s for s in item.get("span", []) if s]
    if not spans and item.get("departments_text"):
        spans = [item["departments_text"]]
    return _short("｜".join(spans)) if spans else "（未读到单位）"


def summary_text(report: ImportReport) -> str:
    """One line: what was read and what it would change (or changed)."""
    noun = {"framework": "项指标", "duties": "项任务", "plan": "项任务"}[report.kind]
    head = f"读到 {len(report.items)} {noun}"
    if report.kind != "plan":
        head += f"（读取 {report.rows_read} 行，跳过 {len(report.skipped)} 行）"
    if report.kind == "framework" and report.summary.get("total_score") is not None:
        head += f"，总分 {plain(report.summary['total_score'])}"
    if report.kind == "duties":
        head += f"，其中 {report.summary.get('linked_to_indicator', 0)} 项已关联指标"
    verb = "将" if report.dry_run else "已"
    change = (f"{verb}新增 {len(report.added)}，修改 {len(report.changed)}，删除 {len(report.removed)}"
              + (f"，保留 {len(report.kept)}" if report.kept else ""))
    if report.framework_name:
        change += f"（指标体系：{report.framework_name}）"
    return f"{head}；{change}"


_DIALOG_HINT = "；请在左侧“各列的含义”中为相应项目选择列，或改选表头行，然后点“重新预览”"


def dialog_words(message: str) -> str:
    """An importer's message as the dialog says it: the command line's --map / --header-row /
    --year hints become where to set the same thing in the dialog."""
    out = message.replace("（可用 --year 指定）", "（可在上方“时限年份”中指定）")
    out = out.replace("可先用 framework import 导入", "请先导入指标体系")
    cut = out.find("--map")
    if cut < 0:
        cut = out.find("--header-row")
    if cut >= 0:  # the hint is the message's last clause: from the separator before it on
        sep = max(out.rfind("；", 0, cut), out.rfind("，", 0, cut), out.rfind(";", 0, cut))
        out = (out[:sep] if sep >= 0 else out[:cut]) + _DIALOG_HINT
    return out


def preview_import(archive, options: ImportOptions) -> ImportPreview:
    """A dry run of the import with everything the preview dialog shows. Known failures
    (no header, a mapping naming no column, an unreadable file) come back in `error`."""
    _check_kind(options.kind)
    path = Path(options.path)
    name = path.name
    sheets: list[Sheet] = []
    if options.kind != "plan":
        try:
            sheets = read_sheets(path)
        except ArchiveError as e:
            return ImportPreview(options=options, file_name=name, error=dialog_words(e.zh))
    report: ImportReport | None = None
    error = ""
    try:
        report = _run_importer(archive, options, dry_run=True, sheets=sheets or None)
    except ArchiveError as e:
        error = dialog_words(e.zh)
    sheet, cmap = _sheet_map(sheets, options, report.sheet if report else None)
    headers: tuple[str, ...] = ()
    items: list[tuple[str, ...]] = []
    if report is not None:
        headers, items = _items(report)
    return ImportPreview(
        options=options,
        file_name=name,
        sheets=tuple(s.name for s in sheets),
        sheet=sheet.name if sheet is not None else "",
        header_rows=tuple(r + 1 for r in cmap.header_rows) if cmap is not None else (),
        columns=_columns(sheet, cmap) if sheet is not None else (),
        roles=_roles(options.kind, cmap) if options.kind != "plan" else (),
        raw_rows=_raw_rows(sheet) if sheet is not None else (),
        item_headers=headers,
        items=tuple(items[:ITEM_ROWS]),
        item_count=len(items),
        item_marks=(tuple(spans_of(i) for i in report.items[:ITEM_ROWS])
                    if report is not None and report.kind == "plan" else ()),
        mark_column=2 if report is not None and report.kind == "plan" else -1,
        summary=summary_text(report) if report is not None else "",
        warnings=tuple(dialog_words(m.zh) for m in report.warnings) if report else (),
        problems=tuple(dialog_words(m.zh) for m in report.problems) if report else (),
        error=error,
        report=report,
    )


# --- commit ------------------------------------------------------------------------------


class _CancellableSessions:
    """The archive's sessions, with write sessions that refuse to commit once `cancel()`
    says so: the importer then rolls its one transaction back, and nothing is written."""

    def __init__(self, sessions, cancel: CancelFn, progress: ProgressFn) -> None:
        self._sessions = sessions
        self._cancel = cancel
        self._progress = progress

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sessions, name)

    def new_write_session(self):
        session = self._sessions.new_write_session()

        def before_commit(s) -> None:
            if self._cancel():
                raise Cancelled()
            self._progress(2, 3, "正在写入档案库")

        event.listen(session, "before_commit", before_commit)
        return session


class _ArchiveView:
    def __init__(self, archive, sessions: _CancellableSessions) -> None:
        self._archive = archive
        self.sessions = sessions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._archive, name)


def commit_import(archive, options: ImportOptions, *, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> ImportReport:
    """Import for real, in one transaction. Raises `Cancelled` (with nothing written) when
    `cancel()` turns True before the commit; known failures raise ArchiveError."""
    _check_kind(options.kind)
    progress = progress or no_progress
    cancel = cancel or never_cancel
    if cancel():
        raise Cancelled()
    progress(0, 3, f"正在读取 {Path(options.path).name}")
    view = _ArchiveView(archive, _CancellableSessions(archive.sessions, cancel, progress))
    report = _run_importer(view, options, dry_run=False)
    progress(3, 3, "导入完成")
    return report


def file_filter(kind: str) -> str:
    """The file dialog's filter for a kind ("Excel 表格 (*.xlsx *.xls *.et)")."""
    _check_kind(kind)
    pats = " ".join(f"*{s}" for s in FILE_SUFFIXES[kind])
    what = "Word 文档" if kind == "plan" else "Excel 表格"
    return f"{what} ({pats});;所有文件 (*)"


def letters(spec: str) -> tuple[int, ...]:
    """"B+C" → (1, 2); "-" or "" → ()."""
    return tuple(col_index(p) for p in re.split(r"[+|]", spec or "") if p.strip() not in ("", "-"))


__all__ = ["ImportOptions", "ImportPreview", "KINDS", "KIND_NAMES_ZH", "KIND_ROLES", "RoleMapping",
           "SheetColumn", "commit_import", "file_filter", "preview_import", "summary_text"]
