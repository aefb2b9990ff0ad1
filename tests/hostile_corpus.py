"""The project's own hostile corpus (issue 18 item 6): every case is made by this script when a
test runs (no bomb, no broken file is checked in), each with its command line, the exit code
it must end with and a phrase its message must hold.

    python tests/hostile_corpus.py OUTDIR     # write every case's files and manifest.json

Classes: corrupt (random bytes under a real extension), renamed (one format under another's
name), truncated (a real file cut short), oversized (a sparse file of gigabytes), crafted
(zip bombs, XML bombs, external entities, a sharedStrings bomb, a far-away cell, a merge over
the whole sheet, a PDF with a crafted xref or a huge page count), names (invalid UTF-8, GBK
bytes, very long, leading dash, newline), special (links, FIFOs, devices), empty (empty path
arguments), archive (zero-length, truncated, not SQLite: as the archive and as a backup), disk
(full disk, on a small tmpfs where the machine lets us mount one).

Sources of the legitimate files the broken ones are cut from: the plan is the first tasks of
沂水县加快推进山东省质量强县创建工作方案 (tests/data/tables/yishui_plan_001.txt, its source
noted in tests/data/corpus14/SOURCES.md's family), the table a 质量强县 indicator table in the
form of the 山东省质量强县评价指标 (一级/二级指标, 评分标准, 分值; our own wording of the rules),
the bombs and crafted sheets follow tests/reading_files.py (python-docx and Apache POI test
documents' layouts), the crafted PDFs are pypdf-written pages with the xref and /Count edited
as published PDF fuzzing corpora (e.g. mozilla/pdf.js test/pdfs) do.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reading_files as rf  # the tests' own file makers

SECRET = b"root:$6$corpus-secret-hash:19000:0:99999:7:::\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: `make(d)` writes its files under the folder `d` and returns the
    command line (without --archive); the command must end with `exit` and its output hold
    `phrase`. `bounded`: a bomb, run as its own process with its peak memory measured.
    `archive`: "shared" (one archive per class), "own" (a fresh one), or the name of a
    damage done to a fresh archive before the command (`damage`)."""

    id: str
    klass: str
    make: Callable[[Path], list[str]]
    exit: int
    phrase: str
    bounded: bool = False
    archive: str = "shared"
    not_in_archive: bytes = b""      # bytes that must never reach the store
    extra: dict = field(default_factory=dict)


# --- legitimate files to break -------------------------------------------------------------

PLAN_LINES = [
    "沂水县加快推进山东省质量强县创建工作方案",
    "四、主要任务",
    "（一）实施质量提升工程",
    "1.开展产品质量提升行动。落实“双随机、一公开”监督检查，推行分类分级监管。"
    "（县市场监管局、县工信局、县农业农村局等部门按职责分工负责）",
    "2.开展工程质量提升行动。强化建设单位首要责任，落实工程质量终身责任追究制度。"
    "（县住建局、县水利局、县人社局等部门按职责分工负责）",
    "3.开展服务质量提升行动。以电子商务、智慧物流、政务服务为重点提升服务质量。"
    "（县发改局、县文化和旅游局、县行政审批服务局等部门按职责分工负责）",
]

TABLE_ROWS = [
    ("序号", "一级指标", "二级指标", "评分标准", "分值", "牵头单位"),
    ("1", "质量工作", "1.1 组织领导", "成立质量强县工作领导小组并每年召开会议的得满分", 5, "县市场监管局"),
    ("2", "质量工作", "1.2 质量考核", "将质量工作纳入政府绩效考核的得满分", 5, "县政府办"),
    ("3", "质量基础", "2.1 标准化", "主导或参与制修订国家、行业、地方标准的每项得1分", 4, "县市场监管局"),
    ("4", "质量基础", "2.2 计量", "强制检定计量器具检定率达100%的得满分", 3, "县检验检测中心"),
]


def plan_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in PLAN_LINES:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def table_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价指标"
    for row in TABLE_ROWS:
        ws.append(list(row))
    wb.save(str(path))
    return path


def text_pdf(path: Path) -> Path:
    return rf.text_pdf(path, "Quality county evidence 2024")


def png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "PNG")
    return path


def jpeg(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 48), (30, 30, 200)).save(path, "JPEG")
    return path


def cut(path: Path, fraction: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: max(1, int(len(data) * fraction))])
    return path


def noise(path: Path, n: int = 40_000, seed: int = 18) -> Path:
    import random

    path.write_bytes(random.Random(seed).randbytes(n))
    return path


def sparse(path: Path, gigabytes: int = 8) -> Path:
    with open(path, "wb") as f:
        f.truncate(gigabytes * 1024 ** 3)
    return path


def billion_laughs_docx(path: Path) -> Path:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    body = (f'<?xml version="1.0"?><!DOCTYPE lolz [{ents}]><w:document xmlns:w="{rf.W_NS}"><w:body>'
            "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(rf.CT, rf._content_types("word/document.xml", rf.DOCX_CT_MAIN))
        z.writestr("_rels/.rels", rf._rels("word/document.xml"))
        z.writestr("word/document.xml", body)
    return path


def xxe_docx(path: Path, secret: Path) -> Path:
    """A .docx whose text is an external entity naming a file outside (the secret)."""
    body = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<w:document xmlns:w="{rf.W_NS}"><w:body><w:p><w:r><w:t>1.开展质量提升行动。&x;</w:t></w:r></w:p>'
            "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(rf.CT, rf._content_types("word/document.xml", rf.DOCX_CT_MAIN))
        z.writestr("_rels/.rels", rf._rels("word/document.xml"))
        z.writestr("word/document.xml", body)
    return path


def xxe_xlsx(path: Path, secret: Path) -> Path:
    head = f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret}">]>'
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>')
    return rf.make_xlsx(path, rows, sheet_head=head)


def many_members_zip(path: Path, n: int = 30_000) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"m{i}.txt", b"")
    return path


def many_members_docx(path: Path, n: int = 30_000) -> Path:
    """A real Word package with `n` empty extra members (past the member limit)."""
    rf.make_word(path, rf._p("1.开展产品质量提升行动。"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"customXml/item{i}.xml", b"")
    return path


def zip_bomb_zip(path: Path, megabytes: int = 600) -> Path:
    """A plain .zip (a department's upload) holding one file that inflates to `megabytes`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("材料/通知.pdf", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                f.write(chunk)
    return path


def nested_zip(path: Path) -> Path:
    inner = rf.bytes_io_zip({"通知.txt": "关于开展质量月活动的通知".encode()})
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("内层.zip", inner)
        z.writestr("../../逃逸.txt", b"escape attempt")
        z.writestr("/etc/absolute.txt", b"absolute path")
    return path


def pdf_crafted_xref(path: Path) -> Path:
    """A real PDF whose xref offsets all point into the middle of the file, and a startxref
    beyond its end."""
    text_pdf(path)
    data = bytearray(path.read_bytes())
    i = data.rfind(b"xref")
    if i > 0:
        tail = data[i:].replace(b" 00000 n", b" 99999 n")
        data = data[:i] + tail
    j = data.rfind(b"startxref")
    data = data[:j] + b"startxref\n999999999\n%%EOF\n"
    path.write_bytes(bytes(data))
    return path


def pdf_huge_count(path: Path) -> Path:
    """A PDF whose page tree claims 2,000,000,000 pages and a /Kids loop back to itself."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 2000000000 /Kids [2 0 R 3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def pdf_deep_nesting(path: Path) -> Path:
    """An object nested 100,000 arrays deep (recursion in a parser)."""
    body = b"[" * 100_000 + b"]" * 100_000
    out = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X " + body + b" >>\nendobj\n"
           b"2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    path.write_bytes(out)
    return path


def ole_garbage_doc(path: Path) -> Path:
    """The OLE2 signature, then noise: a .doc that claims to be Word 97 and is not."""
    noise(path, 20_000)
    data = bytearray(path.read_bytes())
    data[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    path.write_bytes(bytes(data))
    return path


_cache_dir: Path | None = None


def cached(key: str, maker: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """`maker`, run once per process: the bombs take seconds to deflate and several cases
    use the same one, so each later case gets a copy of the first (a few hundred KB)."""
    def make(path: Path) -> Path:
        global _cache_dir
        if _cache_dir is None:
            _cache_dir = Path(tempfile.mkdtemp(prefix="hostile-corpus-"))
            atexit.register(shutil.rmtree, _cache_dir, True)
        src = _cache_dir / key
        if not src.exists():
            maker(_cache_dir / f"tmp-{key}").replace(src)
        shutil.copyfile(src, path)
        return path
    return make


DOCX_BOMB = cached("bomb.docx", lambda p: rf.zip_bomb_docx(p, megabytes=450))
SST_BOMB = cached("sst-bomb.xlsx", lambda p: rf.shared_strings_bomb_xlsx(p, megabytes=250))
ZIP_BOMB = cached("bomb.zip", lambda p: zip_bomb_zip(p, 600))


def _one(d: Path, name: str, maker: Callable[[Path], Path]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    return maker(d / name)


def _folder(d: Path, files: dict[str, Callable[[Path], Path]]) -> Path:
    share = d / "share"
    share.mkdir(parents=True, exist_ok=True)
    for name, maker in files.items():
        maker(share / name)
    return share


def _bytes_file(folder: Path, name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as f:
        f.write(data)


def _with_good_file(folder: Path) -> None:
    (folder / "关于开展质量月活动的通知.txt").write_text("关于开展质量月活动的通知", encoding="utf-8")


# --- the cases -----------------------------------------------------------------------------

def _importer_cases() -> list[Case]:
    """Each importer given what it cannot read: exit 2 and a clear line."""
    cases: list[Case] = []
    fw = ["framework", "import"]
    du = ["duties", "import"]
    pl = ["plan", "import"]

    def add(cid: str, klass: str, cmd: list[str], name: str, maker: Callable[[Path], Path], phrase: str,
            **kw) -> None:
        cases.append(Case(cid, klass, lambda d, c=cmd, n=name, m=maker: [*c, str(_one(d, n, m))], 2, phrase, **kw))

    # corrupt
    add("framework-noise-xlsx", "corrupt", fw, "指标体系.xlsx", noise, "无法")
    add("duties-noise-xlsx", "corrupt", du, "责任分解表.xlsx", noise, "无法")
    add("plan-noise-docx", "corrupt", pl, "工作方案.docx", noise, "无法")
    add("plan-ole-garbage-doc", "corrupt", pl, "工作方案.doc", ole_garbage_doc, "复合文档")
    add("framework-ole-garbage-xls", "corrupt", fw, "指标体系.xls", ole_garbage_doc, "无法")
    # renamed
    add("framework-docx-as-xlsx", "renamed", fw, "指标体系.xlsx", plan_docx, "Word")
    add("duties-given-a-docx", "renamed", du, "责任分解表.docx", plan_docx, "Word")
    add("framework-given-a-png", "renamed", fw, "指标体系.png", png, "图片")
    add("framework-png-as-xlsx", "renamed", fw, "指标体系.xlsx", png, "图片")
    add("duties-pdf-as-xlsx", "renamed", du, "责任分解表.xlsx", text_pdf, "PDF")
    add("plan-xlsx-as-docx", "renamed", pl, "工作方案.docx", table_xlsx, "Excel")
    add("plan-given-a-jpeg", "renamed", pl, "工作方案.jpg", jpeg, "图片")
    add("plan-pdf-as-docx", "renamed", pl, "工作方案.docx", text_pdf, "PDF")
    # truncated
    add("framework-truncated-xlsx", "truncated", fw, "指标体系.xlsx", lambda p: cut(table_xlsx(p)), "损坏")
    add("duties-truncated-xlsx", "truncated", du, "责任分解表.xlsx", lambda p: cut(table_xlsx(p), 0.8), "损坏")
    add("plan-truncated-docx", "truncated", pl, "工作方案.docx", lambda p: cut(plan_docx(p)), "损坏")
    add("plan-zero-length-docx", "truncated", pl, "工作方案.docx", lambda p: (p.write_bytes(b""), p)[1], "空")
    add("framework-zero-length-xlsx", "truncated", fw, "指标体系.xlsx", lambda p: (p.write_bytes(b""), p)[1], "空")
    # oversized (sparse: gigabytes declared, nothing on the disk)
    add("framework-sparse-8gb-xlsx", "oversized", fw, "指标体系.xlsx", sparse, "无法", bounded=True)
    add("plan-sparse-8gb-docx", "oversized", pl, "工作方案.docx", sparse, "无法", bounded=True)
    # crafted
    add("framework-zip-bomb-sharedstrings", "crafted", fw, "指标体系.xlsx",
        SST_BOMB, "解压后过大", bounded=True)
    add("duties-billion-laughs-xlsx", "crafted", du, "责任分解表.xlsx", rf.billion_laughs_xlsx, "实体",
        bounded=True)
    add("framework-far-away-cell", "crafted", fw, "指标体系.xlsx", rf.far_cell_xlsx, "远处的单元格", bounded=True)
    add("duties-whole-sheet-merge", "crafted", du, "责任分解表.xlsx", rf.whole_sheet_merge_xlsx, "合并",
        bounded=True)
    add("plan-zip-bomb-docx", "crafted", pl, "工作方案.docx", DOCX_BOMB,
        "解压后过大", bounded=True)
    add("plan-billion-laughs-docx", "crafted", pl, "工作方案.docx", billion_laughs_docx, "实体", bounded=True)
    add("plan-many-members-docx", "crafted", pl, "工作方案.docx", many_members_docx, "成员", bounded=True)
    add("plan-plain-zip-as-docx", "renamed", pl, "工作方案.docx", many_members_zip, "压缩包")
    return cases


def _xxe_cases() -> list[Case]:
    def secret_file(d: Path) -> Path:
        d.mkdir(parents=True, exist_ok=True)
        s = d / "shadow"
        s.write_bytes(SECRET)
        return s

    return [
        Case("plan-external-entity-docx", "crafted",
             lambda d: ["plan", "import", str(xxe_docx(d / "工作方案.docx", secret_file(d)))], 2, "实体",
             bounded=True, not_in_archive=SECRET),
        Case("framework-external-entity-xlsx", "crafted",
             lambda d: ["framework", "import", str(xxe_xlsx(d / "指标体系.xlsx", secret_file(d)))], 2, "实体",
             bounded=True, not_in_archive=SECRET),
        Case("ingest-external-entity-docx", "crafted",
             lambda d: ["ingest", str(xxe_docx(d / "通知.docx", secret_file(d / "outside")))], 0, "已存档",
             bounded=True, not_in_archive=SECRET),
    ]


def _ingest_cases() -> list[Case]:
    """Ingest stores what it is given (the evidence is the file, readable or not); bombs and
    damaged files are stored, their reading refused inside its limits."""
    cases: list[Case] = []

    def add(cid: str, klass: str, name: str, maker: Callable[[Path], Path], exit_: int, phrase: str,
            **kw) -> None:
        cases.append(Case(cid, klass, lambda d, n=name, m=maker: ["ingest", str(_one(d, n, m))], exit_, phrase,
                          **kw))

    add("ingest-noise-docx", "corrupt", "通知.docx", noise, 0, "已存档")
    add("ingest-noise-xlsx", "corrupt", "统计表.xlsx", lambda p: noise(p, seed=2), 0, "已存档")
    add("ingest-noise-pdf", "corrupt", "报告.pdf", lambda p: noise(p, seed=3), 0, "已存档")
    add("ingest-ole-garbage-doc", "corrupt", "旧版通知.doc", ole_garbage_doc, 0, "已存档")
    add("ingest-noise-png", "corrupt", "现场照片.png", lambda p: noise(p, seed=4), 0, "已存档")
    add("ingest-pdf-as-docx", "renamed", "方案.docx", text_pdf, 0, "已存档")
    add("ingest-png-as-pdf", "renamed", "照片.pdf", png, 0, "已存档")
    add("ingest-truncated-docx", "truncated", "方案.docx", lambda p: cut(plan_docx(p)), 0, "已存档")
    add("ingest-truncated-pdf", "truncated", "报告.pdf", lambda p: cut(text_pdf(p)), 0, "已存档")
    add("ingest-truncated-jpeg", "truncated", "照片.jpg", lambda p: cut(jpeg(p)), 0, "已存档")
    add("ingest-truncated-zip", "truncated", "材料.zip",
        lambda p: cut((p.write_bytes(rf.bytes_io_zip({"a.txt": b"x" * 5000})), p)[1]), 0, "已存档")
    add("ingest-zero-length-pdf", "truncated", "空白.pdf", lambda p: (p.write_bytes(b""), p)[1], 0, "跳过 1 个")
    add("ingest-zip-bomb-docx", "crafted", "方案.docx", DOCX_BOMB, 0, "已存档",
        bounded=True)
    add("ingest-sharedstrings-bomb", "crafted", "统计表.xlsx",
        SST_BOMB, 0, "已存档", bounded=True)
    add("ingest-billion-laughs-docx", "crafted", "方案.docx", billion_laughs_docx, 0, "已存档", bounded=True)
    add("ingest-far-away-cell", "crafted", "统计表.xlsx", rf.far_cell_xlsx, 0, "已存档", bounded=True)
    add("ingest-whole-sheet-merge", "crafted", "统计表.xlsx", rf.whole_sheet_merge_xlsx, 0, "已存档",
        bounded=True)
    add("ingest-pdf-crafted-xref", "crafted", "报告.pdf", pdf_crafted_xref, 0, "已存档", bounded=True)
    add("ingest-pdf-huge-page-count", "crafted", "报告.pdf", pdf_huge_count, 0, "已存档", bounded=True)
    add("ingest-pdf-deep-nesting", "crafted", "报告.pdf", pdf_deep_nesting, 0, "已存档", bounded=True)
    add("ingest-zip-bomb-zip", "crafted", "材料.zip", ZIP_BOMB, 0, "已存档", bounded=True)
    return cases


def _name_cases() -> list[Case]:
    def bad_utf8(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        _bytes_file(share, b"\xb9\xe3\xb6\xab\xff\xfe\xbe\xd6.pdf", b"bad name content")
        return ["ingest", str(share)]

    def gbk(d: Path) -> list[str]:
        share = _folder(d, {})
        _bytes_file(share, "县财政局关于质量强县工作的通知〔2024〕3号.docx".encode("gbk"), b"gbk name content")
        return ["ingest", str(share)]

    def long_name(d: Path) -> list[str]:
        share = _folder(d, {})
        name = ("关于印发质量强县创建工作方案的通知" * 20)[:80] + ".pdf"   # 80 characters, 244 bytes
        (share / name).write_bytes(b"long name content")
        return ["ingest", str(share)]

    def dash(d: Path) -> list[str]:
        share = _folder(d, {"-rf --archive x.pdf": lambda p: (p.write_bytes(b"dash content"), p)[1]})
        return ["ingest", str(share)]

    def dash_arg(d: Path) -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        (d / "-x.pdf").write_bytes(b"dash argument")
        return ["ingest", "-x.pdf"]

    def newline(d: Path) -> list[str]:
        share = _folder(d, {"通知\n第二行.pdf": lambda p: (p.write_bytes(b"newline content"), p)[1]})
        return ["ingest", str(share)]

    def watch_bad_names(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        _bytes_file(share, b"\xff\xfe\xfd.docx", b"watched bad name")
        _bytes_file(share, "县工信局通知.docx".encode("gbk"), b"watched gbk name")
        return ["folders", "add", str(share), "--settle", "0", "&&", "watch", "--once"]

    return [
        Case("ingest-invalid-utf8-name", "names", bad_utf8, 0, "已存档 2 个"),
        Case("ingest-invalid-utf8-name-json", "names", lambda d: ["ingest", "--json", bad_utf8(d)[1]], 0,
             "\\\\xff\\\\xfe"),
        Case("ingest-gbk-name", "names", gbk, 0, "已存档 1 个"),
        Case("ingest-gbk-name-json", "names", lambda d: ["ingest", "--json", gbk(d)[1]], 0, "县财政局关于质量强县工作的通知"),
        Case("ingest-very-long-name", "names", long_name, 0, "已存档"),
        Case("ingest-leading-dash-name-in-folder", "names", dash, 0, "已存档"),
        Case("ingest-leading-dash-argument", "names", dash_arg, 2, "命令用法有误", extra={"cwd": True}),
        Case("ingest-leading-dash-after-double-dash", "names", lambda d: ["ingest", "--", dash_arg(d)[1]], 0,
             "已存档 1 个", extra={"cwd": True}),
        Case("ingest-newline-in-name", "names", newline, 0, "已存档"),
        Case("watch-once-invalid-and-gbk-names", "names", watch_bad_names, 0, "", archive="own"),
    ]


def _special_cases() -> list[Case]:
    def secret(d: Path) -> Path:
        (d / "outside").mkdir(parents=True, exist_ok=True)
        s = d / "outside" / "shadow"
        s.write_bytes(SECRET)
        return s

    def link_in_folder(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        os.symlink(secret(d), share / "看起来像材料.txt")
        return ["ingest", str(share)]

    def link_given(d: Path) -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        os.symlink(secret(d), d / "材料.pdf")
        return ["ingest", str(d / "材料.pdf")]

    def dir_link(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        secret(d)
        os.symlink(d / "outside", share / "子文件夹")
        return ["ingest", str(share)]

    def fifo_given(d: Path) -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        os.mkfifo(d / "管道.pdf")
        return ["ingest", str(d / "管道.pdf")]

    def fifo_in_folder(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        os.mkfifo(share / "管道.docx")
        return ["ingest", str(share)]

    def device(d: Path) -> list[str]:
        return ["ingest", "/dev/zero"]

    def socket_in_folder(d: Path) -> list[str]:
        import socket

        share = _folder(d, {})
        _with_good_file(share)
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(share / "s.sock"))
        s.close()
        return ["ingest", str(share)]

    def watch_links(d: Path) -> list[str]:
        share = _folder(d, {})
        _with_good_file(share)
        os.symlink(secret(d), share / "看起来像材料.txt")
        os.mkfifo(share / "管道.docx")
        return ["folders", "add", str(share), "--settle", "0", "&&", "watch", "--once", "&&",
                "inbox", "list", "--state", "failed"]

    def framework_link(d: Path) -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        os.symlink(table_xlsx(d / "真表.xlsx"), d / "指标体系.xlsx")
        return ["framework", "import", str(d / "指标体系.xlsx"), "--dry-run"]

    def framework_fifo(d: Path) -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        os.mkfifo(d / "指标体系.xlsx")
        return ["framework", "import", str(d / "指标体系.xlsx")]

    return [
        Case("ingest-link-in-folder", "special", link_in_folder, 1, "符号链接", not_in_archive=SECRET),
        # A link named on the command line itself is the clerk's own choice of file (as `cp`
        # follows it); a link met inside a folder is never followed.
        Case("ingest-link-given", "special", link_given, 0, "已存档 1 个", archive="own"),
        Case("ingest-folder-link-in-folder", "special", dir_link, 0, "已存档", not_in_archive=SECRET),
        Case("ingest-fifo-given", "special", fifo_given, 1, "命名管道"),
        Case("ingest-fifo-in-folder", "special", fifo_in_folder, 1, "命名管道"),
        Case("ingest-device-given", "special", device, 1, "设备"),
        Case("ingest-socket-in-folder", "special", socket_in_folder, 1, "套接字"),
        Case("watch-once-link-and-fifo", "special", watch_links, 0, "符号链接", archive="own",
             not_in_archive=SECRET),
        Case("framework-import-through-a-link", "special", framework_link, 0, "指标"),
        Case("framework-import-a-fifo", "special", framework_fifo, 2, "管道"),
    ]


def _empty_cases() -> list[Case]:
    def fixed(argv: list[str]) -> Callable[[Path], list[str]]:
        return lambda d: list(argv)

    return [
        Case("ingest-empty-path", "empty", fixed(["ingest", ""]), 2, "空"),
        Case("ingest-blank-path", "empty", fixed(["ingest", "   "]), 2, "空"),
        Case("framework-import-empty-path", "empty", fixed(["framework", "import", ""]), 2, "空"),
        Case("duties-import-empty-path", "empty", fixed(["duties", "import", ""]), 2, "空"),
        Case("plan-import-empty-path", "empty", fixed(["plan", "import", ""]), 2, "空"),
        Case("folders-add-empty-path", "empty", fixed(["folders", "add", ""]), 2, "空"),
        Case("restore-empty-path", "empty", fixed(["restore", ""]), 2, "空"),
    ]


def _archive_cases() -> list[Case]:
    """A damaged archive database is refused (pointing to the backups), never taken for a new
    one; a damaged backup is refused by restore, the archive left as it was."""

    def backup(d: Path, data: Callable[[Path], Path], name: str = "备份.zip") -> list[str]:
        d.mkdir(parents=True, exist_ok=True)
        return ["restore", str(data(d / name))]

    def real_backup_cut(p: Path) -> Path:
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("archive.sqlite3", b"SQLite format 3\0" + b"\0" * 9000)
            z.writestr("files/ab/cd", b"x" * 9000)
        return cut(p, 0.4)

    return [
        Case("status-zero-length-db", "archive", lambda d: ["status"], 2, "restore", archive="zero"),
        Case("ingest-zero-length-db", "archive",
             lambda d: ["ingest", str(_one(d, "通知.pdf", text_pdf))], 2, "restore", archive="zero"),
        Case("status-truncated-db", "archive", lambda d: ["status"], 2, "restore", archive="truncated"),
        Case("backup-not-sqlite-db", "archive", lambda d: ["backup", str(d / "b.zip")], 2, "restore",
             archive="noise"),
        Case("restore-zero-length-zip", "archive",
             lambda d: backup(d, lambda p: (p.write_bytes(b""), p)[1]), 2, "备份", archive="absent"),
        Case("restore-truncated-zip", "archive", lambda d: backup(d, real_backup_cut), 2, "备份", archive="absent"),
        Case("restore-not-sqlite", "archive",
             lambda d: backup(d, lambda p: noise(p, 30_000), "archive-2024.sqlite3"), 2, "备份", archive="absent"),
        Case("restore-zip-bomb", "archive", lambda d: backup(d, ZIP_BOMB), 2, "备份",
             bounded=True, archive="absent"),
    ]


def _disk_cases() -> list[Case]:
    def big(d: Path) -> list[str]:
        return ["ingest", str(_one(d, "扫描件.pdf", lambda p: (p.write_bytes(os.urandom(3 * 1024 * 1024)), p)[1]))]

    return [Case("ingest-disk-full", "disk", big, 2, "已满", archive="tmpfs")]


def _watch_cases() -> list[Case]:
    """A watched folder given hostile files: `watch --once` takes the rest, the hostile ones
    are shown in the inbox with their reason (exit 0: nothing is wrong with the command)."""
    listing = ["&&", "inbox", "list", "--state", "all"]

    def watched(files: dict[str, Callable[[Path], Path]]) -> Callable[[Path], list[str]]:
        def make(d: Path) -> list[str]:
            share = _folder(d, files)
            _with_good_file(share)
            return ["folders", "add", str(share), "--settle", "0", "&&", "watch", "--once", *listing]
        return make

    return [
        Case("watch-once-zip-bomb", "crafted", watched({"县工信局材料.zip": ZIP_BOMB}), 0, "压缩",
             archive="own", bounded=True),
        Case("watch-once-zip-escape-and-nested", "crafted", watched({"县财政局材料.zip": nested_zip}), 0,
             "通知", archive="own"),
        Case("watch-once-zip-many-members", "crafted", watched({"县住建局材料.zip": many_members_zip}), 0,
             "文件过多", archive="own"),
        Case("watch-once-rar", "renamed", watched({"材料.rar": lambda p: noise(p, 5000)}), 0, "压缩包格式",
             archive="own"),
        Case("watch-once-corrupt-and-bombs", "corrupt", watched({
            "通知.docx": noise, "统计表.xlsx": SST_BOMB,
            "方案.docx": DOCX_BOMB, "报告.pdf": pdf_huge_count,
            "照片.jpg": lambda p: cut(jpeg(p)),
        }), 0, "待确认", archive="own", bounded=True),
    ]


def all_cases() -> list[Case]:
    return (_importer_cases() + _xxe_cases() + _ingest_cases() + _name_cases() + _special_cases()
            + _empty_cases() + _archive_cases() + _disk_cases() + _watch_cases())


CASES = all_cases()


def main(argv: list[str]) -> int:
    """Write every case's files under OUTDIR/<case id>/ and OUTDIR/manifest.json."""
    out = Path(argv[0] if argv else "hostile-corpus")
    manifest = []
    for c in CASES:
        args = c.make(out / c.id)
        manifest.append({"id": c.id, "class": c.klass, "argv": args, "exit": c.exit, "phrase": c.phrase,
                         "bounded": c.bounded, "archive": c.archive})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(CASES)} cases in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
