"""Developer tool: write a new Alembic revision from the difference between schema.py and a store.

    python -m natbacc.store.revision "add a column"

It compares ``natbacc.store.schema`` with a scratch SQLite store upgraded to the current head and
writes the migration into ``natbacc/store/migrations/versions``; review it before committing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from natbacc.store.database import create_engine, migrate


def main(message: str) -> None:
    """Autogenerate a revision named ``message``."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        migrate(engine)
        config = Config()
        config.set_main_option("script_location", "natbacc.store:migrations")
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
