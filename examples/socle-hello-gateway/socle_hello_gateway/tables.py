from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.plugin_api import Office, Organisation


class Greeting(Table, tablename="hello_gateway_greeting"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    message = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
