"""The outbox: one row per message or job to run, written in the transaction of the change that causes it."""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Organisation

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"
STATUSES = (PENDING, SENDING, SENT, DEAD)


class OutboxMessage(Table, tablename="core_outbox"):
    """`idempotency_key` is unique (index made by the migration); `organisation` is null for messages that
    belong to nobody's tenant (a password reset). `ref` groups messages for listing (`webhook:12`)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=True, default=None, index=True)
    kind = Varchar(length=100)
    idempotency_key = Varchar(length=200)
    ref = Varchar(length=100, default="", index=True)
    summary = Varchar(length=300, default="")
    payload = JSON(default="{}")
    status = Varchar(length=10, default=PENDING)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    locked_until = Timestamptz(null=True, default=None)
    locked_by = Varchar(length=100, default="")
    last_error = Text(default="")
    response_code = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)
