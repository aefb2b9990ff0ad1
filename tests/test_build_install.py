"""scripts/install-linux.sh into a temporary HOME (a Chinese user name with a space): the
program folder, the command on PATH, a menu entry that desktop-file-validate accepts, the
icon, an upgrade in place, a desktop launcher, the self-test after installing, and an
uninstall that leaves the clerk's settings alone.

The folder installed here is the application run from source through two small launchers
(the installer copies whatever folder it is given); tests/test_build.py installs the real
PyInstaller build when EVIDENCE_DESK_BUILD_TEST=1.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.version import VERSION

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install-linux.sh"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")


def source_folder(tmp_path: Path) -> Path:
    """A program folder shaped like dist/EvidenceDesk whose launchers run the source."""
    folder = tmp_path / "U盘" / "EvidenceDesk"
    (folder / "_internal" / "resources" / "icons").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "evidence-desk.png",
                folder / "_internal" / "resources" / "icons" / "evidence-desk.png")
    for name in ("EvidenceDesk", "evidence-desk"):
        launcher = folder / name
        launcher.write_text(
            "#!/bin/sh\n"
            f"PYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} -m desktop \"$@\"\n",
            encoding="utf-8")
        launcher.chmod(0o755)
    return folder


def run_installer(home: Path, *args: str, script: Path = SCRIPT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen",
               EVIDENCE_DESK_CONFIG_DIR=str(home / ".config" / "EvidenceDesk"))
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, env=env,
                          timeout=600)


def installed(home: Path) -> dict[str, Path]:
    local = home / ".local"
    return {
        "folder": local / "opt" / "EvidenceDesk",
        "bin": local / "bin" / "evidence-desk",
        "desktop": local / "share" / "applications" / "evidence-desk.desktop",
        "icon": local / "share" / "icons" / "hicolor" / "256x256" / "apps" / "evidence-desk.png",
    }


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_install_upgrade_and_uninstall_into_a_fresh_home(tmp_path):
    home = tmp_path / "home" / "张三 的主目录"
    home.mkdir(parents=True)
    src = source_folder(tmp_path)

    r = run_installer(home, "--source", str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"已安装 {VERSION}" in r.stdout and "自检通过 (self-test passed)" in r.stdout
    paths = installed(home)
    for key in ("folder", "desktop", "icon"):
        assert paths[key].exists(), key
    assert paths["bin"].is_symlink() and paths["bin"].resolve() == (paths["folder"] / "evidence-desk").resolve()
    assert paths["icon"].read_bytes() == (ROOT / "resources/icons/evidence-desk.png").read_bytes()

    entry = desktop_entry(paths["desktop"])
    assert entry["Type"] == "Application" and entry["Name[zh_CN]"] == "质量强县佐证材料档案库"
    assert entry["Icon"] == "evidence-desk" and entry["Terminal"] == "false"
    assert shlex.split(entry["Exec"]) == [str(paths["folder"] / "EvidenceDesk")]
    validator = shutil.which("desktop-file-validate")
    if validator:
        v = subprocess.run([validator, str(paths["desktop"])], capture_output=True, text=True)
        assert v.returncode == 0 and not v.stdout.strip(), v.stdout + v.stderr

    # the command line works from its link
    v = subprocess.run([str(paths["bin"]), "--version"], capture_output=True, text=True, timeout=60)
    assert v.stdout.strip() == f"evidence-desk {VERSION}"

    # the clerk's settings exist beside the program …
    settings = home / ".config" / "EvidenceDesk"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "settings.json").write_text("{}", encoding="utf-8")

    # … an upgrade replaces the folder in place and leaves nothing half-copied
    (src / "_internal" / "新版本说明.txt").write_text("0.2.1", encoding="utf-8")
    r = run_installer(home, "--source", str(src), "--desktop", "--no-self-test")
    assert r.returncode == 0, r.stderr
    assert (paths["folder"] / "_internal" / "新版本说明.txt").is_file()
    assert sorted(p.name for p in paths["folder"].parent.iterdir()) == ["EvidenceDesk"]
    launcher = home / "Desktop" / "evidence-desk.desktop"
    assert launcher.is_file() and os.access(launcher, os.X_OK)

    # uninstall with the script left in the program folder
    r = run_installer(home, script=paths["folder"] / "uninstall.sh")
    assert r.returncode == 0, r.stderr
    assert "已卸载" in r.stdout
    for key, p in paths.items():
        assert not p.exists() and not p.is_symlink(), key
    assert not launcher.exists()
    assert (settings / "settings.json").is_file(), "settings are the clerk's: kept"


def test_uninstall_option_and_a_missing_source(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    r = run_installer(home, "--source", str(tmp_path / "没有这个文件夹"))
    assert r.returncode == 2
    assert r.stderr.startswith("错误：") and "(error:" in r.stderr
    assert not installed(home)["folder"].exists()

    assert run_installer(home, "--source", str(source_folder(tmp_path)), "--no-self-test").returncode == 0
    r = run_installer(home, "--uninstall")
    assert r.returncode == 0 and not installed(home)["folder"].exists()


def test_bad_option_is_refused(tmp_path):
    r = run_installer(tmp_path, "--frobnicate")
    assert r.returncode == 2 and "unknown option" in r.stderr
