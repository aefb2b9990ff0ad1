"""Metadata for files the clerk drops on the window or adds with 添加文件… (issue 17, item
12): once the background reading (storage.reading.backlog, the path watched files take) has
read a stored file, its 文号, 成文日期, 发文机关 and title fill the item's empty fields, as
accepting a watched file does. A field the clerk has typed is never overwritten; the title
is replaced only while it is still the file name.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import select

from storage.core.archive import Archive
from storage.models import BlobText, Evidence, EvidenceFile
from storage.reading.docmeta import read_docmeta


@dataclass
class MetaFill:
    """filled: items that got a field; waiting: items whose file has no read text yet."""

    filled: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)


def fill_from_text(archive: Archive, evidence_ids: Iterable[int]) -> MetaFill:
    """Fill the empty metadata of `evidence_ids` from their files' read text (one
    transaction); items whose file is not read yet are returned as waiting."""
    out = MetaFill()
    with archive.sessions.write() as s:
        for eid in dict.fromkeys(evidence_ids):
            ev = s.get(Evidence, eid)
            if ev is None:
                continue
            row = s.execute(
                select(EvidenceFile.original_name, BlobText)
                .outerjoin(BlobText, BlobText.blob_id == EvidenceFile.blob_id)
                .where(EvidenceFile.evidence_id == eid).order_by(EvidenceFile.id).limit(1)
            ).first()
            if row is None:
                continue
            name, bt = row
            if bt is None:
                out.waiting.append(eid)
                continue
            meta = read_docmeta(bt.text or "") if bt.text else None
            # the title line of a page that reads as an official document (a 红头 with its
            # 文号, issuer or date), else what the reader took as the title
            official = meta is not None and bool(meta.doc_number or meta.issuer or meta.issue_date)
            title = (meta.title if meta is not None and official else "") or bt.title
            doc_number = bt.doc_number or (meta.doc_number if meta else "")
            issue_date = bt.issue_date or (meta.issue_date if meta else None)
            issuer = meta.issuer if meta else ""
            changed = False
            stem = PurePath(name or "").stem.strip()
            if title and ev.title in ("", stem, name) and title != ev.title:
                ev.title = title[:500]
                changed = True
            if doc_number and not ev.doc_number:
                ev.doc_number = doc_number[:100]
                changed = True
            if issue_date is not None and ev.issue_date is None:
                ev.issue_date = issue_date
                changed = True
            if issuer and not ev.issuing_body:
                ev.issuing_body = issuer[:200]
                changed = True
            if changed:
                out.filled.append(eid)
        s.flush()
    return out
