"""Webhook endpoints of an organisation. Deliveries are outbox messages (`core.jobs`) with ref `webhook:<id>`."""

from piccolo.columns import JSON, Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Organisation


class WebhookEndpoint(Table, tablename="core_webhook_endpoint"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    url = Varchar(length=2000)
    secret = Varchar(length=200)
    events = JSON(default="[]")  # event names, "*" for all
    description = Varchar(length=200, default="")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
