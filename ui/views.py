"""The dashboard and departments views: they show read models they are given.
(The inbox view lives in ui/inbox.py; it is imported here for the main window.)"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.readmodels import AcceptanceWeek, DashboardData, DepartmentOwing, IndicatorNode
from ui import texts
from ui.models import (
    COVERAGE_COLOURS,
    Column,
    DepartmentOwingModel,
    DutyTableModel,
    OwedDutyModel,
    RowTableModel,
)
from ui.qtfix import emit


def _table(model: RowTableModel, widths: tuple[int, ...] = ()) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setStretchLastSection(True)
    for col, w in enumerate(widths):
        t.setColumnWidth(col, w)
    return t


class _Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—")
        f = self.value.font()
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        self.value.setFont(f)
        self.caption = QLabel(title)
        self.sub = QLabel("")
        lay = QVBoxLayout(self)
        lay.addWidget(self.caption)
        lay.addWidget(self.value)
        lay.addWidget(self.sub)

    def set(self, value: str, sub: str = "", colour: str | None = None) -> None:
        self.value.setText(value)
        self.sub.setText(sub)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


class KeyItemModel(RowTableModel):
    columns = (
        Column("指标", lambda n: f"{n.code} {n.title}"),
        Column("类型", lambda n: "一票否决" if n.is_veto else "关键项",
               colour=lambda n: COVERAGE_COLOURS["missing"] if n.is_veto else None),
        Column("分值", lambda n: texts.score_text(n.max_score)),
        Column("材料", lambda n: f"已审核 {n.subtree_leaves_accepted}/{n.subtree_leaves}"),
        Column("覆盖", lambda n: texts.COVERAGE[n.coverage], colour=lambda n: COVERAGE_COLOURS[n.coverage]),
    )


class DepartmentCountModel(RowTableModel):
    columns = (
        Column("单位", lambda d: d.name),
        Column("材料", lambda d: d.received, align=Qt.AlignmentFlag.AlignRight),
        Column("已审核", lambda d: d.accepted, align=Qt.AlignmentFlag.AlignRight),
    )


class ActivityModel(RowTableModel):
    ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除"}
    ENTITIES = {"evidence": "佐证材料", "evidence_indicator": "指标关联", "evidence_file": "文件",
                "department": "单位", "blob": "存储文件", "duty": "任务", "indicator": "指标",
                "framework": "指标体系", "setting": "设置", "inbox_entry": "收件",
                "watched_folder": "监视文件夹", "blob_text": "文件文字", "evidence_duty": "任务关联",
                "duty_department": "任务单位", "scan_entry": "扫描记录",
                "indicator_assessment": "自评", "submission": "封存提交"}
    columns = (
        Column("时间", lambda a: texts.datetime_text(a.at)),
        Column("用户", lambda a: a.user),
        Column("操作", lambda a: ActivityModel.ACTIONS.get(a.action, a.action)),
        Column("对象", lambda a: ActivityModel.ENTITIES.get(a.entity, a.entity)),
        Column("内容", lambda a: a.summary),
    )


def acceptance_rate_text(w: AcceptanceWeek) -> str:
    return "—" if w.rate is None else f"{round(100 * w.rate)}%"


class AcceptanceModel(RowTableModel):
    """The inbox's suggestions week by week: accepted as suggested, corrected, the rate."""

    columns = (
        Column("周（自周一）", lambda w: texts.date_text(w.week_start)),
        Column("照建议接收", lambda w: w.as_suggested, align=Qt.AlignmentFlag.AlignRight),
        Column("改为其他指标", lambda w: w.corrected, align=Qt.AlignmentFlag.AlignRight),
        Column("采纳率", acceptance_rate_text, align=Qt.AlignmentFlag.AlignRight),
    )


class DashboardView(QWidget):
    """Overall coverage, level-1 progress, veto and key items first, departments, overdue
    duties, days to the upload deadline and recent activity."""

    indicator_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.cards = {k: _Card(t) for k, t in (
            ("covered", "末级指标有材料"), ("accepted", "末级指标已审核"),
            ("evidence", "佐证材料"), ("inbox", "收件箱待处理"), ("deadline", "距上传截止"))}
        cards = QHBoxLayout()
        for c in self.cards.values():
            cards.addWidget(c)

        self.level1_box = QGroupBox("按一级指标")
        self.level1 = QGridLayout(self.level1_box)
        self.key_model = KeyItemModel(self)
        self.dept_model = DepartmentCountModel(self)
        self.overdue_model = DutyTableModel(self)
        self.activity_model = ActivityModel(self)
        self.acceptance_model = AcceptanceModel(self)
        self.acceptance_note = QLabel("")
        self.acceptance_note.setWordWrap(True)
        self.key_table = _table(self.key_model, (300, 80, 50, 110))
        self.key_table.doubleClicked.connect(
            lambda idx: emit(self.indicator_activated, self.key_model.row(idx.row()).id))

        def box(title: str, w: QWidget) -> QGroupBox:
            g = QGroupBox(title)
            QVBoxLayout(g).addWidget(w)
            return g

        left = QVBoxLayout()
        left.addWidget(self.level1_box)
        left.addWidget(box("一票否决项与关键项（双击查看）", self.key_table), 1)
        overdue_box = box("逾期任务", _table(self.overdue_model, (240, 60, 110, 120, 100, 80)))
        # overdue rectification items (issue 16): counted here, listed in the 整改 view
        self.rectify_overdue = QLabel("")
        self.rectify_overdue.setStyleSheet("color: #c9302c")
        self.rectify_overdue.hide()
        overdue_lay = overdue_box.layout()
        assert overdue_lay is not None
        overdue_lay.addWidget(self.rectify_overdue)
        left.addWidget(overdue_box, 1)
        right = QVBoxLayout()
        right.addWidget(box("按报送单位", _table(self.dept_model, (180, 60))), 1)
        right.addWidget(box("最近操作", _table(self.activity_model, (120, 70, 40, 70))), 1)
        rate = QGroupBox("收件箱建议的采纳率（按周）")
        rl = QVBoxLayout(rate)
        rl.addWidget(self.acceptance_note)
        rl.addWidget(_table(self.acceptance_model, (110, 80, 90, 60)))
        rate.setToolTip("收件箱为文件建议了指标、文件已接收的：照第一个建议接收的算“照建议接收”，"
                        "改为其他指标（F2）的算“改为其他指标”；采纳率 = 照建议接收 ÷ 两者之和")
        right.addWidget(rate, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addLayout(cards)
        lay.addLayout(body, 1)

    def set_data(self, d: DashboardData) -> None:
        s = d.status
        name = s.framework_name or "尚未导入指标体系"
        sample = s.framework_is_sample and "示例" not in name
        self.title.setText(f"{name}{'（示例）' if sample else ''}")
        total = s.indicators_total or 0

        def pct(n: int) -> str:
            return f"{100 * n / total:.0f}%" if total else ""

        self.cards["covered"].set(f"{s.indicators_covered}/{total}", pct(s.indicators_covered))
        self.cards["accepted"].set(f"{s.indicators_accepted}/{total}", pct(s.indicators_accepted),
                                   "#3c763d" if total and s.indicators_accepted == total else None)
        st = s.evidence_by_status
        self.cards["evidence"].set(str(s.evidence_total),
                                   f"已审核 {st.get('accepted', 0)}，退回 {st.get('returned', 0)}")
        self.cards["inbox"].set(str(s.inbox_pending), "", "#c9302c" if s.inbox_pending else None)
        days = d.days_to_deadline
        if days is None:
            self.cards["deadline"].set("未设置", "上传截止日期")
        else:
            self.cards["deadline"].set(texts.days_left_text(days), texts.date_text(d.upload_deadline),
                                       "#c9302c" if days < 7 else None)
        while self.level1.count():
            item = self.level1.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row, n in enumerate(s.level1):
            self._level1_row(row, n)
        if not s.level1:
            self.level1.addWidget(QLabel("尚未导入指标体系"), 0, 0)
        keys = [n for n in s.indicators if n.is_veto or n.is_key]
        keys.sort(key=lambda n: (not n.is_veto, n.coverage == "done", n.position))
        self.key_model.set_rows(keys)
        self.dept_model.set_rows(s.by_department)
        self.overdue_model.set_rows(list(d.overdue))
        self.rectify_overdue.setText(f"整改事项逾期 {d.rectify_overdue} 项（详见「整改」页）")
        self.rectify_overdue.setVisible(d.rectify_overdue > 0)
        self.activity_model.set_rows(list(d.recent))
        weeks = [w for w in d.acceptance if w.decided]
        self.acceptance_model.set_rows(list(reversed(d.acceptance)))  # this week first
        if weeks:
            kept = sum(w.as_suggested for w in weeks)
            total = sum(w.decided for w in weeks)
            self.acceptance_note.setText(f"近 {len(d.acceptance)} 周：{total} 个有建议的文件中，"
                                         f"{kept} 个照建议接收（{round(100 * kept / total)}%），"
                                         f"{total - kept} 个改为其他指标")
        else:
            self.acceptance_note.setText("还没有从收件箱接收过有建议的文件")

    def _level1_row(self, row: int, n: IndicatorNode) -> None:
        label = QLabel(f"{n.code} {n.title}（{texts.score_text(n.max_score)} 分）")
        bar = QProgressBar()
        bar.setRange(0, max(1, n.subtree_leaves))
        bar.setValue(n.subtree_leaves_accepted)
        bar.setFormat(f"已审核 {n.subtree_leaves_accepted}/{n.subtree_leaves}")
        bar.setTextVisible(True)
        covered = QLabel(f"有材料 {n.subtree_leaves_covered}/{n.subtree_leaves}")
        self.level1.addWidget(label, row, 0)
        self.level1.addWidget(bar, row, 1)
        self.level1.addWidget(covered, row, 2)


class DepartmentsView(QWidget):
    """Each department and what it still owes (duties without its accepted evidence), and
    the reminders for one department or all: the notice (催办通知, Word) and the list
    (催办清单, Excel).

    Signals:
        export_requested(kind, department_id or None, department name, path): kind is
            notice (.docx) or list (.xlsx); None and "" mean every department.
    """

    export_requested = Signal(str, object, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DepartmentOwingModel(self)
        self.owed_model = OwedDutyModel(self)
        self.table = _table(self.model, (180, 50, 50, 50, 70))
        self.owed = _table(self.owed_model, (260, 200, 50, 120, 90))
        self.heading = QLabel("选择一个单位，查看它还欠哪些材料")
        self.summary = QLabel("")
        self.scope = QComboBox()
        self.scope.addItem("所选单位", "one")
        self.scope.addItem("全部尚欠材料的单位", "all")
        self.scope.setToolTip("催办通知和催办清单是只给所选单位，还是给每个尚欠材料的单位")
        self.notice_btn = QPushButton("生成催办通知（Word）…")
        self.notice_btn.setToolTip("正式的催办通知：致单位，列出每项未完成任务、完成时限和逾期天数，附联系人")
        self.list_btn = QPushButton("生成催办清单（Excel）…")
        self.list_btn.setToolTip("按单位分页的催办清单，可打印或发给各单位")
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(QLabel("催办范围："))
        actions.addWidget(self.scope)
        actions.addWidget(self.notice_btn)
        actions.addWidget(self.list_btn)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.owed, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([460, 800])
        lay = QVBoxLayout(self)
        lay.addLayout(actions)
        lay.addWidget(split, 1)
        self.table.selectionModel().selectionChanged.connect(self._on_select)
        self.notice_btn.clicked.connect(lambda: self._ask("notice"))
        self.list_btn.clicked.connect(lambda: self._ask("list"))
        self.choose_path = self._save_dialog  # replaced in tests

    def selected(self) -> DepartmentOwing | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _ask(self, kind: str) -> None:
        scope = self.scope.currentData()
        d = self.selected() if scope == "one" else None
        if scope == "one" and d is None:
            self.heading.setText("请先在左侧选择一个单位，或把催办范围改为“全部”")
            return
        who = d.name if d else "全部单位"
        what, ext = ("催办通知", "docx") if kind == "notice" else ("催办清单", "xlsx")
        path = self.choose_path(kind, f"{what}_{who}.{ext}")
        if path:
            self.request_export(kind, d, path)

    def request_export(self, kind: str, department: DepartmentOwing | None, path: str) -> None:
        emit(self.export_requested, kind, department.department_id if department else None,
             department.name if department else "", path)

    def _save_dialog(self, kind: str, name: str) -> str:
        filt = "Word 文档 (*.docx)" if kind == "notice" else "Excel 工作簿 (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, "保存到", name, filt)
        return path

    def set_data(self, rows: list[DepartmentOwing]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        owing = sum(1 for r in rows if r.owed)
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(
            f"责任单位 {len(rows)} 个，其中 {owing} 个尚有任务缺少本单位已审核的材料；按单位计逾期未交 {overdue} 项"
            if rows else "还没有责任分解表：导入工作责任分解表后，这里列出每个单位还欠的材料"
        )
        target = 0
        if current is not None:
            for i, r in enumerate(rows):
                if r.department_id == current:
                    target = i
        if rows:
            self.table.selectRow(target)
        else:
            self.owed_model.set_rows([])

    def current(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        r = self.model.row(rows[0].row()) if rows else None
        return r.department_id if r else None

    def _on_select(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        d = self.model.row(rows[0].row()) if rows else None
        if d is None:
            self.owed_model.set_rows([])
            self.heading.setText("选择一个单位，查看它还欠哪些材料")
            return
        self.owed_model.set_rows(list(d.owed))
        if d.owed:
            self.heading.setText(f"{d.name}：尚欠 {len(d.owed)} 项（逾期 {d.overdue} 项）")
        else:
            self.heading.setText(f"{d.name}：所负责任务均已有审核通过的材料")


class WarningBar(QFrame):
    """A yellow strip above the views for a problem that does not stop the clerk (a failed
    daily backup): visible until dismissed, never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningBar")
        self.setStyleSheet("#warningBar { background: #fcf8e3; border: 1px solid #f0c36d; }"
                           "#warningBar QLabel { color: #8a6d3b; }")
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_btn = QPushButton("知道了")
        self.close_btn.setToolTip("隐藏此提示（问题仍在时下次打开会再次提示）")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        icon = QLabel("⚠")
        lay.addWidget(icon)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.close_btn)
        self.close_btn.clicked.connect(self.hide)
        self.hide()

    def show_text(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(bool(text))
