"""Build issue 14's corpus documents (.docx / .xlsx) from corpus.py, and read them back
through the real importers: shared by tests/test_tables_corpus14.py and
benchmarks/import_accuracy.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.oxml import parse_xml

from storage.kernel.errors import ArchiveError
from storage.tables.duties_import import import_duties
from storage.tables.framework_import import read_framework
from storage.tables.plan_import import import_plan
from storage.tables.textparse import parse_numbering

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_AUTO_LEVELS = {"cn": (0, "chineseCounting", "%1、"), "cn_paren": (1, "chineseCounting", "（%2）"),
                "dec": (2, "decimal", "%3.")}


def _add_numbering(d: Any) -> None:
    """One list definition: 一、 / （一） / 1. with 1. running on across （一） blocks."""
    part = d.part.numbering_part
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
        f'<w:lvlText w:val="{t}"/>' + ('<w:lvlRestart w:val="0"/>' if i == 2 else "") + "</w:lvl>"
        for i, f, t in sorted(_AUTO_LEVELS.values())
    )
    part.element.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="77">{body}</w:abstractNum>'))
    part.element.append(parse_xml(f'<w:num {W} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))


def build_plan(doc: dict[str, Any], path: Path) -> Path:
    """A .docx of the plan; with format docx_auto, numbering comes from Word's automatic
    numbering (w:numPr) instead of typed text."""
    d = docx.Document()
    auto = doc.get("format") == "docx_auto"
    if auto:
        _add_numbering(d)
    for text in doc["paras"]:
        num = parse_numbering(text) if auto else None
        key = None if num is None else ("dec" if num.kind == "dec_space" else num.kind)
        if num is not None and key in _AUTO_LEVELS:
            p = d.add_paragraph(num.rest.strip())
            ppr = p._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{_AUTO_LEVELS[key][0]}"/>'
                                 f'<w:numId w:val="77"/></w:numPr>'))
        else:
            d.add_paragraph(text)
    d.core_properties.created = dt.datetime(2024, 1, 1)
    d.save(str(path))
    return path


def build_table(doc: dict[str, Any], path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in doc["rows"]:
        ws.append(row)
    for rng in doc.get("merges", []):
        ws.merge_cells(rng)
    for sheet_name, rows, merges in doc.get("more_sheets", []):
        extra = wb.create_sheet(sheet_name)
        for row in rows:
            extra.append(row)
        for rng in merges:
            extra.merge_cells(rng)
    wb.save(path)
    return path


def build(doc: dict[str, Any], folder: Path) -> Path:
    suffix = ".docx" if doc["kind"] == "plan" else ".xlsx"
    path = folder / f"{doc['id']}{suffix}"
    return build_plan(doc, path) if doc["kind"] == "plan" else build_table(doc, path)


@dataclass
class Outcome:
    """How one document read: tasks with the right lead and cooperating units, stated codes
    kept, whether it was refused, and what differed (for the report)."""

    doc_id: str
    split: str
    kind: str
    tasks: int = 0
    tasks_right: int = 0
    codes: int = 0
    codes_kept: int = 0
    refused: str = ""
    misses: list[str] = field(default_factory=list)


def check(doc: dict[str, Any], path: Path, archive: Any) -> Outcome:
    """Read `path` through the real importer (dry run) and compare with the expected reading."""
    out = Outcome(doc["id"], doc["split"], doc["kind"])
    # what the document states counts even when the importer refuses it
    out.tasks = len(doc.get("tasks", doc.get("duties", [])))
    out.codes = len(doc["tasks"]) if doc["kind"] == "plan" else len(doc.get("codes", []))
    try:
        if doc["kind"] == "plan":
            items = import_plan(archive, path, dry_run=True).items
            _compare_units(out, doc["tasks"], items, with_code=True)
        elif doc["kind"] == "duties":
            items = import_duties(archive, path, dry_run=True).items
            _compare_units(out, doc["duties"], items, with_code=False)
        else:
            _, rep = read_framework(path)
            got = {i["code"] for i in rep.items}
            out.codes = len(doc["codes"])
            out.codes_kept = sum(1 for c in doc["codes"] if c in got)
            out.misses += [f"code {c} not kept (got {sorted(got)})" for c in doc["codes"] if c not in got]
            titles = {i["code"]: i["title"] for i in rep.items}
            for code, words in doc.get("named", {}).items():
                if words not in titles.get(code, ""):
                    out.misses.append(f"code {code} is {titles.get(code)!r}, expected the item naming {words!r}")
            texts = [m.zh for m in rep.problems]
            for want in doc.get("problems", []):
                if not any(want in t for t in texts):
                    out.misses.append(f"no score problem naming {want!r}: {texts}")
            for want in doc.get("bonus", []):
                if not any(want in b for b in rep.summary.get("bonus_items", [])):
                    out.misses.append(f"bonus item {want!r} not kept apart: {rep.summary.get('bonus_items')}")
            if "computed_total" in doc and rep.summary.get("computed_total") != doc["computed_total"]:
                out.misses.append(f"computed total {rep.summary.get('computed_total')} != {doc['computed_total']}")
            if doc.get("total") is not None and rep.summary.get("stated_total") != doc["total"]:
                out.misses.append(f"stated total {rep.summary.get('stated_total')} != {doc['total']}")
    except ArchiveError as e:
        out.refused = e.zh
    return out


def _compare_units(out: Outcome, expected: list[dict[str, Any]], items: list[dict[str, Any]],
                   *, with_code: bool) -> None:
    out.tasks = len(expected)
    if len(items) != len(expected):
        out.misses.append(f"{len(items)} tasks read, {len(expected)} expected")
    for k, want in enumerate(expected):
        got = items[k] if k < len(items) else None
        if with_code:
            if got is not None and got["code"] == want["code"]:
                out.codes_kept += 1
            else:
                out.misses.append(f"task {k + 1}: code {got and got['code']!r} != {want['code']!r}")
        if got is None:
            continue
        ok = list(got["lead"]) == want["lead"] and list(got["cooperating"]) == want["coop"]
        for name in want.get("persons", []):
            if not any(p["name"] == name for p in got.get("persons", [])):
                ok = False
                out.misses.append(f"task {k + 1}: person {name} not kept")
        if want.get("deadline") and str(got.get("deadline")) != want["deadline"]:
            ok = False
            out.misses.append(f"task {k + 1}: deadline {got.get('deadline')} != {want['deadline']}")
        if want.get("task_has") and want["task_has"] not in got["task"]:
            ok = False
            out.misses.append(f"task {k + 1}: text lacks {want['task_has']!r}")
        if ok:
            out.tasks_right += 1
        else:
            out.misses.append(f"task {k + 1}: lead {got['lead']} coop {got['cooperating']} "
                              f"!= {want['lead']} {want['coop']}")
