"""Alembic environment: migrate the connection handed over by the workspace store.

The store opens the connection (with its lock: a PostgreSQL advisory lock, or a file lock
for SQLite) and passes it as ``config.attributes["connection"]``; there is no
``alembic.ini`` and no URL here, so the same migrations run on both databases.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=None, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
