"""Self-assessment checkpoints (自查, issue 16 item 4): a dated snapshot of the self-scores,
the evidence coverage and the preflight findings of one framework, taken at any time, and
the comparison of two of them (or of one and a sealed submission) in a clerk's words.

A checkpoint's payload is written once, as JSON, so a later change of the framework, the
evidence or the program never changes what a checkpoint says. Keys of `indicators` are the
indicators' stated codes ("#<id>" for an indicator without one), so two checkpoints of the
same framework (or of a sealed submission, whose manifest keys scores by code too) line up.

The preflight findings come from the caller (desktop.actions.checkpoints runs the preflight:
its rules live in exporters/, which storage never imports) as read models.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.bundle.assessments import self_score_sheet
from storage.bundle.submissions import sealed_manifest
from storage.catalogue.queries import current_framework_id, indicator_tree
from storage.core.audit import current_user, log_action
from storage.kernel.errors import BadInput
from storage.models import Checkpoint, Framework, Submission, utcnow
from storage.readmodels import PreflightItem
from storage.readmodels.review import CheckpointChange, CheckpointSummary, IndicatorRef

FORMAT = "evidence-desk-checkpoint"
VERSION = 1
GLOBAL_KEY = ""   # findings about the archive as a whole (county facts, the framework)

# The preflight's categories as a clerk reads them (exporters/preflight.py names them).
CATEGORY_WORDS: dict[str, str] = {
    "missing_evidence": "缺少佐证材料", "veto": "否决项", "overdue_duty": "任务逾期",
    "unreviewed": "材料未审核", "file_size": "文件过大", "file_format": "文件格式",
    "path_rename": "文件名需改", "evidence_date": "材料日期", "not_mergeable": "无法合并",
    "self_score": "自评分", "county": "县情信息", "framework": "指标体系",
}


def _key(code: str, indicator_id: int) -> str:
    return code or f"#{indicator_id}"


def _score(v: float | None) -> str:
    if v is None:
        return "未自评"
    return f"{v:g} 分"


def build_payload(session: Session, framework_id: int,
                  findings: Iterable[PreflightItem] | None) -> dict[str, Any]:
    """The snapshot of `framework_id` now: per indicator (tree order) its title, level,
    maximum and self score, the evidence linked (received / accepted, leaves' coverage),
    and the preflight findings (None: not run)."""
    sheet = self_score_sheet(session, framework_id)
    scored = {r.indicator_id: r for r in sheet.rows}
    indicators: dict[str, dict[str, Any]] = {}
    leaves = covered = accepted = 0
    for node in indicator_tree(session, framework_id):
        row = scored.get(node.id)
        indicators[_key(node.code, node.id)] = {
            "id": node.id, "code": node.code, "title": node.title, "level": node.level,
            "leaf": node.is_leaf, "max_score": node.max_score,
            "self_score": row.self_score if row is not None and row.assessed else None,
            "received": node.received, "accepted": node.accepted,
        }
        if node.is_leaf:
            leaves += 1
            covered += 1 if node.received else 0
            accepted += 1 if node.accepted else 0
    payload: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "framework": sheet.framework_name,
        "indicators": indicators,
        "totals": {"self_total": sheet.self_total if any(
            r.self_score is not None for r in sheet.leaves) else None,
                   "max_total": sheet.max_total, "leaves": leaves, "leaves_covered": covered,
                   "leaves_accepted": accepted},
        "preflight": None,
    }
    if findings is not None:
        payload["preflight"] = [
            {"severity": f.severity, "category": f.category, "what": f.what, "indicator": f.indicator,
             "evidence_id": f.evidence_id} for f in findings]
    return payload


def _summary(cp: Checkpoint, payload: Mapping[str, Any]) -> CheckpointSummary:
    totals = payload.get("totals", {})
    findings = payload.get("preflight") or []
    return CheckpointSummary(
        id=cp.id, taken_at=cp.taken_at, note=cp.note or "", framework_id=cp.framework_id,
        self_total=totals.get("self_total"), leaves=int(totals.get("leaves", 0)),
        leaves_covered=int(totals.get("leaves_covered", 0)),
        leaves_accepted=int(totals.get("leaves_accepted", 0)),
        preflight_errors=sum(1 for f in findings if f["severity"] == "block"),
        preflight_warnings=sum(1 for f in findings if f["severity"] == "warn"),
    )


def take_checkpoint(session: Session, *, note: str = "", framework_id: int | None = None,
                    findings: Sequence[PreflightItem] | None = None,
                    taken_at: dt.datetime | None = None, user: str | None = None) -> CheckpointSummary:
    """Record a checkpoint of `framework_id` (default: the current one) in the caller's
    write transaction."""
    fid = framework_id if framework_id is not None else current_framework_id(session)
    if fid is None or session.get(Framework, fid) is None:
        raise BadInput("档案库中还没有指标体系，无法自查（请先导入指标体系）",
                       "no framework in the archive yet: import one before taking a checkpoint")
    payload = build_payload(session, fid, findings)
    cp = Checkpoint(taken_at=taken_at or utcnow(), user=user or current_user(), note=note.strip(),
                    framework_id=fid, framework_name=payload["framework"][:200],
                    payload=json.dumps(payload, ensure_ascii=False, sort_keys=True))
    session.add(cp)
    session.flush()
    log_action(session, "checkpoint", "checkpoint", str(cp.id),
               {"note": cp.note, "framework_id": fid, **payload["totals"]})
    return _summary(cp, payload)


def list_checkpoints(session: Session, framework_id: int | None = None) -> list[CheckpointSummary]:
    """Every checkpoint (of one framework when given), oldest first."""
    q = select(Checkpoint).order_by(Checkpoint.taken_at, Checkpoint.id)
    if framework_id is not None:
        q = q.where(Checkpoint.framework_id == framework_id)
    return [_summary(cp, json.loads(cp.payload or "{}")) for cp in session.scalars(q)]


def _checkpoint(session: Session, ref: str) -> tuple[str, dict[str, Any]]:
    try:
        cid = int(ref)
    except ValueError:
        raise BadInput(f"自查编号应为数字，或 submission:编号：{ref}",
                       f"a checkpoint id, or submission:N: {ref}") from None
    cp = session.get(Checkpoint, cid)
    if cp is None:
        raise BadInput(f"没有编号为 {cid} 的自查记录（用 checkpoint list 查看）",
                       f"no checkpoint {cid} (see checkpoint list)")
    return f"自查 #{cp.id}（{cp.taken_at:%Y-%m-%d %H:%M}）", json.loads(cp.payload)


def submission_payload(session: Session, submission_id: int | str) -> tuple[str, dict[str, Any]]:
    """A sealed submission seen as a checkpoint: its self-scores and the evidence it handed
    in per indicator (from its manifest), titles from its framework; no preflight."""
    summary, manifest = sealed_manifest(session, submission_id)
    sub = session.get(Submission, summary.id)
    fid = sub.framework_id if sub is not None else None
    scores: Mapping[str, Mapping[str, Any]] = manifest.get("scores", {})
    status = {eid: m.get("status") for eid, m in manifest.get("evidence", {}).items()}
    handed: dict[str, set[str]] = {}
    for f in manifest.get("files", []):
        if f.get("evidence_id") is not None:
            handed.setdefault(str(f["indicator"]), set()).add(str(f["evidence_id"]))
    indicators: dict[str, dict[str, Any]] = {}
    tree = indicator_tree(session, fid) if fid is not None else []
    for node in tree:
        key = _key(node.code, node.id)
        ids = handed.get(node.code or node.title, set())
        score = scores.get(key, {}).get("self_score")
        indicators[key] = {
            "id": node.id, "code": node.code, "title": node.title, "level": node.level,
            "leaf": node.is_leaf, "max_score": node.max_score,
            "self_score": float(score) if isinstance(score, int | float) else None,
            "received": len(ids), "accepted": sum(1 for e in ids if status.get(e) == "accepted"),
        }
    label = f"第 {summary.id} 次提交（{summary.sealed_at:%Y-%m-%d %H:%M} 封存）"
    return label, {"framework": summary.framework_name, "indicators": indicators, "preflight": None}


def resolve(session: Session, ref: str) -> tuple[str, dict[str, Any]]:
    """A checkpoint id, or `submission:N` / `sealed:N` for sealed submission N → (label, payload)."""
    ref = ref.strip()
    for prefix in ("submission:", "sealed:", "提交:"):
        if ref.lower().startswith(prefix):
            return submission_payload(session, ref[len(prefix):].strip())
    return _checkpoint(session, ref)


def _evidence_words(received: int, accepted: int) -> str:
    if not received:
        return "无佐证材料"
    return f"{received} 份（已审核 {accepted} 份）"


def _findings_by_indicator(findings: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = {}
    for f in findings:
        out.setdefault(str(f.get("indicator") or GLOBAL_KEY), []).append(f)
    return out


def _findings_words(items: Sequence[Mapping[str, Any]]) -> str:
    if not items:
        return "无问题"
    parts = []
    for severity, label in (("block", "阻止提交"), ("warn", "提醒")):
        cats: dict[str, int] = {}
        for f in items:
            if f["severity"] == severity:
                word = CATEGORY_WORDS.get(str(f["category"]), str(f["category"]))
                cats[word] = cats.get(word, 0) + 1
        if cats:
            n = sum(cats.values())
            parts.append(f"{label} {n} 项（" + "、".join(
                w if c == 1 else f"{w}×{c}" for w, c in cats.items()) + "）")
    return "；".join(parts)


def _findings_rank(items: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    return (sum(1 for f in items if f["severity"] == "block"),
            sum(1 for f in items if f["severity"] == "warn"))


def _better(before: tuple[float, ...], after: tuple[float, ...], lower_is_better: bool = False) -> bool | None:
    if before == after:
        return None
    return (after < before) if lower_is_better else (after > before)


def diff_payloads(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[CheckpointChange]:
    """What differs per indicator between two snapshots, in the after snapshot's tree order
    (indicators only in the before one last): self score, evidence, preflight findings."""
    a_inds: Mapping[str, Mapping[str, Any]] = before.get("indicators", {})
    b_inds: Mapping[str, Mapping[str, Any]] = after.get("indicators", {})
    order = list(b_inds) + [k for k in a_inds if k not in b_inds]
    compare_findings = before.get("preflight") is not None and after.get("preflight") is not None
    fa = _findings_by_indicator(before.get("preflight") or [])
    fb = _findings_by_indicator(after.get("preflight") or [])
    out: list[CheckpointChange] = []
    for key in order:
        a, b = a_inds.get(key), b_inds.get(key)
        ref_src = b if b is not None else a
        assert ref_src is not None
        ref = IndicatorRef(int(ref_src.get("id", 0)), str(ref_src.get("code", "")), str(ref_src.get("title", "")))
        if a is None or b is None:
            out.append(CheckpointChange(ref, "指标", "无此指标" if a is None else ref.title,
                                        ref.title if a is None else "无此指标", None))
            continue
        if str(a.get("title", "")) != str(b.get("title", "")):
            out.append(CheckpointChange(ref, "指标名称", str(a.get("title", "")), str(b.get("title", "")), None))
        sa, sb = a.get("self_score"), b.get("self_score")
        if sa != sb:
            improved = None if sa is None or sb is None else _better((float(sa),), (float(sb),))
            if sa is None and sb is not None:
                improved = True
            out.append(CheckpointChange(ref, "自评分", _score(sa), _score(sb), improved))
        ea = (int(a.get("accepted", 0)), int(a.get("received", 0)))
        eb = (int(b.get("accepted", 0)), int(b.get("received", 0)))
        if ea != eb:
            out.append(CheckpointChange(ref, "佐证材料", _evidence_words(ea[1], ea[0]),
                                        _evidence_words(eb[1], eb[0]), _better(ea, eb)))
        if compare_findings:
            ia, ib = fa.get(key, []), fb.get(key, [])
            wa, wb = _findings_words(ia), _findings_words(ib)
            if wa != wb:
                out.append(CheckpointChange(ref, "预检", wa, wb,
                                            _better(_findings_rank(ia), _findings_rank(ib), lower_is_better=True)))
    if compare_findings:
        ga, gb = fa.get(GLOBAL_KEY, []), fb.get(GLOBAL_KEY, [])
        wa, wb = _findings_words(ga), _findings_words(gb)
        if wa != wb:
            out.append(CheckpointChange(IndicatorRef(0, "", "全档案"), "预检", wa, wb,
                                        _better(_findings_rank(ga), _findings_rank(gb), lower_is_better=True)))
    return out


def still_missing(payload: Mapping[str, Any]) -> list[IndicatorRef]:
    """Leaves that still have no evidence in a snapshot (what is still missing)."""
    return [IndicatorRef(int(v.get("id", 0)), str(v.get("code", "")), str(v.get("title", "")))
            for v in payload.get("indicators", {}).values() if v.get("leaf") and not v.get("received")]


def diff_checkpoints(session: Session, a: str, b: str) -> tuple[str, str, list[CheckpointChange],
                                                                list[IndicatorRef]]:
    """Compare `a` (earlier) with `b` (later): each a checkpoint id or `submission:N`.
    Returns both labels, the changes, and the leaves still without evidence in `b`."""
    la, pa = resolve(session, a)
    lb, pb = resolve(session, b)
    return la, lb, diff_payloads(pa, pb), still_missing(pb)


__all__ = ["CATEGORY_WORDS", "build_payload", "diff_checkpoints", "diff_payloads", "list_checkpoints",
           "resolve", "still_missing", "submission_payload", "take_checkpoint"]
