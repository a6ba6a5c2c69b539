"""Alembic environment: always run from hotdash_roleplay.store.migrate with a live connection.

No fileConfig() here on purpose: it would reset the app's logging."""

from __future__ import annotations

from alembic import context

from hotdash_roleplay.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by running the alembic CLI by hand
    raise RuntimeError("Run migrations through hotdash_roleplay.store.migrate.upgrade().")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
