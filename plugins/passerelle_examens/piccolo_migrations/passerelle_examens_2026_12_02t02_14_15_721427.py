from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T02:14:15:721427"
VERSION = "1.38.0"
DESCRIPTION = "date obtention du code"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="passerelle_examens", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Student",
        tablename="passerelle_examens_student",
        column_name="theory_passed_on",
        db_column_name="theory_passed_on",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": None,
            "null": True,
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
