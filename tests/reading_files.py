"""Files the reading tests make for themselves: Office files with nested tables, content
controls and text boxes; encrypted Office and PDF files; bombs and crafted sheets.

Nothing here is checked in as a binary: every file is generated when a test runs. The
sentences are ours; the layouts follow real 红头文件 forms (a 文号 in the header, a table of
responsibilities with a nested table in a cell) as python-docx's and Apache POI's test
documents lay them out (python-openxml/python-docx tests/test_files, apache/poi
test-data/document: nested tables, content controls, text boxes).
"""
from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

CT = "[Content_Types].xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

DOCX_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_CT_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOTX_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def _content_types(main_part: str, main_ct: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_ct}"/>{extra}</Types>'
    )


def _rels(target: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{target}"/></Relationships>'
    )


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def word_body(body: str, *, header: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )


def make_word(path: Path, body_xml: str, *, main_ct: str = DOCX_CT_MAIN, header: str = "",
              extra_members: dict[str, bytes] | None = None) -> Path:
    """A minimal Word package whose main part has content type `main_ct`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CT, _content_types("word/document.xml", main_ct))
        z.writestr("_rels/.rels", _rels("word/document.xml"))
        z.writestr("word/document.xml", word_body(body_xml))
        if header:
            z.writestr("word/header1.xml", f'<?xml version="1.0"?><w:hdr xmlns:w="{W_NS}">{_p(header)}</w:hdr>')
        for name, data in (extra_members or {}).items():
            z.writestr(name, data)
    return path


def red_header_form(path: Path, *, main_ct: str = DOCX_CT_MAIN) -> Path:
    """A 红头文件-like form: 文号 in the header, a title, a table with a nested table in a cell,
    a content control, and a text box (DrawingML choice + VML fallback, as Word writes it)."""
    nested = ("<w:tbl><w:tr><w:tc>" + _p("牵头单位：县市场监管局") + "</w:tc><w:tc>"
              + _p("配合单位：县财政局") + "</w:tc></w:tr></w:tbl>")
    table = ("<w:tbl><w:tr><w:tc>" + _p("工作任务") + "</w:tc><w:tc>" + _p("责任分工") + "</w:tc></w:tr>"
             "<w:tr><w:tc>" + _p("（三）完善质量基础设施") + "</w:tc><w:tc>" + nested + "<w:p/></w:tc></w:tr></w:tbl>")
    sdt = "<w:sdt><w:sdtPr/><w:sdtContent>" + _p("填报日期：2024年3月15日") + "</w:sdtContent></w:sdt>"
    box_inner = "<w:txbxContent>" + _p("联系人：王某某") + "</w:txbxContent>"
    textbox = (
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx>" + box_inner + "</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
        "<v:textbox>" + box_inner + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
        "</w:r><w:r><w:t>正文旁的文本框</w:t></w:r></w:p>"
    )
    body = _p("关于印发某县质量强县工作方案的通知") + table + sdt + textbox
    return make_word(path, body, main_ct=main_ct, header="某市监发〔2024〕12号")


def make_xlsx(path: Path, sheet_xml: str, *, shared: list[str] | None = None, dimension: str = "A1",
              merges: str = "", sheet_head: str = "") -> Path:
    """A minimal .xlsx with one sheet whose cells are `sheet_xml` (rows of <c> elements)."""
    sst = ""
    if shared is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in shared)
        sst = f'<?xml version="1.0"?><sst xmlns="{S_NS}" count="{len(shared)}">{items}</sst>'
    wb = (f'<?xml version="1.0"?><workbook xmlns="{S_NS}" xmlns:r="http://schemas.openxmlformats.org/'
          'officeDocument/2006/relationships"><sheets><sheet name="责任分工" sheetId="1" r:id="rId1"/>'
          "</sheets></workbook>")
    wb_rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    head = sheet_head or '<?xml version="1.0"?>'
    sheet = (f'{head}<worksheet xmlns="{S_NS}"><dimension ref="{dimension}"/>'
             f"<sheetData>{sheet_xml}</sheetData>{merges}</worksheet>")
    extra = ('<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>')
    if sst:
        extra += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.sharedStrings+xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CT, _content_types(
            "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", extra))
        z.writestr("_rels/.rels", _rels("xl/workbook.xml"))
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if sst:
            z.writestr("xl/sharedStrings.xml", sst)
    return path


def lying_dimension_xlsx(path: Path) -> Path:
    """62 values under a <dimension> that says A1 (WPS and some generators write that)."""
    rows = []
    for r in range(1, 32):
        rows.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>任务{r}</t></is></c>'
                    f'<c r="B{r}"><v>{r * 10}</v></c></row>')
    return make_xlsx(path, "".join(rows), dimension="A1")


def far_cell_xlsx(path: Path, *, with_value: bool = True) -> Path:
    cell = '<c r="XFD1048576"><v>1</v></c>' if with_value else '<c r="XFD1048576"/>'
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>'
            f'<row r="1048576">{cell}</row>')
    return make_xlsx(path, rows)


def whole_sheet_merge_xlsx(path: Path) -> Path:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>'
    return make_xlsx(path, rows, merges='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')


def billion_laughs_xlsx(path: Path) -> Path:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    head = f'<?xml version="1.0"?><!DOCTYPE lolz [{ents}]>'
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return make_xlsx(path, rows, sheet_head=head)


def zip_bomb_docx(path: Path, *, megabytes: int = 300) -> Path:
    """A .docx whose document.xml inflates to `megabytes` MB of blanks (a few hundred KB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(CT, _content_types("word/document.xml", DOCX_CT_MAIN))
        z.writestr("_rels/.rels", _rels("word/document.xml"))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def shared_strings_bomb_xlsx(path: Path, *, megabytes: int = 120) -> Path:
    """An .xlsx whose sharedStrings.xml inflates to `megabytes` MB (ratio far past any real file)."""
    make_xlsx(path, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=["x"])
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><sst xmlns="{S_NS}"><si><t>'.encode())
            for _ in range(megabytes):
                f.write(b"A" * (1024 * 1024))
            f.write(b"</t></si></sst>")
    tmp.replace(path)
    return path


def big_text_docx(path: Path, *, paragraphs: int = 120_000) -> Path:
    """A legitimate-looking .docx with a large document.xml of varied text (passes the ratio
    guard), for the worker memory-limit test."""
    import random

    rnd = random.Random(7)
    alphabet = "质量强县市场监管标准计量认证检验检测品牌建设工作方案通知要求责任单位完成时限"
    words = ["".join(rnd.choice(alphabet) for _ in range(30)) for _ in range(997)]
    parts = [f"<w:p><w:r><w:t>{i}{words[i % 997]}</w:t></w:r></w:p>" for i in range(paragraphs)]
    return make_word(path, "".join(parts))


# --- encrypted files ------------------------------------------------------------------------


def encrypt_ooxml(plain: Path, out: Path, password: str = "123456") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as f, open(out, "wb") as g:
        OOXMLFile(f).encrypt(password, g)
    return out


def text_pdf(path: Path, text: str = "Quality county evidence 2024") -> Path:
    """A one-page PDF with real text (Helvetica), written by pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = w._add_object(stream)
    w.add_blank_page(595, 842)   # page 2: no text (an image-only page)
    with open(path, "wb") as f:
        w.write(f)
    return path


def encrypt_pdf(plain: Path, out: Path, *, user: str, owner: str = "owner-secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(plain))
    w.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    with open(out, "wb") as f:
        w.write(f)
    return out


# --- LibreOffice-made files ------------------------------------------------------------------


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice for a test (own profile); the converted file."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is needed"
    profile = Path(tempfile.mkdtemp(prefix="lo-test-profile-"))
    try:
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                        "--outdir", str(outdir), str(src)], capture_output=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.is_file(), f"LibreOffice made no {fmt}"
    return out


def patch_ole_stream(path: Path, stream: str, patch: object) -> Path:
    """Rewrite one stream of an OLE2 file in place (same size), e.g. to set the FIB's
    fEncrypted flag or insert a FILEPASS record type into an .xls."""
    import olefile

    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream(stream).read())
        patch(data)  # type: ignore[operator]
        ole.write_stream(stream, bytes(data))
    return path


def set_doc_encrypted(data: bytearray) -> None:
    flags = struct.unpack_from("<H", data, 10)[0]
    struct.pack_into("<H", data, 10, flags | 0x0100)


def set_doc_word6(data: bytearray) -> None:
    struct.pack_into("<H", data, 2, 0x0065)


def set_xls_filepass(data: bytearray) -> None:
    """Turn the first record after BOF into a FILEPASS record (type 0x002F), size kept."""
    _t, size = struct.unpack_from("<HH", data, 0)
    struct.pack_into("<H", data, 4 + size, 0x002F)


def old_excel_bytes() -> bytes:
    """The start of an Excel 4.0 worksheet (BIFF4 BOF record), as Excel 4 wrote it."""
    return struct.pack("<HHHHH", 0x0409, 6, 0, 0x0010, 0) + b"\x00" * 64


def bytes_io_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()
