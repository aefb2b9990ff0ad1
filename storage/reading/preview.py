"""A stored file as the item view previews it: an image, or the first part of its text."""
from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy import select

from storage.core.archive import Archive
from storage.models import (
    Blob,
    BlobText,
    EvidenceFile,
)
from storage.readmodels import (
    FilePreview,
)

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


TEXT_EXT = {".txt", ".csv", ".md", ".json", ".xml", ".html", ".htm"}


MAX_PREVIEW_TEXT = 20_000


MAX_PREVIEW_IMAGE = 16 * 1024 * 1024


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    lines = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    lines = []
    try:
        for ws in wb.worksheets:
            lines.append(f"【{ws.title}】")
            for row in ws.iter_rows(values_only=True):
                if any(v is not None for v in row):
                    lines.append(" | ".join("" if v is None else str(v) for v in row))
                if len(lines) > 2000:
                    break
    finally:
        wb.close()
    return "\n".join(lines)


def file_preview(archive: Archive, evidence_id: int) -> FilePreview:
    """The current first file of an item, made ready to show: image bytes, or its text
    (extracted text when ingest stored it, else read from .docx/.xlsx/.txt here)."""
    with archive.sessions.read() as s:
        row = s.execute(
            select(EvidenceFile.original_name, Blob.sha256, Blob.size, Blob.id)
            .join(Blob, Blob.id == EvidenceFile.blob_id)
            .where(EvidenceFile.evidence_id == evidence_id, EvidenceFile.is_current.is_(True))
            .order_by(EvidenceFile.id).limit(1)
        ).first()
        stored_text = None
        if row is not None:
            stored_text = s.scalar(select(BlobText.text).where(BlobText.blob_id == row[3]))
    if row is None:
        return FilePreview(evidence_id, "none", "", "", note="这份材料没有文件")
    name, sha, size, _ = row
    path = archive.files.path_for(sha)
    ext = Path(name).suffix.lower()
    if not path.is_file():
        return FilePreview(evidence_id, "none", name, str(path), note="存储区中找不到该文件，请运行校验")
    if ext in IMAGE_EXT:
        if size > MAX_PREVIEW_IMAGE:
            return FilePreview(evidence_id, "none", name, str(path), note="图片过大，请用系统程序打开")
        return FilePreview(evidence_id, "image", name, str(path), data=path.read_bytes())
    text, note = stored_text or "", ""
    if not text:
        try:
            if ext == ".docx":
                text = _docx_text(path)
            elif ext in (".xlsx", ".xlsm"):
                text = _xlsx_text(path)
            elif ext in TEXT_EXT:
                with open(path, "rb") as f:
                    raw = f.read(MAX_PREVIEW_TEXT * 4)
                for enc in ("utf-8", "gb18030"):
                    try:
                        text = raw.decode(enc)
                        break
                    except UnicodeDecodeError:
                        continue
            else:
                note = f"无法预览 {ext or '该类型'} 文件，请用系统程序打开"
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
            note = f"无法读取文件内容：{e}"
    if len(text) > MAX_PREVIEW_TEXT:
        text = text[:MAX_PREVIEW_TEXT] + "\n……（内容过长，仅显示开头）"
    return FilePreview(evidence_id, "text" if text else "none", name, str(path), text=text, note=note)
