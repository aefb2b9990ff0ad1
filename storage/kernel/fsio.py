"""The one guarded way to open a file a clerk or a department supplies.

Every path that brings a file in (ingest, the watched folders, the importers, the reader of
stored files, preview) asks this module first:

- `open_regular` / `check_regular`: the path is a regular file; a symbolic link that points
  outside the given root is refused (never followed); FIFOs, devices, sockets and folders are
  refused with a reason; opening never blocks on a FIFO (O_NONBLOCK, then fstat).
- `sniff`: the file's kind told by its content (magic bytes; for zips the member names and
  the content types in `[Content_Types].xml`, ODF's `mimetype`, `OFD.xml`; for OLE2 compound
  files the stream names and the FIB / FILEPASS flags), never by its name. Encrypted Office
  files are kind "password"; Excel 2–5 and Word 6/95 files are named as too old to read.
- `check_zip`: member count, total uncompressed size, compression ratio and member names
  (traversal) checked before any parser opens a container; XML members that declare a DTD or
  entities (billion laughs, external entities) are refused: Office and ODF files never carry
  one. Our own XML parsing uses `safe_parser()`: lxml with resolve_entities=False,
  no_network=True, load_dtd=False, huge_tree=False (lxml, not defusedxml: lxml is already a
  dependency of python-docx and its iterparse streams large sheets).
- `scan_xlsx_sheets`: each worksheet's cells are scanned where values are (the declared
  `<dimension>` is not trusted) and its merges measured, so that a far-away cell or a merge
  over the whole sheet is refused or bounded before openpyxl builds a grid.

Refusals raise `FileRefused` (a `BadInput`): a Chinese sentence and its English, naming the
file, what it is and what to do. No SQLAlchemy here; exporters may import this module.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import struct
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, BinaryIO

from storage.kernel.errors import BadInput

if TYPE_CHECKING:  # lxml loads when a file's XML is first read, not at the window's start
    from lxml import etree

# --- limits ---------------------------------------------------------------------------------

MAX_MEMBERS = 20_000                  # members of one zip container
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # total declared uncompressed bytes of a container
MAX_MEMBER = 200 * 1024 * 1024        # one member, uncompressed
MAX_RATIO = 200                       # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024         # small members may compress very well (blank XML)
MAX_SHEET_CELLS = 5_000_000           # rows × columns of the area that holds values
MAX_MERGE_CELLS = 200_000             # cells covered by one merge
MAX_MERGED_TOTAL = 2_000_000          # cells covered by all the merges of a sheet
MAX_ROWS = 1_048_576
MAX_COLS = 16_384

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

# Kinds (what `sniff` returns in FileKind.kind).
WORD = "docx"         # docx, docm, dotx, dotm (FileKind.detail says which)
EXCEL = "xlsx"        # xlsx, xlsm, xltx, xltm
XLSB = "xlsb"
POWERPOINT = "pptx"   # pptx, pptm, ppsx, potx
ODT = "odt"
ODS = "ods"
ODP = "odp"
OFD = "ofd"
ZIP = "zip"
DOC = "doc"           # OLE2 Word 97+ (also WPS .wps)
XLS = "xls"           # OLE2 Excel 97+ BIFF8 (also WPS .et)
PPT = "ppt"
OLE = "ole"           # another compound file (.msg, …)
PDF = "pdf"
PASSWORD = "password"
OLD_EXCEL = "old-excel"
OLD_WORD = "old-word"
IMAGE = "image"       # detail: jpeg png tiff bmp gif webp
TEXT = "text"
RTF = "rtf"
EMPTY = "empty"
UNKNOWN = "unknown"

_LABELS = {
    WORD: "Word 文档", EXCEL: "Excel 表格", XLSB: "Excel 二进制表格（.xlsb）",
    POWERPOINT: "PowerPoint 演示文稿", ODT: "OpenDocument 文本（.odt）",
    ODS: "OpenDocument 表格（.ods）", ODP: "OpenDocument 演示文稿（.odp）", OFD: "OFD 版式文件",
    ZIP: "压缩包（.zip）", DOC: "旧版 Word 文档（.doc）", XLS: "旧版 Excel 表格（.xls）",
    PPT: "旧版 PowerPoint 演示文稿（.ppt）", OLE: "Office 复合文档", PDF: "PDF 文件",
    PASSWORD: "有密码保护的文件", OLD_EXCEL: "Excel 5.0/95 或更早版本的表格",
    OLD_WORD: "Word 6.0/95 或更早版本的文档", IMAGE: "图片", TEXT: "纯文本",
    RTF: "RTF 文档", EMPTY: "空文件", UNKNOWN: "无法识别的文件",
}
_LABELS_EN = {
    WORD: "Word document", EXCEL: "Excel workbook", XLSB: "Excel binary workbook (.xlsb)",
    POWERPOINT: "PowerPoint presentation", ODT: "OpenDocument text (.odt)",
    ODS: "OpenDocument spreadsheet (.ods)", ODP: "OpenDocument presentation (.odp)",
    OFD: "OFD document", ZIP: "zip archive", DOC: "legacy Word document (.doc)",
    XLS: "legacy Excel workbook (.xls)", PPT: "legacy PowerPoint presentation (.ppt)",
    OLE: "Office compound file", PDF: "PDF file", PASSWORD: "password-protected file",
    OLD_EXCEL: "Excel 5.0/95 or older workbook", OLD_WORD: "Word 6.0/95 or older document",
    IMAGE: "image", TEXT: "plain text", RTF: "RTF document", EMPTY: "empty file",
    UNKNOWN: "unrecognised file",
}

_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (WORD, "docx"),
    "application/vnd.ms-word.document.macroenabled.main+xml": (WORD, "docm"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (WORD, "dotx"),
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": (WORD, "dotm"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (EXCEL, "xlsx"),
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": (EXCEL, "xlsm"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": (EXCEL, "xltx"),
    "application/vnd.ms-excel.template.macroenabled.main+xml": (EXCEL, "xltm"),
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": (XLSB, "xlsb"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (POWERPOINT, "pptx"),
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": (POWERPOINT, "pptm"),
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": (POWERPOINT, "ppsx"),
    "application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml": (POWERPOINT, "ppsm"),
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": (POWERPOINT, "potx"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": (ODT, "odt"),
    "application/vnd.oasis.opendocument.text-template": (ODT, "ott"),
    "application/vnd.oasis.opendocument.spreadsheet": (ODS, "ods"),
    "application/vnd.oasis.opendocument.spreadsheet-template": (ODS, "ots"),
    "application/vnd.oasis.opendocument.presentation": (ODP, "odp"),
}


class FileRefused(BadInput):
    """A supplied file we will not open: not a regular file, a link out of its folder, a bomb,
    a password, a format too old. `reason` is a short machine word for counts and tests."""

    def __init__(self, zh: str, en: str, reason: str = "refused") -> None:
        super().__init__(zh, en)
        self.reason = reason


@dataclass(frozen=True)
class FileKind:
    """What a file is, told by its content.

    Attributes:
        kind: one of the kind constants of this module (WORD, EXCEL, PDF, PASSWORD, …).
        detail: the precise format where it matters: docm, xltx, jpeg, wps-or-doc, "ooxml"
            for an encrypted Office 2007+ file, "doc"/"xls"/"ppt" for an encrypted legacy one.
    """

    kind: str
    detail: str = ""

    @property
    def label(self) -> str:
        """The kind in Chinese words for a clerk."""
        return _LABELS.get(self.kind, _LABELS[UNKNOWN])

    @property
    def label_en(self) -> str:
        return _LABELS_EN.get(self.kind, _LABELS_EN[UNKNOWN])


def display_name(path: str | os.PathLike[str] | bytes) -> str:
    """A file's name as a clerk can read it, whatever bytes it was made of: undecodable bytes
    are shown as \\xNN escapes, never a crash."""
    raw = os.fsencode(path)
    name = raw.rsplit(b"/", 1)[-1] if raw.rstrip(b"/") else raw
    for enc in ("utf-8",):
        try:
            return name.decode(enc)
        except UnicodeDecodeError:
            pass
    return name.decode("utf-8", "backslashreplace")


# --- messages -------------------------------------------------------------------------------


def password_refusal(name: str) -> FileRefused:
    """The one message every import gives a password-protected file (issue 21)."""
    return FileRefused(
        f"文件有密码保护，请去掉密码后再导入：{name}",
        f"the file is password-protected; remove the password and import it again: {name}",
        "password",
    )


def old_format_refusal(name: str, kind: FileKind) -> FileRefused:
    if kind.kind == OLD_EXCEL:
        return FileRefused(
            f"{name} 是 Excel 5.0/95 或更早版本的表格，本程序读不了这么旧的格式；请用 Excel/WPS 另存为 .xlsx 后再导入",
            f"{name} is an Excel 5.0/95 or older workbook, too old to read; save it as .xlsx in Excel or "
            "WPS and import it again",
            "old-format",
        )
    return FileRefused(
        f"{name} 是 Word 6.0/95 或更早版本的文档，本程序读不了这么旧的格式；请用 Word/WPS 另存为 .docx 后再导入",
        f"{name} is a Word 6.0/95 or older document, too old to read; save it as .docx in Word or WPS "
        "and import it again",
        "old-format",
    )


def damaged_refusal(name: str, kind: FileKind | None = None, what: str = "") -> FileRefused:
    label = kind.label if kind else "文件"
    label_en = kind.label_en if kind else "file"
    extra_zh = f"（{what}）" if what else ""
    return FileRefused(
        f"{name} 已损坏或不完整，无法读取{extra_zh}；请向发送单位要一份完整的{label}",
        f"{name} is damaged or incomplete and cannot be read; ask the sender for a complete {label_en}",
        "damaged",
    )


def _bomb(name: str, what_zh: str, what_en: str) -> FileRefused:
    return FileRefused(
        f"{name} 的结构异常（{what_zh}），为安全起见不予读取；请用 Office/WPS 打开后另存一份再导入",
        f"{name} has an abnormal structure ({what_en}) and is not read, for safety; open it in Office "
        "or WPS, save a new copy and import that",
        "bomb",
    )


# --- regular files and links ----------------------------------------------------------------


def _within(target: Path, root: Path) -> bool:
    try:
        target.relative_to(root)
        return True
    except ValueError:
        return False


def check_regular(path: str | os.PathLike[str] | bytes, *, root: str | os.PathLike[str] | bytes | None = None,
                  allow_links: bool = True) -> os.stat_result:
    """The stat of `path` if it is a regular file we may read, else FileRefused.

    A symbolic link is followed only when `allow_links` and its target lies inside `root`
    (the ingested or watched folder); with no root, a link the clerk named directly is
    followed. FIFOs, devices, sockets and folders are refused with a reason.
    """
    p = os.fsencode(path)
    name = display_name(p)
    try:
        st = os.lstat(p)
    except FileNotFoundError as e:
        raise FileRefused(f"找不到文件：{name}", f"file not found: {name}", "missing") from e
    except OSError as e:
        raise FileRefused(f"无法读取文件 {name}：{e.strerror}", f"cannot read {name}: {e.strerror}",
                          "unreadable") from e
    if stat.S_ISLNK(st.st_mode):
        target = Path(os.fsdecode(os.path.realpath(p)))
        if not allow_links or (root is not None and not _within(target, Path(os.fsdecode(os.path.realpath(
                os.fsencode(root)))))):
            raise FileRefused(
                f"{name} 是指向文件夹以外的快捷方式（符号链接），为安全起见不读取；请把文件本身放进文件夹",
                f"{name} is a symbolic link pointing outside the folder and is not followed, for safety; "
                "put the file itself into the folder",
                "link-outside",
            )
        try:
            st = os.stat(p)
        except OSError as e:
            raise FileRefused(f"{name} 是失效的快捷方式（符号链接），指向的文件不存在",
                              f"{name} is a broken symbolic link", "broken-link") from e
    _check_mode(st, name)
    return st


def _check_mode(st: os.stat_result, name: str) -> None:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        zh, en, r = "是文件夹，不是文件", "is a folder, not a file", "folder"
    elif stat.S_ISFIFO(mode):
        zh, en, r = ("是管道（FIFO），不是普通文件，已跳过", "is a FIFO (named pipe), not a regular file; skipped",
                     "fifo")
    elif stat.S_ISSOCK(mode):
        zh, en, r = "是套接字，不是普通文件，已跳过", "is a socket, not a regular file; skipped", "socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        zh, en, r = "是设备文件，不是普通文件，已跳过", "is a device file, not a regular file; skipped", "device"
    else:
        zh, en, r = "不是普通文件，已跳过", "is not a regular file; skipped", "special"
    raise FileRefused(f"{name} {zh}", f"{name} {en}", r)


@contextmanager
def open_regular(path: str | os.PathLike[str] | bytes, *, root: str | os.PathLike[str] | bytes | None = None,
                 allow_links: bool = True) -> Iterator[BinaryIO]:
    """Open `path` for reading after `check_regular`, without blocking on a FIFO swapped in
    between (O_NONBLOCK, then fstat of what was actually opened)."""
    check_regular(path, root=root, allow_links=allow_links)
    p = os.fsencode(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as e:
        name = display_name(p)
        raise FileRefused(f"无法读取文件 {name}：{e.strerror}", f"cannot read {name}: {e.strerror}",
                          "unreadable") from e
    try:
        _check_mode(os.fstat(fd), display_name(p))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as f:
        yield f


# --- kinds by content -----------------------------------------------------------------------


def safe_parser(**kw: bool) -> etree.XMLParser:
    """lxml parser with entity expansion, DTD loading and network access off."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, **kw)


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo | str, limit: int = MAX_MEMBER) -> bytes:
    """A member's bytes, at most `limit` (zipfile never inflates past the declared size)."""
    if isinstance(info, str):
        info = z.getinfo(info)
    if info.file_size > limit:
        raise _bomb(z.filename or "", f"成员 {info.filename} 解压后过大", f"member {info.filename} too large")
    with z.open(info) as f:
        return f.read(limit + 1)[:limit]


def parse_member(z: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER) -> etree._Element:
    """A zip member parsed as XML with the safe parser; a DTD is refused."""
    from lxml import etree

    data = read_member(z, name, limit)
    if _DTD.search(data[:4096]):
        raise _bomb(display_name(z.filename or ""), "XML 含实体声明", "XML declares entities")
    return etree.fromstring(data, safe_parser())


def parse_bytes(data: bytes, name: str = "") -> etree._Element:
    """XML bytes parsed with the safe parser; a DTD is refused."""
    from lxml import etree

    if _DTD.search(data[:4096]):
        raise _bomb(display_name(name), "XML 含实体声明", "XML declares entities")
    return etree.fromstring(data, safe_parser())


def check_zip(z: zipfile.ZipFile, name: str) -> None:
    """Refuse a container whose declared sizes, count, ratio or names are hostile, and XML
    members that declare a DTD (entity bombs); before any parser reads a member."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _bomb(name, f"包含 {len(infos)} 个成员", f"{len(infos)} members")
    total = 0
    for info in infos:
        n = info.filename
        if n.startswith(("/", "\\")) or ".." in PurePosixPath(n.replace("\\", "/")).parts or re.match(r"^[A-Za-z]:", n):
            raise _bomb(name, f"成员名 {n} 指向包外", f"member name {n} points outside the container")
        if info.file_size > MAX_MEMBER:
            raise _bomb(name, "解压后过大", "a member is too large uncompressed")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, "压缩比异常（疑似压缩炸弹）", "abnormal compression ratio (zip bomb)")
    if total > MAX_UNCOMPRESSED:
        raise _bomb(name, "解压后总大小过大（疑似压缩炸弹）", "total uncompressed size too large (zip bomb)")
    for info in infos:
        low = info.filename.lower()
        if low.endswith((".xml", ".rels", ".vml")) and info.file_size:
            with z.open(info) as f:
                head = f.read(4096)
            if _DTD.search(head):
                raise _bomb(name, "XML 含实体声明（疑似实体炸弹）", "XML declares entities (entity bomb)")


def _ooxml_kind(z: zipfile.ZipFile, names: set[str]) -> FileKind:
    from lxml import etree

    if "[Content_Types].xml" in names:
        try:
            root = parse_member(z, "[Content_Types].xml", 4 * 1024 * 1024)
        except etree.XMLSyntaxError:
            root = None
        if root is not None:
            for el in root:
                ct = (el.get("ContentType") or "").lower()
                if ct in _CONTENT_TYPES:
                    kind, detail = _CONTENT_TYPES[ct]
                    return FileKind(kind, detail)
    # Content types missing or unknown: fall back on the main parts' names.
    if "word/document.xml" in names:
        return FileKind(WORD, "docx")
    if "xl/workbook.xml" in names:
        return FileKind(EXCEL, "xlsx")
    if "xl/workbook.bin" in names:
        return FileKind(XLSB, "xlsb")
    if "ppt/presentation.xml" in names:
        return FileKind(POWERPOINT, "pptx")
    return FileKind(ZIP, "")


def _zip_kind(path: bytes, name: str) -> FileKind:
    try:
        with zipfile.ZipFile(os.fsdecode(path)) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                try:
                    mt = read_member(z, "mimetype", 200).decode("ascii", "replace").strip().lower()
                except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                    mt = ""
                if mt in _ODF:
                    return FileKind(*_ODF[mt])
            if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
                return FileKind(OFD, "ofd")
            if "[Content_Types].xml" in names or "word/document.xml" in names or "xl/workbook.xml" in names:
                return _ooxml_kind(z, names)
            return FileKind(ZIP, "")
    except FileRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        return FileKind(ZIP, "damaged")


def _ole_kind(path: bytes, name_hint: str) -> FileKind:
    import olefile

    ext = Path(name_hint).suffix.lower().lstrip(".")
    try:
        ole = olefile.OleFileIO(os.fsdecode(path))
    except Exception:  # noqa: BLE001 - olefile raises OSError, struct errors, … for damaged files
        return FileKind(OLE, "damaged")
    try:
        streams = {"/".join(s) for s in ole.listdir(streams=True, storages=False)}
        lower = {s.lower() for s in streams}
        if "encryptioninfo" in lower or "encryptedpackage" in lower:
            return FileKind(PASSWORD, "ooxml")
        if "worddocument" in lower:
            fib = _read_stream(ole, "WordDocument", 32)
            if len(fib) >= 12:
                nfib = struct.unpack_from("<H", fib, 2)[0]
                flags = struct.unpack_from("<H", fib, 10)[0]
                if nfib < 0x00C1 and nfib != 0:
                    return FileKind(OLD_WORD, "word6")
                if flags & 0x0100:   # FIB fEncrypted
                    return FileKind(PASSWORD, "doc")
            return FileKind(DOC, "wps" if ext == "wps" else "doc")
        if "workbook" in lower:
            if _biff_filepass(ole, "Workbook"):
                return FileKind(PASSWORD, "xls")
            return FileKind(XLS, "et" if ext == "et" else "xls")
        if "book" in lower:
            return FileKind(OLD_EXCEL, "biff5")
        if "powerpoint document" in lower:
            if "encryptedsummary" in lower:
                return FileKind(PASSWORD, "ppt")
            return FileKind(PPT, "ppt")
        return FileKind(OLE, "")
    finally:
        ole.close()


def _read_stream(ole: object, name: str, n: int) -> bytes:
    try:
        with ole.openstream(name) as s:  # type: ignore[attr-defined]
            return bytes(s.read(n))
    except Exception:  # noqa: BLE001 - a damaged directory: no flags to read
        return b""


def _biff_filepass(ole: object, stream: str) -> bool:
    """True when the workbook globals substream carries a FILEPASS record (0x002F)."""
    data = _read_stream(ole, stream, 64 * 1024)
    pos = 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A and pos:  # EOF of the globals substream
            return False
        pos += 4 + size
    return False


_IMAGES = (
    (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
)


def sniff_bytes_head(head: bytes) -> FileKind | None:
    """The kinds that the first bytes alone decide (no container to open)."""
    if not head:
        return FileKind(EMPTY)
    if head.startswith(b"%PDF") or head[:1024].find(b"%PDF-") >= 0:
        return FileKind(PDF)
    for magic, detail in _IMAGES:
        if head.startswith(magic):
            return FileKind(IMAGE, detail)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return FileKind(IMAGE, "webp")
    if head.startswith(b"BM") and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return FileKind(IMAGE, "bmp")
    if head.startswith(b"{\\rtf"):
        return FileKind(RTF)
    # BIFF2/3/4 BOF records (a bare worksheet stream, Excel 2.x–4.0) and Word for Windows 1/2.
    if len(head) >= 4 and head[0:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04") and head[3] == 0 \
            and head[2] in (4, 6, 8, 16):
        return FileKind(OLD_EXCEL, "biff2-4")
    if head.startswith((b"\xdb\xa5", b"\x9b\xa5", b"\x31\xbe\x00\x00")):
        return FileKind(OLD_WORD, "word2")
    return None


def _looks_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    sample = head[:8192]
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return True
        except UnicodeDecodeError as e:
            if enc == "utf-8" and e.start >= len(sample) - 4:   # a character cut at the end
                return True
    return False


def sniff(path: str | os.PathLike[str] | bytes, *, name_hint: str = "") -> FileKind:
    """The kind of the file at `path`, told by its content; `name_hint` (the original name)
    only separates twins such as .wps from .doc and .et from .xls. May raise FileRefused for
    a container that is hostile before it can be told apart."""
    p = os.fsencode(path)
    with open(p, "rb") as f:
        head = f.read(8192)
    decided = sniff_bytes_head(head)
    if decided is not None:
        return decided
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(p, name_hint or display_name(p))
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(p, name_hint or display_name(p))
    if _looks_text(head):
        return FileKind(TEXT)
    return FileKind(UNKNOWN)


def refuse_unreadable_kind(kind: FileKind, name: str) -> None:
    """Raise the clerk's message for kinds that nothing reads: a password, an old format."""
    if kind.kind == PASSWORD:
        raise password_refusal(name)
    if kind.kind in (OLD_EXCEL, OLD_WORD):
        raise old_format_refusal(name, kind)


def check_word_file(path: str | os.PathLike[str] | bytes, *, name_hint: str = "") -> FileKind:
    """Call before python-docx opens a file: it is a Word 2007+ document (docx/docm/dotx/dotm)
    whose container is safe to parse, or a FileRefused names what it is and what to do. A
    legacy .doc/.wps returns kind DOC (convert it with LibreOffice first)."""
    check_regular(path)
    name = name_hint or display_name(path)
    kind = sniff(path, name_hint=name)
    refuse_unreadable_kind(kind, name)
    if kind.kind == WORD:
        with zipfile.ZipFile(os.fsdecode(os.fsencode(path))) as z:
            check_zip(z, name)
        return kind
    if kind.kind in (DOC, ODT, RTF):
        return kind
    if kind.kind == ZIP and kind.detail == "damaged":
        raise damaged_refusal(name, FileKind(WORD))
    raise FileRefused(
        f"{name} 是{kind.label}，不是 Word 文档；请提供 .docx（或 .doc/.wps）文件",
        f"{name} is a {kind.label_en}, not a Word document; give a .docx (or .doc/.wps) file",
        "wrong-kind",
    )


# --- sheets ---------------------------------------------------------------------------------

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def cell_ref(ref: str) -> tuple[int, int] | None:
    """'B3' → (2, 1): 0-based row and column, or None."""
    m = _CELL_REF.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


@dataclass(frozen=True)
class SheetScan:
    """What a worksheet really holds, from its XML.

    Attributes:
        part: the member name (xl/worksheets/sheet1.xml).
        rows / cols: 1 + the last row / column holding a value (0 for an empty sheet).
        cells: how many cells hold a value.
        merges: the merge ranges as (r0, c0, r1, c1), 0-based, inclusive; absurd ones refused.
        declared: the `<dimension>` ref as written (it may lie).
    """

    part: str
    rows: int
    cols: int
    cells: int
    merges: tuple[tuple[int, int, int, int], ...]
    declared: str


def iter_sheet_cells(stream: IO[bytes]) -> Iterator[tuple[int, int, etree._Element]]:
    """Every `<c>` element of a worksheet part that has a value or inline string, with its
    0-based (row, col); the element is cleared after the caller is done with it. Cells without
    an r attribute follow the previous cell (as Excel reads them)."""
    from lxml import etree

    # By local name: Strict OOXML (ISO 29500 strict) uses another namespace for the same tags.
    row, col = -1, -1
    ctx = etree.iterparse(stream, events=("start", "end"), tag=("{*}c", "{*}row"), resolve_entities=False,
                          no_network=True, load_dtd=False, huge_tree=False)
    for event, el in ctx:
        if etree.QName(el).localname == "row":
            if event == "start":
                r = el.get("r")
                row = int(r) - 1 if r and r.isdigit() else row + 1
                col = -1
            else:
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
            continue
        if event == "start":
            continue
        ref = el.get("r")
        pos = cell_ref(ref) if ref else None
        if pos is not None:
            row, col = pos
        else:
            col += 1
        if len(el):   # has <v>, <is> or <f>
            yield row, col, el
        el.clear()


# The common shape of a worksheet, as Excel, WPS, LibreOffice and openpyxl write it:
# unprefixed elements, every <c> with its reference as its first attribute. One match per
# cell: its column letters, its row, and how the start tag ends: "/>" (no value), ">" then
# "</c>" (no value), or ">" then a child element (<v>, <is>, <f>: a value). Both ends must
# be followed by "<" (after blanks): a ">" inside an attribute value is followed by the rest
# of the value and its quote, so such a cell does not match and the sheet is walked.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"[^>]*?(?:/>(?=\s*<)|>\s*(?:</c>|(<)))')
_MERGE = re.compile(rb'<mergeCell ref="([^"<>]*)"\s*/>')
_DIMENSION = re.compile(rb'<dimension ref="([^"<>]*)"\s*/>')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|mergeCell|dimension)[\s/>]")
_FAST_SCAN_MAX = 64 * 1024 * 1024   # bytes of sheet XML read whole for the quick scan


def _col_number(letters: bytes) -> int:
    """b"AB" → 28 (1-based)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _quick_scan(xml: bytes) -> tuple[int, int, int, list[str], str] | None:
    """(rows, cols, cells, merge refs, declared dimension) of a sheet in the common shape,
    read by regular expressions (C speed) instead of walking every element in Python; None
    where the sheet is not in that shape (a cell without its reference first, a namespace
    prefix, comments, CDATA or processing instructions, a reference with three letters or
    seven digits): `scan_sheet` walks it then. Both give the same figures (tests compare
    them). Unlike the walk this does not check that the XML is well formed: the readers that
    follow (calamine, then openpyxl) refuse a damaged sheet."""
    if b"<!--" in xml or b"<![CDATA[" in xml or xml.count(b"<?") > 1 or _PREFIXED.search(xml):
        return None
    tags = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if tags != xml.count(b'<c r="'):
        return None
    found = _CELL.findall(xml)
    if len(found) != tags:
        return None
    values = [(letters, row) for letters, row, child in found if child]
    rows_text = [row for _letters, row in values]
    letters_seen = {letters for letters, _row in values}
    if values and (max(map(len, rows_text)) > 6 or max(map(len, letters_seen)) > 2):
        return None   # beyond 999,999 rows or column ZZ: the walk applies Excel's limits
    rows = max(map(int, rows_text), default=0)
    cols = max(map(_col_number, letters_seen), default=0)
    merges = _MERGE.findall(xml)
    if len(merges) != xml.count(b"<mergeCell "):
        return None
    dims = _DIMENSION.findall(xml)
    if len(dims) != xml.count(b"<dimension"):
        return None
    if dims and b"&" in dims[-1]:
        return None   # an escaped character: the walk reads it unescaped
    declared = dims[-1].decode("utf-8", "replace") if dims else ""
    return rows, cols, len(values), [m.decode("utf-8", "replace") for m in merges], declared


def _merge_areas(refs: Iterable[str], name: str) -> list[tuple[int, int, int, int]]:
    """The merge ranges as (r0, c0, r1, c1), 0-based, inclusive; refuses one over an absurd
    area, or too many merged cells in all; unreadable references are left out."""
    merged_total = 0
    merges: list[tuple[int, int, int, int]] = []
    for ref in refs:
        a, _, b = ref.partition(":")
        p0, p1 = cell_ref(a), cell_ref(b or a)
        if p0 and p1:
            r0, c0 = min(p0[0], p1[0]), min(p0[1], p1[1])
            r1, c1 = max(p0[0], p1[0]), max(p0[1], p1[1])
            area = (r1 - r0 + 1) * (c1 - c0 + 1)
            merged_total += area
            if area > MAX_MERGE_CELLS:
                raise _bomb(name, f"合并单元格 {ref} 范围过大", f"merged range {ref} is absurdly large")
            if merged_total > MAX_MERGED_TOTAL:
                raise _bomb(name, "合并单元格过多", "too many merged cells")
            merges.append((r0, c0, r1, c1))
    return merges


def _walk_scan(z: zipfile.ZipFile, part: str) -> tuple[int, int, int, list[str], str]:
    """What `_quick_scan` reads, by walking the sheet's elements with lxml (any shape of
    well-formed sheet XML; streamed, so any size)."""
    from lxml import etree

    rows = cols = cells = 0
    with z.open(part) as f:
        for r, c, _el in iter_sheet_cells(f):
            if r >= MAX_ROWS or c >= MAX_COLS or r < 0 or c < 0:
                continue
            cells += 1
            rows = max(rows, r + 1)
            cols = max(cols, c + 1)
    declared = ""
    refs: list[str] = []
    with z.open(part) as f:
        for _ev, el in etree.iterparse(f, events=("end",), tag=("{*}mergeCell", "{*}dimension"),
                                       resolve_entities=False, no_network=True, load_dtd=False):
            ref = el.get("ref") or ""
            if etree.QName(el).localname == "dimension":
                declared = ref
            else:
                refs.append(ref)
            el.clear()
    return rows, cols, cells, refs, declared


def scan_sheet(z: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """Scan a worksheet part for the area that holds values and for its merges; refuse a
    merge over an absurd area or values spread over more than MAX_SHEET_CELLS.

    A sheet in the common shape (see `_quick_scan`) up to 64 MB of XML is read whole and
    scanned by regular expressions; any other is walked element by element."""
    with z.open(part) as f:
        head = f.read(4096)
    if _DTD.search(head):
        raise _bomb(name, "XML 含实体声明（疑似实体炸弹）", "XML declares entities (entity bomb)")
    quick = _quick_scan(z.read(part)) if z.getinfo(part).file_size <= _FAST_SCAN_MAX else None
    rows, cols, cells, refs, declared = quick if quick is not None else _walk_scan(z, part)
    merges = _merge_areas(refs, name)
    if rows * cols > MAX_SHEET_CELLS:
        raise _bomb(name, f"数据分布在 {rows} 行 × {cols} 列的范围内（有远处的单元格）",
                    f"values spread over {rows} rows × {cols} columns (a far-away cell)")
    return SheetScan(part, rows, cols, cells, tuple(merges), declared)


def xlsx_sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(sheet name, state, member name) of each worksheet, in workbook order."""
    wb = parse_member(z, "xl/workbook.xml")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in z.namelist():
        rels = parse_member(z, "xl/_rels/workbook.xml.rels")
        for rel in rels:
            t = rel.get("Target") or ""
            t = t.lstrip("/") if t.startswith("/") else "xl/" + t
            targets[rel.get("Id") or ""] = os.path.normpath(t).replace("\\", "/")
    out: list[tuple[str, str, str]] = []
    sheets = wb.find("{*}sheets")
    for i, sh in enumerate(sheets if sheets is not None else []):
        rid = next((v for k, v in sh.attrib.items() if k.startswith("{") and k.endswith("}id")), "")
        part = targets.get(rid, f"xl/worksheets/sheet{i + 1}.xml")
        out.append((sh.get("name") or f"Sheet{i + 1}", sh.get("state") or "visible", part))
    return out


def scan_xlsx(path: str | os.PathLike[str] | bytes, *, name_hint: str = "") -> list[SheetScan]:
    """The container checks and a scan of every worksheet of an .xlsx/.xlsm/.xltx."""
    from lxml import etree

    name = name_hint or display_name(path)
    try:
        with zipfile.ZipFile(os.fsdecode(os.fsencode(path))) as z:
            check_zip(z, name)
            names = set(z.namelist())
            return [scan_sheet(z, part, name) for _n, _s, part in xlsx_sheet_parts(z) if part in names]
    except FileRefused:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError, ValueError, EOFError) as e:
        if isinstance(e, OSError) and e.errno in (errno.ENOMEM,):
            raise
        raise damaged_refusal(name, FileKind(EXCEL)) from e
