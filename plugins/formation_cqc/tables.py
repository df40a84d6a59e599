"""The module's tables. Every row carries `organisation` and `office` (plain integers: plugins do not
reference core tables)."""

from piccolo.columns import Date, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

P = "formation_cqc_"


class AgrementRow(Table, tablename=P + "agrement"):
    """An agrément of the training centre (the office): type, sector, number, valid from/to inclusive."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    training = Varchar(length=30)
    sector = Varchar(length=20)
    number = Varchar(length=60)
    valid_from = Date()
    valid_to = Date()
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [AgrementRow]
