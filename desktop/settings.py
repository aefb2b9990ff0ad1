"""Per-user settings of the program (not of an archive): declared once, with defaults.

Kept as a small JSON file in the user's config folder (`EVIDENCE_DESK_CONFIG_DIR`
overrides it, for tests and portable installs). Archive-wide settings (upload deadline,
county facts) live in the archive itself so they travel with it.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

MAX_RECENT = 8


def config_dir() -> Path:
    env = os.environ.get("EVIDENCE_DESK_CONFIG_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("EvidenceDesk", appauthor=False, roaming=True))


def log_dir() -> Path:
    return config_dir() / "logs"


@dataclass
class UserSettings:
    recent_archives: list[str] = field(default_factory=list)
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""
    # archives whose guided start the clerk closed (it is not shown on opening them again)
    guide_hidden: list[str] = field(default_factory=list)
    last_import_dir: str = ""  # where the import dialog's file picker starts

    @property
    def last_archive(self) -> str | None:
        return self.recent_archives[0] if self.recent_archives else None

    def hide_guide(self, path: str | Path, hidden: bool = True) -> None:
        p = str(Path(path).absolute())
        self.guide_hidden = [a for a in self.guide_hidden if a != p] + ([p] if hidden else [])
        del self.guide_hidden[:-50]  # keep the list short

    def guide_is_hidden(self, path: str | Path) -> bool:
        return str(Path(path).absolute()) in self.guide_hidden

    def remember_archive(self, path: str | Path) -> None:
        p = str(Path(path).absolute())
        self.recent_archives = [p] + [a for a in self.recent_archives if a != p]
        del self.recent_archives[MAX_RECENT:]


def load() -> UserSettings:
    path = config_dir() / "settings.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserSettings()
    known = {k: v for k, v in data.items() if k in UserSettings.__dataclass_fields__}
    try:
        return UserSettings(**known)
    except TypeError:
        return UserSettings()


def save(settings: UserSettings) -> None:
    """Write atomically: a crash never leaves half a settings file."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(settings), f, ensure_ascii=False, indent=1)
    os.replace(tmp, folder / "settings.json")
