"""Work-plan import (工作方案 .docx): the numbered task hierarchy becomes draft duties, one per
inline assignment such as "（县市场监管局、县工信局等部门按职责分工负责）",
"（市质监局牵头，市经信局等单位及各镇街配合落实）", "（…负责）", or lines
"牵头单位：…；责任单位：…" under a task.

Numbering may be typed (一、 （一） 1.) or come from Word's automatic numbering, which
`paragraph.text` leaves out (pitfalls.md): the body is walked in order and `w:numPr`
(on the paragraph or its style) is rendered from numbering.xml, so both read the same.
.doc and .wps are converted by LibreOffice when installed.
"""
from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from storage.catalogue.frameworks import DutySpec, sync_duties
from storage.kernel import fsio
from storage.kernel.errors import BadInput
from storage.kernel.gcpause import without_collection
from storage.models import Department, DepartmentAlias
from storage.tables import plan_tasks
from storage.tables.assign import KnownFn, registry_matcher
from storage.tables.duties_import import current_framework, default_year
from storage.tables.grid import convert_or_refuse
from storage.tables.report import ImportReport, Message, finish
from storage.tables.textparse import CIRCLED, int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Para:
    text: str
    level_hint: int | None = None  # Word outline/list level when numbering was automatic


# --- reading the document in order -----------------------------------------------------------


class _Numbering:
    """Renders Word's automatic numbering for paragraphs (the subset plans use), from the
    package's numbering part and styles part (parsed roots, either may be missing)."""

    def __init__(self, numbering: Any = None, styles: Any = None) -> None:
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.num_to_abs: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.no_restart: set[tuple[str, int]] = set()
        self.styles: dict[str, tuple[str, int]] = {}
        if numbering is None:
            return
        root = numbering
        for an in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in an.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl"))
                fmt = lvl.find(f"{W}numFmt")
                txt = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                restart = lvl.find(f"{W}lvlRestart")
                if restart is not None and restart.get(f"{W}val") == "0":
                    self.no_restart.add((an.get(f"{W}abstractNumId"), ilvl))
                levels[ilvl] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    txt.get(f"{W}val") if txt is not None else f"%{ilvl + 1}.",
                    int(start.get(f"{W}val")) if start is not None else 1,
                )
            self.abstract[an.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.num_to_abs[num.get(f"{W}numId")] = ref.get(f"{W}val")
        if styles is None:
            return
        for st in styles.findall(f"{W}style"):
            ppr = st.find(f"{W}pPr")
            npr = ppr.find(f"{W}numPr") if ppr is not None else None
            if npr is not None:
                nid = npr.find(f"{W}numId")
                ilvl = npr.find(f"{W}ilvl")
                if nid is not None:
                    self.styles[st.get(f"{W}styleId")] = (
                        nid.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0)

    def label(self, p) -> tuple[str, int] | None:
        if not self.num_to_abs:   # no list in the document: nothing to render
            return None
        ppr = p.find(f"{W}pPr")
        num_id = ilvl = None
        if ppr is not None:
            npr = ppr.find(f"{W}numPr")
            if npr is not None:
                nid = npr.find(f"{W}numId")
                lv = npr.find(f"{W}ilvl")
                num_id = nid.get(f"{W}val") if nid is not None else None
                ilvl = int(lv.get(f"{W}val")) if lv is not None else 0
            if num_id is None:
                ps = ppr.find(f"{W}pStyle")
                if ps is not None and ps.get(f"{W}val") in self.styles:
                    num_id, ilvl = self.styles[ps.get(f"{W}val")]
        if num_id is None or num_id == "0":
            return None
        abs_id = self.num_to_abs.get(num_id)
        levels = self.abstract.get(abs_id or "", {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(abs_id or "", {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl and (abs_id, k) not in self.no_restart]:
            del counters[deeper]
        out = text
        for k in range(ilvl + 1):
            f, _, s = levels.get(k, ("decimal", "", 1))
            out = out.replace(f"%{k + 1}", _render(f, counters.get(k, s)))
        if fmt == "bullet" or not out.strip():
            return None
        return out, ilvl


def _render(fmt: str, n: int) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographTraditional", "taiwaneseCounting"):
        return int_to_cn(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "lowerLetter":
        return chr(96 + n)
    if fmt == "upperLetter":
        return chr(64 + n)
    return str(n)


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


@cache
def _parser() -> Any:
    """python-docx's own parser settings (docx.oxml.parser), without its element classes: the
    body is walked as plain lxml elements, several times faster than through python-docx's
    proxies, with the same tree. lxml loads on the first read (not when the window starts)."""
    from lxml import etree

    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _xml(z: zipfile.ZipFile, name: str) -> Any:
    """The parsed root of the package part `name` (KeyError when the zip lacks it)."""
    from lxml import etree

    return etree.fromstring(z.read(name), _parser())


def _targets(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """The internal relationships of package part `part` ("" for the package itself):
    relationship type (its last segment, e.g. "officeDocument") -> the part's name in the zip."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = _xml(z, rels)
    except KeyError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iter(_REL):
        kind, target = rel.get("Type") or "", rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not kind.startswith(_RT) or not target:
            continue
        ref = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        out.setdefault(kind[len(_RT):], posixpath.normpath(ref))
    return out


def read_paragraphs(path: Path) -> list[Para]:
    """Paragraphs of the body in order (table cells included), with automatic numbering
    rendered in front of the text.

    The package is read as python-docx reads it (the main document found through the
    package's relationships, its numbering and styles through the document's), parsed with
    python-docx's parser settings but without its element classes."""
    try:
        with zipfile.ZipFile(path) as z:
            main = _targets(z, "").get("officeDocument")
            if main is None:
                raise KeyError("officeDocument")
            doc = _xml(z, main)
            rels = _targets(z, main)
            numbering = styles = None
            if "numbering" in rels:
                numbering = _xml(z, rels["numbering"])
                if "styles" in rels:
                    styles = _xml(z, rels["styles"])
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise BadInput(f"无法打开 Word 文档 {path.name}（文件已损坏，或不是 Word 文档）",
                       f"cannot open the Word document {path.name} (damaged, or not a Word file)") from e
    numbering_ = _Numbering(numbering, styles)
    out: list[Para] = []
    body = doc.find(f"{W}body")
    for child in body if body is not None else ():
        if child.tag == f"{W}tbl":
            out += _table_rows(child, numbering_)
        elif child.tag == f"{W}p":
            para = _paragraph(child, numbering_)
            if para is not None:
                out.append(para)
    return out


def _paragraph(p, numbering: _Numbering) -> Para | None:
    text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
    lab = numbering.label(p)
    if lab is not None:
        label, ilvl = lab
        return Para(f"{label}{text}", ilvl + 1) if text else None
    return Para(text) if text else None


def _table_rows(tbl, numbering: _Numbering) -> list[Para]:
    """A Word table (a plan's 任务分解表): one Para per row, its cells joined by
    plan_tasks.TABLE_SEP; a cell merged down from the row above (w:vMerge) repeats its text,
    a cell spanning columns (w:gridSpan) fills each of them."""
    out: list[Para] = []
    above: dict[int, str] = {}
    for tr in tbl.iter(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            merged = False
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                if gs is not None and (gs.get(f"{W}val") or "").isdigit():
                    span = int(gs.get(f"{W}val"))
                vm = tcpr.find(f"{W}vMerge")
                merged = vm is not None and vm.get(f"{W}val") != "restart"
            parts = [para.text for p in tc.findall(f"{W}p") if (para := _paragraph(p, numbering))]
            text = " ".join(" ".join(parts).split())
            col = len(cells)
            if merged and not text:
                text = above.get(col, "")
            for k in range(span):
                above[col + k] = text
                cells.append(text)
        if any(cells):
            out.append(Para(plan_tasks.TABLE_SEP.join(cells)))
    return out


def open_plan(path: Path) -> tuple[list[Para], Path | None]:
    """Paragraphs of a Word document: a .docx (or .docm/.dotx) read directly once its
    container is checked (storage.kernel.fsio.check_word_file), a .doc/.wps/.odt/.rtf
    converted by LibreOffice first. Anything else, a password, a damaged or too old file is
    refused with what it is and what to do (the converter's real reason included)."""
    if not path.is_file():
        raise BadInput(f"找不到文件：{path}", f"file not found: {path}")
    kind = fsio.check_word_file(path)
    if kind.kind == fsio.WORD:
        return read_paragraphs(path), None
    converted = convert_or_refuse(path, "docx")
    try:
        fsio.check_word_file(converted, name_hint=path.name)
        return read_paragraphs(converted), converted
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)


# --- tasks --------------------------------------------------------------------------------


def parse_plan(paras: list[Para], *, default_year: int | None = None,
               known: KnownFn | None = None) -> tuple[list[DutySpec], list[Message]]:
    """Draft duties from a plan's paragraphs, one per task (plan_tasks.py reads them)."""
    return plan_tasks.parse_plan([p.text for p in paras], default_year=default_year, known=known), []


def _registry_names(session) -> list[str]:
    """Every department name and alias the archive knows (units never seen still split right
    by what they are; the registry adds the ones without an organisational suffix)."""
    return list(session.scalars(select(Department.name))) + list(
        session.scalars(select(DepartmentAlias.alias)))


def task_title(task: str) -> str:
    """The first sentence of a task ("开展产品质量提升行动"), for short listings."""
    return re.split(r"[。；;]", task, maxsplit=1)[0]


@without_collection
def import_plan(archive, path: str | Path, *, year: int | None = None,
                framework_id: int | None = None, dry_run: bool = False) -> ImportReport:
    """Import (or re-import in place) a work plan's tasks as draft duties, one transaction."""

    path = Path(path)
    paras, _ = open_plan(path)
    session = archive.sessions.new_write_session()
    try:
        fw = current_framework(session, framework_id)
        yr = default_year(session, fw, " ".join(p.text for p in paras[:10]), year)
        known = registry_matcher(_registry_names(session))
        tasks = plan_tasks.parse_plan_tasks([p.text for p in paras], default_year=yr, known=known)
        specs = [t.spec for t in tasks]
        for t in tasks:
            if t.persons:
                t.spec.notes = "；".join(f"{label or '责任人'}：{name}" for label, name in t.persons)
        warnings: list[Message] = []
        if not specs:
            raise BadInput(
                f"{path.name} 中没有找到带责任单位的任务（如“（县市场监管局、县工信局等部门按职责分工负责）”"
                f"或“牵头单位：…”）；共读了 {len(paras)} 段",
                f"no tasks with assigned departments found in {path.name} (such as "
                f"'(…等部门按职责分工负责)' or '牵头单位：…'); {len(paras)} paragraphs read",
            )
        report = ImportReport(kind="plan", file=str(path), rows_read=len(paras))
        report.warnings += warnings
        diff = sync_duties(session, fw, specs, source="plan", write=not dry_run)
        report.framework_id = fw.id if fw else None
        report.framework_name = fw.name if fw else ""
        report.items = [
            {"paragraph": s.row, "code": s.code, "title": task_title(s.task), "task": s.task,
             "lead": s.lead, "cooperating": s.cooperating, "departments_text": s.departments_text,
             "deadline": s.deadline, "deadline_text": s.deadline_text,
             "number": t.number, "paragraphs": [t.first + 1, t.last + 1], "span": t.span,
             "written": "\n".join(p.text for p in paras[t.first : t.last + 1]),
             "persons": [{"role": label, "name": name} for label, name in t.persons]}
            for t, s in zip(tasks, specs, strict=True)
        ]
        report.summary = {"duties": len(specs), "paragraphs": len(paras)}
        report.added, report.changed, report.removed, report.kept = (
            diff.added, diff.changed, diff.removed, diff.kept)
        finish(session, report, dry_run)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return report
