"""Qt item models over plain read models (frozen dataclasses from storage.readmodels).

They hold rows handed to them by `set_rows`/`set_nodes` and never query anything:
`data()` only looks at the row it is asked about. Sorting and filtering happen on the rows
in memory; the evidence model hands rows to the view in chunks (`fetchMore`) so a node with
tens of thousands of items opens at once.
"""
from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from storage.readmodels import (
    DepartmentOwing,
    DutyRow,
    EvidenceRow,
    InboxRow,
    IndicatorNode,
    OwedDuty,
)
from ui import texts
from ui.qtfix import emit

EVIDENCE_MIME = "application/x-evidence-desk-evidence"
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

COVERAGE_COLOURS = {"missing": QColor("#d9534f"), "partial": QColor("#f0ad4e"),
                    "done": QColor("#5cb85c")}
STATE_COLOURS = {"overdue": QColor("#c9302c"), "missing": QColor("#a94442"),
                 "partial": QColor("#8a6d3b"), "received": QColor("#8a6d3b"),
                 "done": QColor("#3c763d")}

_Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


# --- the indicator tree ---------------------------------------------------------------------


class IndicatorTreeModel(QAbstractItemModel):
    """The indicator tree: code and title, maximum score, veto/key marks, coverage.

    Columns: 指标 | 分值 | 标记 | 材料 (accepted/received) | 覆盖 (leaves covered/all).
    """

    COLUMNS = ("指标", "分值", "标记", "材料", "覆盖")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[IndicatorNode] = []
        self._by_id: dict[int, IndicatorNode] = {}
        self._children: dict[int | None, list[IndicatorNode]] = {}
        self._row: dict[int, int] = {}

    def set_nodes(self, nodes: Sequence[IndicatorNode]) -> None:
        self.beginResetModel()
        self._nodes = list(nodes)
        self._by_id = {n.id: n for n in self._nodes}
        self._children = {}
        for n in self._nodes:  # tree order: children already sorted by position
            parent = n.parent_id if n.parent_id in self._by_id else None
            self._children.setdefault(parent, []).append(n)
        self._row = {n.id: i for kids in self._children.values() for i, n in enumerate(kids)}
        self.endResetModel()

    def nodes(self) -> list[IndicatorNode]:
        return list(self._nodes)

    def subtree_received(self, indicator_id: int) -> int:
        """Evidence links in a node's subtree (an item linked twice counts twice)."""
        total, stack = 0, [indicator_id]
        while stack:
            i = stack.pop()
            n = self._by_id.get(i)
            if n is not None:
                total += n.received
            stack += [c.id for c in self._children.get(i, ())]
        return total

    def node(self, index: _Index) -> IndicatorNode | None:
        if not index.isValid():
            return None
        return index.internalPointer()

    def index_of(self, indicator_id: int, column: int = 0) -> QModelIndex:
        n = self._by_id.get(indicator_id)
        if n is None:
            return QModelIndex()
        return self.createIndex(self._row[n.id], column, n)

    # -- structure ----------------------------------------------------------------------------
    def _parent_id(self, parent: _Index) -> int | None:
        """The id of the node whose children `parent` stands for (None: the top level)."""
        n = self.node(parent) if parent.isValid() else None
        return n.id if n is not None else None

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        kids = self._children.get(self._parent_id(parent), [])
        if 0 <= row < len(kids) and 0 <= column < len(self.COLUMNS):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        n = self.node(index)
        if n is None or n.parent_id is None or n.parent_id not in self._by_id:
            return QModelIndex()
        return self.index_of(n.parent_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self._parent_id(parent), []))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        n = self.node(index)
        if n is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{n.code} {n.title}".strip()
            if col == 1:
                return texts.score_text(n.max_score)
            if col == 2:
                return " ".join(m for m, on in (("否决", n.is_veto), ("关键", n.is_key)) if on)
            if col == 3:
                if n.is_leaf:
                    return f"{n.accepted}/{n.received}"
                return ""
            if col == 4:
                return f"{n.subtree_leaves_accepted}/{n.subtree_leaves}"
        elif role == Qt.ItemDataRole.DecorationRole and col == 0:
            return COVERAGE_COLOURS[n.coverage]
        elif role == Qt.ItemDataRole.ForegroundRole and col == 2 and n.is_veto:
            return QBrush(QColor("#c9302c"))
        elif role == Qt.ItemDataRole.FontRole and col == 0 and n.level == 1:
            f = QFont()
            f.setBold(True)
            return f
        elif role == Qt.ItemDataRole.ToolTipRole:
            tip = [f"{n.code} {n.title}", f"覆盖：{texts.COVERAGE[n.coverage]}",
                   f"末级指标 {n.subtree_leaves} 项，有材料 {n.subtree_leaves_covered} 项，"
                   f"已审核 {n.subtree_leaves_accepted} 项"]
            if n.is_veto:
                tip.append("一票否决项")
            if n.is_key:
                tip.append("关键项")
            tip.append("可把文件拖到这里：存档并关联到该指标")
            return "\n".join(tip)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 3, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        elif role == ID_ROLE:
            return n.id
        elif role == ROW_ROLE:
            return n
        return None

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list", EVIDENCE_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction


# --- generic rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    sort_key: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag | None = None
    colour: Callable[[Any], QColor | None] | None = None


class RowTableModel(QAbstractTableModel):
    """A table over a list of read models, one column per `Column`."""

    columns: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row(self, r: int) -> Any:
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            v = col.value(row)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            c = col.colour(row)
            return QBrush(c) if c is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align is not None:
            return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == SORT_ROLE:
            return (col.sort_key or col.value)(row)
        return None


_RIGHT = Qt.AlignmentFlag.AlignRight
_CENTER = Qt.AlignmentFlag.AlignHCenter


class DutyTableModel(RowTableModel):
    columns = (
        Column("任务", lambda d: d.task),
        Column("指标", lambda d: d.indicator_code),
        Column("牵头单位", lambda d: "、".join(d.lead)),
        Column("配合单位", lambda d: "、".join(d.cooperating)),
        Column("完成时限", lambda d: d.deadline_text or texts.date_text(d.deadline)),
        Column("剩余", lambda d: texts.days_left_text(d.days_left), align=_RIGHT),
        Column("状态", lambda d: texts.DUTY_STATE.get(d.state, d.state),
               colour=lambda d: STATE_COLOURS.get(d.state)),
    )


class DepartmentOwingModel(RowTableModel):
    columns = (
        Column("单位", lambda d: d.name),
        Column("任务", lambda d: d.duties_total, align=_RIGHT),
        Column("尚欠", lambda d: len(d.owed), align=_RIGHT,
               colour=lambda d: STATE_COLOURS["missing"] if d.owed else STATE_COLOURS["done"]),
        Column("逾期", lambda d: d.overdue or "", align=_RIGHT,
               colour=lambda d: STATE_COLOURS["overdue"]),
        Column("已报材料", lambda d: d.evidence_received, align=_RIGHT),
        Column("已审核", lambda d: d.evidence_accepted, align=_RIGHT),
    )


class OwedDutyModel(RowTableModel):
    columns = (
        Column("任务", lambda d: d.task),
        Column("指标", lambda d: f"{d.indicator_code} {d.indicator_title}".strip()),
        Column("职责", lambda d: texts.ROLE.get(d.role, d.role)),
        Column("完成时限", lambda d: d.deadline_text or texts.date_text(d.deadline)),
        Column("剩余", lambda d: texts.days_left_text(d.days_left), align=_RIGHT,
               colour=lambda d: STATE_COLOURS["overdue"] if (d.days_left or 0) < 0 else None),
        Column("状态", lambda d: texts.DUTY_STATE.get(d.state, d.state),
               colour=lambda d: STATE_COLOURS.get(d.state)),
    )


class InboxModel(RowTableModel):
    columns = (
        Column("文件", lambda r: r.name),
        Column("来源文件夹", lambda r: r.folder),
        Column("大小", lambda r: texts.size_text(r.size), align=_RIGHT),
        Column("发现时间", lambda r: texts.datetime_text(r.detected_at)),
        Column("建议", lambda r: r.suggestion),
        Column("依据", lambda r: r.reason),
        Column("状态", lambda r: texts.INBOX_STATE.get(r.state, r.state)),
    )


# --- evidence of the selected node ------------------------------------------------------------


Key = tuple[int, int, int]  # (evidence id, indicator id, position): an item's place in a node's list


class LazyRows(Sequence[EvidenceRow]):
    """A node's evidence in list order, read as it is needed (as Anki's browser keeps card ids
    and reads a row when it is drawn).

    Two things are read lazily. The keys, (evidence id, indicator id, position) each, come
    a page at a time from `more(after, n)` (the next `n` keys after the key `after`, `n`
    None for all the rest) as far as the table has asked for them, and are kept in three
    arrays of integers, not one Python object per item; `count` is the list's length,
    known at once (the table shows "共 N 份" before reading the rest). The rows come from
    `fetch(keys)`, a page of `PAGE` at a time, when first drawn. Without `more` the keys
    given are the whole list.

    Indexing and slicing read only the pages they touch; iterating (sorting or filtering the
    whole list) reads every key and row left, in one call each. An item gone since its key
    was read (trashed, purged) is left out of iteration and shows as an empty row."""

    PAGE = 200  # rows read at a time
    KEY_PAGE = 1000  # keys read at a time

    # `count` None with `more`: the length is counted later (`set_count`)

    def __init__(self, keys: Sequence[tuple[Any, ...]],
                 fetch: Callable[[Sequence[tuple[Any, ...]]], Sequence[EvidenceRow]], *,
                 count: int | None = None,
                 more: Callable[[Key | None, int | None], Sequence[tuple[Any, ...]]] | None = None,
                 rows: Sequence[EvidenceRow] = ()) -> None:
        self._eid, self._iid, self._pos = array("q"), array("q"), array("q")
        self._add_keys(keys)
        self._fetch = fetch
        self._more = more
        self._done = more is None or (count is not None and len(self._eid) >= count)
        self._count = len(self._eid) if count is None else count
        self._counted = count is not None or self._done
        self._rows: dict[int, EvidenceRow | None] = {}  # list index -> row (None: gone)
        self.fetched = 0  # rows read so far (tests and benchmarks look)
        self.key_calls = 0  # calls to `more` so far
        self.keys_read = len(self._eid)
        if rows:
            self._put(0, rows)

    # -- keys ------------------------------------------------------------------------------
    def _add_keys(self, keys: Sequence[tuple[Any, ...]]) -> None:
        for k in keys:
            self._eid.append(int(k[0]))
            self._iid.append(int(k[1]) if len(k) > 1 and k[1] is not None else 0)
            self._pos.append(int(k[2]) if len(k) > 2 and k[2] is not None else 0)

    def _key(self, i: int) -> Key:
        return (self._eid[i], self._iid[i], self._pos[i])

    def _keys(self, start: int, stop: int) -> list[Key]:
        return [(self._eid[i], self._iid[i], self._pos[i]) for i in range(start, stop)]

    def _read_keys(self, upto: int | None) -> None:
        """Read keys until index `upto` is there (None: all of them)."""
        while not self._done and (upto is None or len(self._eid) <= upto):
            assert self._more is not None
            n = None if upto is None else max(self.KEY_PAGE, upto + 1 - len(self._eid))
            last = self._key(len(self._eid) - 1) if len(self._eid) else None
            got = self._more(last, n)
            self.key_calls += 1
            self.keys_read += len(got)
            self._add_keys(got)
            if n is None or len(got) < n:
                self._done = True
        if self._done:
            self._count = len(self._eid)  # the list as it is now (items may have come or gone)
            self._counted = True

    @property
    def complete_keys(self) -> bool:
        """Whether every key is read."""
        return self._done

    @property
    def counted(self) -> bool:
        """Whether the list's length is known (given, or every key read). Until then the
        length is the keys read so far, and reading further pages makes it grow."""
        return self._counted

    def set_count(self, count: int) -> None:
        """The list's length, counted after its first page was shown (a big inner node)."""
        if not self._counted:
            self._count, self._counted = max(int(count), len(self._eid)), True

    def ids(self, limit: int | None = None) -> list[int]:
        """The evidence ids in list order (the first `limit`, reading keys as far as that)."""
        if limit is None:
            self._read_keys(None)
            return list(self._eid)
        self._read_keys(limit - 1)
        return list(self._eid[:limit])

    def index_of(self, evidence_id: int) -> int:
        """Where the item is in the list (-1: not in it), reading keys page by page until found."""
        start = 0
        while True:
            try:
                return self._eid.index(evidence_id, start)
            except ValueError:
                if self._done:
                    return -1
                start = len(self._eid)
                self._read_keys(len(self._eid))

    def __len__(self) -> int:
        return max(self._count, len(self._eid))

    # -- rows ------------------------------------------------------------------------------
    def _put(self, start: int, rows: Sequence[EvidenceRow]) -> None:
        by_id = {r.id: r for r in rows}
        for i in range(start, min(len(self._eid), start + len(rows))):
            if i not in self._rows:
                self._rows[i] = by_id.get(self._eid[i])
                self.fetched += 1

    def _load(self, start: int, stop: int) -> None:
        self._read_keys(stop - 1)
        stop = min(stop, len(self._eid))
        missing = [i for i in range(start, stop) if i not in self._rows]
        if not missing:
            return
        lo, hi = missing[0], missing[-1] + 1
        got = {r.id: r for r in self._fetch(self._keys(lo, hi))}
        for i in range(lo, hi):
            if i not in self._rows:
                self._rows[i] = got.get(self._eid[i])
                self.fetched += 1

    def _at(self, i: int) -> EvidenceRow | None:
        if i not in self._rows:
            start = i - i % self.PAGE
            self._load(start, start + self.PAGE)
        return self._rows.get(i)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1 and stop > start:
                self._load(start, stop)
            return [self._at(j) for j in range(start, min(stop, len(self._eid)), step)]
        if i < 0:
            i += len(self)
        self._read_keys(i)
        if not 0 <= i < len(self._eid):
            raise IndexError(i)
        return self._at(i)

    def __iter__(self) -> Iterator[EvidenceRow]:
        self._read_keys(None)
        self._load(0, len(self._eid))
        for i in range(len(self._eid)):
            row = self._rows.get(i)
            if row is not None:
                yield row


def _status_key(r: EvidenceRow) -> int:
    return texts.STATUS_ORDER.index(r.status) if r.status in texts.STATUS_ORDER else 9


class EvidenceTableModel(QAbstractTableModel):
    """The evidence of the selected node: sortable, filterable, lazily shown, and in review
    order reorderable by dragging rows (when showing a leaf, unsorted and unfiltered).

    Signals:
        reorder_requested(indicator_id, [evidence ids in the new order]): the rows were
            moved here already; the controller stores the order.
    """

    reorder_requested = Signal(int, list)
    counted = Signal()  # the length of a lazy list whose count came after its first rows

    CHUNK = 500
    COLUMNS = (
        Column("序号", lambda r: r.position, align=_RIGHT),
        Column("标题", lambda r: r.title),
        Column("文号", lambda r: r.doc_number),
        Column("成文日期", lambda r: texts.date_text(r.issue_date)),
        Column("报送单位", lambda r: r.department),
        Column("状态", lambda r: texts.STATUS.get(r.status, r.status), sort_key=_status_key,
               colour=lambda r: {"accepted": STATE_COLOURS["done"],
                                 "returned": STATE_COLOURS["overdue"]}.get(r.status)),
        Column("文件", lambda r: r.original_name),
        Column("大小", lambda r: texts.size_text(r.size), sort_key=lambda r: r.size, align=_RIGHT),
        Column("收到时间", lambda r: texts.datetime_text(r.added_at),
               sort_key=lambda r: r.added_at or 0),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: Sequence[EvidenceRow] = []
        self._view: Sequence[EvidenceRow] = []
        self._shown = 0
        self._indicator_id: int | None = None
        self._leaf = False
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.complete = True  # False while only the first rows of a big node are here

    # -- content ---------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[EvidenceRow], indicator_id: int | None, *, leaf: bool,
                 complete: bool = True) -> None:
        """Show a node's rows. `complete=False`: the first rows of a big node, shown at once;
        `complete_rows` brings the whole list (meanwhile no reordering)."""
        self.beginResetModel()
        self._all = rows if isinstance(rows, LazyRows) else list(rows)
        self._indicator_id = indicator_id
        self._leaf = leaf
        self.complete = complete
        self._apply()
        self.endResetModel()

    def complete_rows(self, rows: Sequence[EvidenceRow]) -> None:
        """The whole list of the node whose first rows are shown: the rows already shown
        stay where they are (same order), the rest are appended lazily as usual."""
        shown = self._shown
        self.beginResetModel()
        self._all = rows if isinstance(rows, LazyRows) else list(rows)
        self.complete = True
        self._apply()
        self._shown = min(len(self._view), max(shown, self._shown))
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = fold(text)
        self._apply()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self._sort = (column, order)
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        rows: Sequence[EvidenceRow] = self._all
        if self._filter:
            f = self._filter
            rows = [r for r in rows if f in fold(f"{r.title} {r.doc_number} {r.department} "
                                                 f"{r.original_name} {texts.STATUS.get(r.status, '')}")]
        col, order = self._sort
        if 0 <= col < len(self.COLUMNS):
            c = self.COLUMNS[col]
            key = c.sort_key or c.value
            rows = sorted(rows, key=lambda r: (key(r) is None, key(r) if key(r) is not None else 0),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        # a lazy list in its own order stays lazy: rows are read as they are shown
        self._view = rows if isinstance(rows, LazyRows) else list(rows)
        self._shown = min(len(self._view), self.CHUNK)

    @property
    def indicator_id(self) -> int | None:
        return self._indicator_id

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def counted_all(self) -> bool:
        """Whether `total` is the list's length (a big inner node's is counted after its
        first rows are shown)."""
        a = self._all
        return not isinstance(a, LazyRows) or a.counted

    @property
    def matching(self) -> int:
        return len(self._view)

    @property
    def reorderable(self) -> bool:
        """Review order is the order of a leaf's own list: not while sorted or filtered."""
        col, order = self._sort
        natural = col in (-1, 0) and order == Qt.SortOrder.AscendingOrder
        return (self._leaf and self._indicator_id is not None and natural and not self._filter
                and self.complete)

    def row(self, r: int) -> EvidenceRow | None:
        if not 0 <= r < self._shown:
            return None
        try:
            return self._view[r]
        except IndexError:  # the list got shorter as its keys were read (items gone since)
            return None

    def ids(self, limit: int | None = None) -> list[int]:
        """The ids of the view's rows in order (the first `limit`); a lazy list reads its keys
        as far as that, not its rows."""
        v = self._view
        if isinstance(v, LazyRows):
            return v.ids(limit)
        return [r.id for r in (v if limit is None else v[:limit])]

    def _index_of(self, evidence_id: int) -> int:
        v = self._view
        if isinstance(v, LazyRows):
            return v.index_of(evidence_id)
        return next((i for i, r in enumerate(v) if r.id == evidence_id), -1)

    def row_of(self, evidence_id: int) -> int:
        for i, eid in enumerate(self.ids(self._shown)):
            if eid == evidence_id:
                return i
        return -1

    def reveal(self, evidence_id: int) -> int:
        """The view row of an item, fetching rows (and clearing a filter that hides it)
        until it is shown; -1 when the node does not hold it."""
        if self._filter and self._index_of(evidence_id) < 0:
            self.set_filter("")
        at = self._index_of(evidence_id)
        if at >= self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, at)
            self._shown = at + 1
            self.endInsertRows()
        return at

    # -- lazy rows -------------------------------------------------------------------------
    def _uncounted(self) -> LazyRows | None:
        v = self._view
        return v if isinstance(v, LazyRows) and not v.counted else None

    def set_count(self, count: int) -> None:
        """The length of the lazy list shown, counted after its first rows."""
        lazy = self._uncounted()
        if lazy is not None and lazy is self._all:
            lazy.set_count(count)
            emit(self.counted)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        if parent.isValid():
            return False
        lazy = self._uncounted()
        return self._shown < len(self._view) or (lazy is not None and not lazy.complete_keys)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        lazy = self._uncounted()
        if lazy is not None and len(lazy) < self._shown + self.CHUNK:
            lazy._read_keys(self._shown + self.CHUNK - 1)  # its length is the keys read: read on
            if lazy.counted:
                emit(self.counted)
        n = min(self.CHUNK, len(self._view) - self._shown)
        if n <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + n - 1)
        self._shown += n
        self.endInsertRows()

    # -- table -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row(index.row()) if index.isValid() else None
        if r is None:
            return None
        col = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            v = col.value(r)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            c = col.colour(r)
            return QBrush(c) if c is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align is not None:
            return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return r.id
        if role == ROW_ROLE:
            return r
        return None

    # -- drag and drop ---------------------------------------------------------------------
    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.reorderable else Qt.ItemFlag.NoItemFlags
        return base | (Qt.ItemFlag.ItemIsDropEnabled if self.reorderable else Qt.ItemFlag.NoItemFlags)

    def mimeTypes(self) -> list[str]:
        return [EVIDENCE_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction | Qt.DropAction.LinkAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = self.ids(rows[-1] + 1 if rows else 0)
        payload = {"indicator_id": self._indicator_id, "ids": [ids[r] for r in rows if r < len(ids)]}
        m = QMimeData()
        m.setData(EVIDENCE_MIME, QByteArray(json.dumps(payload).encode()))
        return m

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:
        if not self.reorderable or not data.hasFormat(EVIDENCE_MIME):
            return False
        payload = decode_evidence_mime(data)
        return payload is not None and payload[0] == self._indicator_id

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        _, ids = decode_evidence_mime(data)  # type: ignore[misc]
        target = parent.row() if parent.isValid() else (row if row >= 0 else self._shown)
        self.move_rows(ids, target)
        return False  # the rows are moved here; the view must not remove any

    def move_rows(self, ids: Sequence[int], target: int) -> None:
        """Move the items `ids` to sit before view row `target`; emit the new order."""
        if not self.reorderable:
            return
        moving = set(ids)
        before = [r for r in self._view[:target] if r is not None and r.id not in moving]
        moved = [r for r in self._view if r.id in moving]
        after = [r for r in self._view[target:] if r is not None and r.id not in moving]
        new = before + moved + after
        if [r.id for r in new] == [r.id for r in self._view]:
            return
        from dataclasses import replace

        new = [replace(r, position=i) for i, r in enumerate(new, start=1)]
        self.beginResetModel()
        self._all = new
        self._view = list(new)
        self._shown = max(self._shown, min(len(new), target + len(moved)))
        self.endResetModel()
        assert self._indicator_id is not None
        emit(self.reorder_requested, self._indicator_id, [r.id for r in new])


def decode_evidence_mime(data: QMimeData) -> tuple[int | None, list[int]] | None:
    try:
        payload = json.loads(bytes(data.data(EVIDENCE_MIME).data()).decode())
        return payload.get("indicator_id"), [int(i) for i in payload["ids"]]
    except (ValueError, KeyError, TypeError):
        return None


__all__ = [
    "DepartmentOwingModel", "DutyTableModel", "EvidenceTableModel", "InboxModel",
    "IndicatorTreeModel", "LazyRows", "OwedDutyModel", "RowTableModel", "EVIDENCE_MIME",
    "DepartmentOwing", "DutyRow", "InboxRow", "OwedDuty",
]
