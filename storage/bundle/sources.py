"""The provincial bundle's query: the framework's indicators in framework order, each with
its evidence in review order and every current file's hash, size and original name.

Plain read models only (`BundleSource`); `exporters.bundle` lays them out. What goes in:
evidence that is not trashed and whose status is one of `statuses` (default: received and
accepted; returned and superseded items are not the county's evidence any more). Preflight
tells the clerk what is still only received.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.bundle.assessments import self_score_sheet
from storage.catalogue.county import county_facts
from storage.catalogue.queries import current_framework_id, indicator_tree
from storage.models import (
    Blob,
    Department,
    Duty,
    Evidence,
    EvidenceFile,
    EvidenceIndicator,
    Framework,
    Indicator,
)
from storage.readmodels import (
    BundleFile,
    BundleIndicator,
    BundleSource,
    CountyInfo,
    DocumentsSource,
    EvidenceMeta,
)

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


def evidence_meta(session: Session, ids: list[int]) -> dict[int, EvidenceMeta]:
    """Catalogue facts of the given evidence items (document number, date, issuing body …)."""
    out: dict[int, EvidenceMeta] = {}
    for n in range(0, len(ids), 900):
        chunk = ids[n:n + 900]
        for e, dept in session.execute(
            select(Evidence, Department.name)
            .outerjoin(Department, Department.id == Evidence.department_id)
            .where(Evidence.id.in_(chunk))
        ):
            out[e.id] = EvidenceMeta(
                evidence_id=e.id, title=e.title or "", doc_number=e.doc_number or "",
                issue_date=e.issue_date, issuing_body=e.issuing_body or "",
                department=dept or "", status=e.status,
                period_start=e.period_start, period_end=e.period_end,
            )
    return out


def documents_source(session: Session, source: BundleSource, today: dt.date | None = None) -> DocumentsSource:
    """What the generated documents need besides the plan: county facts, self-scores, the
    catalogue facts of every evidence item in `source`, duty counts."""

    today = today or dt.date.today()
    fid = source.framework_id
    fw = session.get(Framework, fid) if fid is not None else None
    c = county_facts(session)
    ids = sorted({f.evidence_id for ind in source.indicators for f in ind.files})
    meta = evidence_meta(session, ids)
    duties_total = overdue = 0
    if fid is not None:
        duties_total = session.scalar(select(func.count()).select_from(Duty).where(Duty.framework_id == fid)) or 0
        overdue = session.scalar(select(func.count()).select_from(Duty).where(
            Duty.framework_id == fid, Duty.deadline < today)) or 0
    return DocumentsSource(
        framework_name=fw.name if fw else source.framework_name,
        is_sample=bool(fw.is_sample) if fw else False,
        data_cutoff=fw.data_cutoff if fw else None,
        period_start=fw.period_start if fw else None,
        period_end=fw.period_end if fw else None,
        county=CountyInfo(
            name=c.name, population=c.population, area=c.area,
            gdp=tuple((g.year, g.value) for g in c.gdp),
            leaders=tuple((x.role, x.name) for x in c.leaders),
            contact_name=c.contact_name, contact_phone=c.contact_phone,
            contact_unit=c.contact_unit, extra=tuple(c.extra),
        ),
        scores=self_score_sheet(session, fid),
        evidence=tuple(meta[i] for i in ids if i in meta),
        duties_overdue=int(overdue), duties_total=int(duties_total),
    )


__all__ = ["DEFAULT_STATUSES", "bundle_source", "documents_source", "evidence_meta"]
