"""Alembic environment: always run with a connection handed over by models.db."""

from alembic import context

from models.tables import SQLModel

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
