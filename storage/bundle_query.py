"""The provincial bundle's query: the framework's indicators in framework order, each with
its evidence in review order and every current file's hash, size and original name.

Plain read models only (`BundleSource`); `exporters.bundle` lays them out. What goes in:
evidence that is not trashed and whose status is one of `statuses` (default: received and
accepted; returned and superseded items are not the county's evidence any more). Preflight
tells the clerk what is still only received.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Blob, Evidence, EvidenceFile, EvidenceIndicator, Framework, Indicator
from .queries import current_framework_id, indicator_tree
from .readmodels import BundleFile, BundleIndicator, BundleSource

DEFAULT_STATUSES: tuple[str, ...] = ("received", "accepted")


def bundle_source(
    session: Session,
    framework_id: int | None = None,
    *,
    statuses: tuple[str, ...] = DEFAULT_STATUSES,
) -> BundleSource:
    """Read what the bundle of `framework_id` (default: the current framework) holds.

    Folders: every leaf indicator, plus any inner indicator that has evidence linked to it
    directly (so nothing linked is left out silently). Files: the current files of each
    item, items in review order (`EvidenceIndicator.position`, then id), files by id.
    """
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None:
        return BundleSource(framework_id=None, framework_name="", indicators=())
    fw = session.get(Framework, fid)
    tree = indicator_tree(session, fid)

    rows = session.execute(
        select(
            EvidenceIndicator.indicator_id,
            Evidence.id,
            Evidence.title,
            Evidence.doc_number,
            Evidence.status,
            EvidenceFile.original_name,
            Blob.sha256,
            Blob.size,
        )
        .join(Evidence, Evidence.id == EvidenceIndicator.evidence_id)
        .join(Indicator, Indicator.id == EvidenceIndicator.indicator_id)
        .join(EvidenceFile, EvidenceFile.evidence_id == Evidence.id)
        .join(Blob, Blob.id == EvidenceFile.blob_id)
        .where(
            Indicator.framework_id == fid,
            Evidence.trashed_at.is_(None),
            Evidence.status.in_(statuses),
            EvidenceFile.is_current.is_(True),
        )
        .order_by(
            EvidenceIndicator.indicator_id,
            EvidenceIndicator.position,
            Evidence.id,
            EvidenceFile.id,
        )
    ).all()

    # indicator -> [(evidence id, title, doc number, status, [(name, sha, size)...])]
    per_indicator: dict[int, list[tuple]] = defaultdict(list)
    for ind_id, eid, title, doc_number, status, name, sha, size in rows:
        items = per_indicator[ind_id]
        if not items or items[-1][0] != eid:
            items.append((eid, title or "", doc_number or "", status, []))
        items[-1][4].append((name or "", sha, int(size)))

    out: list[BundleIndicator] = []
    for node in tree:
        items = per_indicator.get(node.id, [])
        if not node.is_leaf and not items:
            continue
        files: list[BundleFile] = []
        for pos, (eid, title, doc_number, status, fl) in enumerate(items, start=1):
            for idx, (name, sha, size) in enumerate(fl, start=1):
                files.append(
                    BundleFile(
                        evidence_id=eid,
                        review_position=pos,
                        file_index=idx,
                        file_count=len(fl),
                        title=title,
                        doc_number=doc_number,
                        status=status,
                        original_name=name,
                        sha256=sha,
                        size=size,
                    )
                )
        out.append(
            BundleIndicator(
                indicator_id=node.id,
                code=node.code,
                title=node.title,
                is_leaf=node.is_leaf,
                is_key=node.is_key,
                is_veto=node.is_veto,
                files=tuple(files),
            )
        )
    return BundleSource(
        framework_id=fid, framework_name=fw.name if fw else "", indicators=tuple(out)
    )


__all__ = ["DEFAULT_STATUSES", "bundle_source"]
