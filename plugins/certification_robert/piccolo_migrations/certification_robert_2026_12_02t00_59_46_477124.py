from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T00:59:46:477124"
VERSION = "1.38.0"
DESCRIPTION = "compte Mon espace du candidat"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="certification_robert", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Candidate",
        tablename="certification_robert_candidate",
        column_name="account",
        db_column_name="account",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
