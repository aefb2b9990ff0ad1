"""`export --pdf`: the bundle plus the binders for print beside it, from one command."""
from __future__ import annotations

import json

import docx
from conftest import run_cli
from pypdf import PdfReader


def _outline_titles(outline) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def test_export_pdf_writes_bundle_and_binders_beside_it(demo_archive, tmp_path):
    out = tmp_path / "申报材料包"
    r = run_cli("export", str(out), "--pdf", "--date", "2026-11-20", "--json",
                "--archive", str(demo_archive.root))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    binders = doc["binders"]
    assert binders["outdir"].endswith("申报材料包 装订册")
    assert (out / "manifest.json").is_file()
    check = run_cli("bundle", "verify", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    # The Word binder opens and names the framework; the PDF has a bookmark per level-1 indicator.
    word = docx.Document(binders["docx"][0])
    text = "\n".join(p.text for p in word.paragraphs)
    assert "示例指标体系" in text
    assert len(binders["pdf"]) == 1, binders
    reader = PdfReader(binders["pdf"][0])
    assert len(reader.pages) == binders["pages"][0] >= 5
    titles = _outline_titles(reader.outline)
    for level1 in ("质量发展理念", "质量发展保障", "质量发展基础", "质量发展成效"):
        assert any(level1 in t for t in titles), titles


def test_export_pdf_without_converter_gives_word_and_says_so(demo_archive, tmp_path):
    out = tmp_path / "bundle.zip"
    r = run_cli("export", str(out), "--zip", "--pdf", "--date", "2026-11-20",
                "--archive", str(demo_archive.root), env={"EVIDENCE_DESK_CONVERTER": "none"})
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "bundle 装订册"
    assert out.is_file() and folder.is_dir()
    assert [p.suffix for p in folder.iterdir()] == [".docx"], list(folder.iterdir())
    assert "PDF" in r.stdout and "装订册：" in r.stdout
