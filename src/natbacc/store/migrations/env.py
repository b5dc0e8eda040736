"""Alembic environment: migrations run on the connection ``natbacc.store.database`` hands over.

natbacc upgrades its store itself when it opens it, so there is no alembic.ini to keep in step.
Developers create a new revision with ``python -m natbacc.store.revision "message"``.
"""

from alembic import context

from natbacc.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
