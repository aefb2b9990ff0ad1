"""A stored file as the item view previews it: an image, or the first part of its text."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage.core.archive import Archive
from storage.models import (
    Blob,
    BlobText,
    EvidenceFile,
)
from storage.reading.pool import shared_pool
from storage.readmodels import (
    FilePreview,
)

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


TEXT_EXT = {".txt", ".csv", ".md", ".json", ".xml", ".html", ".htm"}


MAX_PREVIEW_TEXT = 20_000


MAX_PREVIEW_IMAGE = 16 * 1024 * 1024


def file_preview(archive: Archive, evidence_id: int) -> FilePreview:
    """The current first file of an item, made ready to show: image bytes, or its text (the
    text already read for it, else read now by the guarded reader in a worker process: any
    format, told by content, never by the stored file's missing extension)."""
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
        result = shared_pool().read(path, name_hint=name)
        text = result.text
        if result.password:
            note = "文件有密码保护，无法预览内容，请用系统程序打开"
        elif result.refusal:
            note = result.refusal
        elif not text:
            note = f"无法预览 {ext or '该类型'} 文件的内容，请用系统程序打开"
    if len(text) > MAX_PREVIEW_TEXT:
        text = text[:MAX_PREVIEW_TEXT] + "\n……（内容过长，仅显示开头）"
    return FilePreview(evidence_id, "text" if text else "none", name, str(path), text=text, note=note)
