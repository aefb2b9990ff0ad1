"""Alembic environment for the archive. Run through `storage.migrate`, which passes the
connection in `config.attributes["connection"]`; never run against a URL from a file."""
from __future__ import annotations

from alembic import context

from storage.models import Base

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    # Full-text tables (FTS5 virtual tables and their shadow tables) are managed by hand.
    if type_ == "table" and name and (name.startswith("fts_") or name.startswith("search_")):
        return False
    return True


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - offline SQL generation is not used
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
