"""Print (issue 7, item 4): a page preview of a binder PDF (or any PDF the clerk picks) and
Print through Qt's print dialog, or through the application Windows associates with the
file.

Widgets only. The pages arrive as PNG bytes rendered off the GUI thread by the controller
(desktop/controllers_export.py: pdftoppm when this computer has it; PySide6-Essentials has
no QtPdf); when nothing can render them the dialog says so and offers the system's viewer.
`paint_page` draws one rendered page on a printer page; the controller calls it from its
print task (QPainter on a QPrinter is allowed outside the GUI thread).
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qtfix import emit

try:  # part of PySide6-Essentials on every platform we ship; guarded all the same
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover - a trimmed build: print through the system only
    QPrintDialog = QPrinter = None  # type: ignore[assignment,misc]

THUMB = QSize(170, 240)


def qt_print_available() -> bool:
    return QPrinter is not None


def new_printer(doc_name: str = "") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if doc_name:
        printer.setDocName(doc_name)
    return printer


def paint_page(painter: QPainter, printer: QPrinter, image: QImage) -> None:
    """Draw a rendered page as large as the printer's page allows, keeping its shape."""
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    area = QRect(0, 0, area.width(), area.height())
    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = (area.width() - size.width()) // 2
    y = (area.height() - size.height()) // 2
    painter.drawImage(QRect(x, y, size.width(), size.height()), image)


class PrintPreviewDialog(QDialog):
    """The pages of one PDF (or Word file converted to PDF) and the ways to print it.

    Signals:
        print_requested(printer): the clerk accepted Qt's print dialog with these settings.
        system_print_requested(path): print with the associated application (Windows).
        open_requested(path): open with the system's viewer.
        cancel_requested(): stop printing.
    """

    print_requested = Signal(object)
    system_print_requested = Signal(str)
    open_requested = Signal(str)
    cancel_requested = Signal()

    def __init__(self, path: str, parent: QWidget | None = None, *, system_print: bool = False) -> None:
        super().__init__(parent)
        self.path = path
        self.pdf_path = ""  # the PDF shown and printed (the file itself, or its conversion)
        self.pages_total = 0
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.printing = False
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        self.name = name
        self.setWindowTitle(f"打印预览 — {name}")
        self.resize(980, 760)
        self.title = QLabel(name)
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.status = QLabel("正在生成页面预览…")
        self.status.setWordWrap(True)
        self.pages = QListWidget()
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setIconSize(THUMB)
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        self.pages.setSpacing(12)
        self.pages.setUniformItemSizes(True)
        self.pages.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.print_btn = QPushButton("打印…")
        self.print_btn.setEnabled(False)
        self.print_btn.setVisible(qt_print_available())
        self.print_btn.setToolTip("选择打印机、份数和页码范围后打印")
        self.system_btn = QPushButton("用关联程序打印")
        self.system_btn.setToolTip("交给 Windows 中打开这种文件的程序（如 PDF 阅读器、Word 或 WPS）打印")
        self.system_btn.setVisible(system_print)
        self.open_btn = QPushButton("用系统程序打开")
        self.cancel_btn = QPushButton("取消打印")
        self.cancel_btn.setVisible(False)
        self.close_btn = QPushButton("关闭")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_btn)
        buttons.addStretch(1)
        for b in (self.print_btn, self.system_btn, self.cancel_btn, self.close_btn):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.status)
        lay.addWidget(self.pages, 1)
        lay.addWidget(self.progress)
        lay.addLayout(buttons)
        self.print_btn.clicked.connect(self._ask_printer)
        self.system_btn.clicked.connect(lambda: emit(self.system_print_requested, self.path))
        self.open_btn.clicked.connect(lambda: emit(self.open_requested, self.path))
        self.cancel_btn.clicked.connect(self._on_cancel)
        self.close_btn.clicked.connect(self.close)

    # -- content -----------------------------------------------------------------------------
    def set_pages(self, pngs: list[bytes], total: int) -> None:
        """The rendered pages (the first `len(pngs)` of `total`)."""
        self.pages.clear()
        self.pages_total = total
        for n, data in enumerate(pngs, start=1):
            pix = QPixmap()
            pix.loadFromData(data, "PNG")
            item = QListWidgetItem(QIcon(pix), f"第 {n} 页")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addItem(item)
        more = f"，预览前 {len(pngs)} 页" if len(pngs) < total else ""
        self.status.setText(f"共 {total} 页{more}。")
        self.print_btn.setEnabled(qt_print_available() and total > 0)

    def set_unavailable(self, message: str, *, printable: bool = False) -> None:
        """No preview: say why; Qt printing stays possible only when pages can be rendered."""
        self.pages.clear()
        self.status.setText(message)
        self.print_btn.setEnabled(printable and qt_print_available())

    def page_images(self) -> list[QImage]:
        """The preview pages as shown (for tests and the screenshot)."""
        out = []
        for i in range(self.pages.count()):
            out.append(self.pages.item(i).icon().pixmap(THUMB).toImage())
        return out

    # -- printing ----------------------------------------------------------------------------
    def _ask_printer(self) -> None:
        if not qt_print_available() or self.printing:
            return
        printer = new_printer(self.name)
        printer.setFromTo(0, 0)
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle("打印")
        dlg.setMinMax(1, max(1, self.pages_total))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.printer, self.print_dialog = printer, dlg

        def finished(result: int) -> None:
            self.print_dialog = None
            if result == QDialog.DialogCode.Accepted:
                emit(self.print_requested, printer)

        dlg.finished.connect(finished)
        QDialog.open(dlg)  # (QPrintDialog.open itself is the overload that takes a receiver)

    def print_started(self) -> None:
        self.printing = True
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_btn.setVisible(True)
        self.cancel_btn.setEnabled(True)
        for b in (self.print_btn, self.system_btn, self.close_btn):
            b.setEnabled(False)

    def set_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.status.setText(text)

    def print_finished(self, message: str) -> None:
        self.printing = False
        self.progress.setVisible(False)
        self.cancel_btn.setVisible(False)
        for b in (self.system_btn, self.close_btn):
            b.setEnabled(True)
        self.print_btn.setEnabled(qt_print_available() and self.pages_total > 0)
        self.status.setText(message)

    def _on_cancel(self) -> None:
        self.cancel_btn.setEnabled(False)
        self.status.setText("正在停止打印…")
        emit(self.cancel_requested)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.printing:
            self.status.setText("正在打印：请先按“取消打印”，或等它完成后再关闭。")
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if not self.printing:
            super().reject()


__all__ = ["PrintPreviewDialog", "new_printer", "paint_page", "qt_print_available"]
