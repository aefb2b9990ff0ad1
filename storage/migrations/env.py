"""Alembic environment for the archive. Run through `storage.migrate`, which passes the
connection in `config.attributes["connection"]`; never run against a URL from a file."""
from __future__ import annotations

from alembic import context

from storage.core.migrate import include_object
from storage.models import Base

target_metadata = Base.metadata


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
