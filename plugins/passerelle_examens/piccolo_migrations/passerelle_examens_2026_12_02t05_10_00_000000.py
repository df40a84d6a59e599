from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T05:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "printel lot start time"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="passerelle_examens", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="AllocatedPlace",
        tablename="passerelle_examens_allocated_place",
        column_name="start_time",
        db_column_name="start_time",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 5,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
