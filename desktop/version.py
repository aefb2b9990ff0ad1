"""The program's version: the one place it is written.

pyproject.toml reads it (`[tool.setuptools.dynamic] version = {attr = "desktop.version.VERSION"}`),
build.spec puts it into the Windows version resource, `evidence-desk --version` prints it and
the about box shows it. Keep this module free of imports: build.spec and setuptools read it.
"""

VERSION = "0.2.0"
