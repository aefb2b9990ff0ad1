"""The demo archive's evidence says something of its own, so its inbox shows the ranker fairly.

Each demo file used to carry one shared filler sentence. The inbox's memory of filed files then
found every new file "similar" to whichever demo file happened to score highest, and the user
guide's inbox picture put a leading group's 会议纪要 on 2.1.1 出台支持政策文件 for that reason
alone. The demo's files now have invented bodies of their own (resources/demo/demo.json).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop.actions.demo import _write_docx, create_demo_archive, load_spec
from storage.watch.suggest import FileFacts, SuggestContext, suggest


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory: pytest.TempPathFactory):
    archive = create_demo_archive(Path(tmp_path_factory.mktemp("demo")) / "demo")
    with archive.sessions.read() as s:
        ctx = SuggestContext.load(s)
    yield ctx
    archive.close()


def test_every_demo_file_has_a_body_of_its_own():
    spec = load_spec()
    bodies = ["\n".join(e.get("body", ())) or repr(e.get("rows", ())) for e in spec["evidence"]]
    assert all(len(b) > 20 for b in bodies)
    assert len(set(bodies)) == len(bodies)


def test_the_demo_docx_carries_its_paragraphs(tmp_path):
    import docx

    path = tmp_path / "纪要.docx"
    _write_docx(path, "第二季度领导小组会议纪要", "示例", ["会议听取了成员单位的进展汇报。"])
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "会议听取了成员单位的进展汇报。" in texts
    assert not any("这是为演示生成的佐证材料正文" in t for t in texts)


def test_a_leading_group_meeting_record_is_placed_under_organisation_not_on_a_policy(demo_context):
    """The guide's picture: a leading group's yearly meeting record goes to 1.1 (组织领导: the
    group, its meetings), not to 2.1.1 through a demo file's shared sentence. (A guard: with the
    body in the file itself this read right before too; the picture's file had the filler.)"""
    text = ("2025年质量工作领导小组会议纪要\n【示例文件】本文件为截图演示生成，内容虚构。\n"
            "县质量强县工作领导小组召开全体成员会议，总结上年度工作，审议本年度工作要点。\n"
            "会议明确各成员单位任务分工，要求每季度召开一次工作会议，通报创建进度。")
    res = suggest(FileFacts(relpath="2025年质量工作领导小组会议纪要.docx", text=text), demo_context,
                  folder_department=None)
    codes = [t["code"] for t in res["top"]]
    assert codes[0].startswith("1.1."), codes
    assert "1.1.2" in codes[:2], codes
