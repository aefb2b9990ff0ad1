"""The evidence catalogue (佐证材料目录) as plain rows: indicator → numbered files with
document number, date, issuing body and the path inside the bundle.

One source of truth for every document that lists evidence: the Word catalogue, the
self-evaluation report's evidence lists, the evidence list workbook, and the printed binders
(`catalogue(source, plan, meta)` then walk the groups). Numbers are the bundle's own
("01", "02-1"), taken from the plan, so paper and bundle always agree.

Pure: read models and the plan in, frozen rows out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from exporters import winpaths
from exporters.bundle import DOCS_FOLDER, BundlePlan
from storage.readmodels import BundleSource, EvidenceMeta


@dataclass(frozen=True)
class CatalogueRow:
    """One file of the bundle as the catalogue lists it."""

    number: str              # "01", "02-1": as numbered in the bundle folder
    name: str                # the document's title (file part added for multi-file items)
    doc_number: str
    issue_date: dt.date | None
    issuing_body: str
    bundle_path: str         # "1.1.1 组织领导/01 沂政发〔2023〕13号 ….pdf"
    evidence_id: int | None
    original_name: str
    size: int
    sha256: str
    status: str = ""
    department: str = ""


@dataclass(frozen=True)
class CatalogueGroup:
    """One indicator folder of the bundle with its files in review order."""

    indicator_id: int
    code: str
    title: str
    folder: str
    is_key: bool
    is_veto: bool
    rows: tuple[CatalogueRow, ...]


def catalogue(source: BundleSource, plan: BundlePlan,
              meta: Mapping[int, EvidenceMeta] | None = None) -> tuple[CatalogueGroup, ...]:
    """Groups in framework order (the bundle's folders), generated documents left out.

    `plan` is `plan_bundle(source)` (with or without `add_documents`); `meta` gives each
    evidence item's 文号 / 成文日期 / 发文单位 (missing ones print blank)."""
    meta = meta or {}
    folders = [f for f in plan.folders if f != DOCS_FOLDER]
    by_folder: dict[str, list] = {f: [] for f in folders}
    for f in plan.files:
        folder = f.path.split("/", 1)[0]
        if folder in by_folder:
            by_folder[folder].append(f)
    groups = []
    for ind, folder in zip(source.indicators, folders):
        rows = []
        for f in by_folder[folder]:
            m = meta.get(f.evidence_id) if f.evidence_id is not None else None
            number = f.number
            title = (m.title if m and m.title else winpaths.split_ext(f.original_name)[0])
            if "-" in number:  # one of several files of an item: name the file too
                title = f"{title}（{winpaths.split_ext(f.original_name)[0]}）" \
                    if winpaths.split_ext(f.original_name)[0] != title else f"{title}（{number}）"
            rows.append(CatalogueRow(
                number=number, name=title,
                doc_number=m.doc_number if m else "",
                issue_date=m.issue_date if m else None,
                issuing_body=m.issuing_body if m else "",
                bundle_path=f.path, evidence_id=f.evidence_id, original_name=f.original_name,
                size=f.size, sha256=f.sha256,
                status=m.status if m else "", department=m.department if m else "",
            ))
        groups.append(CatalogueGroup(ind.indicator_id, ind.code, ind.title, folder, ind.is_key,
                                     ind.is_veto, tuple(rows)))
    return tuple(groups)


def date_text(d: dt.date | None) -> str:
    """2023-08-15 → "2023年8月15日" (blank for none)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


__all__ = ["CatalogueGroup", "CatalogueRow", "catalogue", "date_text"]
