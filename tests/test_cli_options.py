"""The options every command shares (--archive, --json) work before or after the subcommand,
at any depth: an inner parser's default never overwrites what the clerk typed earlier."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import build_parser, main


@pytest.mark.parametrize("argv", [
    ["--archive", "A", "rectify", "list"],
    ["rectify", "--archive", "A", "list"],
    ["rectify", "list", "--archive", "A"],
    ["--archive", "A", "score", "list"],
])
def test_archive_option_survives_nested_subcommands(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.archive == "A"


def test_defaults_still_there_when_not_given() -> None:
    args = build_parser().parse_args(["rectify", "list"])
    assert args.archive is None and args.json is False


def test_json_before_a_group_reaches_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "a"
    assert main(["init", "--archive", str(root)]) == 0
    capsys.readouterr()
    assert main(["rectify", "--json", "--archive", str(root), "list"]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == []
