"""The program's version: the one place it is written.

pyproject.toml reads it (`[tool.setuptools.dynamic] version = {attr = "desktop.version.VERSION"}`),
build.spec puts it into the Windows version resource, `evidence-desk --version` prints it and
the about box shows it. Keep this module free of imports: build.spec and setuptools read it.
"""

VERSION = "0.2.0"


def explain_error(error) -> tuple[str, str]:  # noqa: ANN001 - storage.errors.ArchiveError
    """(Chinese, English) text of an error for the clerk. An archive or backup from a newer
    program (SchemaTooNew) also names this program's version and the newest schema it reads,
    so the clerk knows what to ask IT for ("此档案库由更新版本…（结构版本 0003）" alone does not
    say which version is installed here)."""
    from storage.kernel.errors import SchemaTooNew

    zh, en = error.zh, error.en
    if isinstance(error, SchemaTooNew):
        from storage.core.migrate import head_revision

        head = head_revision()
        zh += f"（本机安装的是 Evidence Desk {VERSION}，能打开的结构版本最高为 {head}）"
        en += f" (this is Evidence Desk {VERSION}, which opens schema versions up to {head})"
    return zh, en
