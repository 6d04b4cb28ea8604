"""The CRM data contract: which tables and columns the pipeline reads, and what they must hold.

Declared once here; the reader, the validator, the generator and the README table follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["id", "timestamp", "amount", "number", "bool", "code", "text"]


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: ColumnKind
    required: bool = False
    codes: tuple[str, ...] | None = None  # allowed values of a `code` column; None: any text
    description: str = ""
    unique: bool = False
    minimum: float | None = None  # numbers: allowed range, inclusive
    maximum: float | None = None
    future_allowed: bool = False  # timestamps: may lie after the current time


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = False
    description: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> ColumnSpec:
        return next(column for column in self.columns if column.name == name)


DIRECTIONS = ("inbound", "outbound")
CHANNELS = ("call", "email", "meeting", "chat", "sms")
COMPLAINT_CATEGORIES = ("quality", "service", "price", "delivery", "other")
SURVEY_KINDS = ("pulse", "exit")
# Survey reason codes come from configs/reasons.yaml; the validator fills them in at run time.
REASON_CODES_FROM_CONFIG = ("<reasons.yaml>",)

ORDERS = TableSpec(
    "orders",
    required=True,
    description="one row per order (or return); the only table every CRM must have",
    columns=(
        ColumnSpec("customer_id", "id", True, description="who ordered"),
        ColumnSpec("ordered_at", "timestamp", True, description="when the order was placed"),
        ColumnSpec("amount", "amount", True, description="order value; negative only for returns"),
        ColumnSpec("order_id", "id", description="unique per order when given", unique=True),
        ColumnSpec("discount_amount", "amount", description="discount granted on the order", minimum=0),
        ColumnSpec("returned", "bool", description="the order was returned"),
        ColumnSpec("region", "text", description="delivery region of this order"),
    ),
)
CUSTOMERS = TableSpec(
    "customers",
    description="one row per customer; when given, every other table's customer_id must be in it",
    columns=(
        ColumnSpec("customer_id", "id", True, description="unique", unique=True),
        ColumnSpec("signed_up_at", "timestamp", description="when the customer joined"),
        ColumnSpec("segment", "text", description="business segment, free text"),
        ColumnSpec("region", "text", description="current region"),
        ColumnSpec("loyalty_member", "bool", description="member of the loyalty programme"),
        ColumnSpec("referred_by", "id", description="customer_id of the referrer"),
        ColumnSpec("manager_id", "id", description="current account manager"),
        ColumnSpec(
            "cancelled_at",
            "timestamp",
            description="contract end (subscription businesses); may lie in the future",
            future_allowed=True,
        ),
    ),
)
CONTACTS = TableSpec(
    "contacts",
    description="touches between the company and the customer, both ways",
    columns=(
        ColumnSpec("customer_id", "id", True),
        ColumnSpec("contacted_at", "timestamp", True),
        ColumnSpec("direction", "code", True, DIRECTIONS, "inbound (customer wrote) or outbound"),
        ColumnSpec("channel", "text", description=f"typically {'/'.join(CHANNELS)}"),
        ColumnSpec("topic", "text", description="free text subject"),
        ColumnSpec("answered", "bool", description="inbound only: the request was answered"),
        ColumnSpec("response_hours", "number", description="inbound only: hours to answer", minimum=0),
    ),
)
COMPLAINTS = TableSpec(
    "complaints",
    description="complaints opened by customers",
    columns=(
        ColumnSpec("customer_id", "id", True),
        ColumnSpec("opened_at", "timestamp", True),
        ColumnSpec("category", "code", codes=COMPLAINT_CATEGORIES),
        ColumnSpec("resolved_at", "timestamp", description="empty while open; not before opened_at"),
    ),
)
SURVEYS = TableSpec(
    "surveys",
    description="pulse (satisfaction) and exit survey answers",
    columns=(
        ColumnSpec("customer_id", "id", True),
        ColumnSpec("answered_at", "timestamp", True),
        ColumnSpec("kind", "code", True, SURVEY_KINDS),
        ColumnSpec("score", "number", description="satisfaction", minimum=0, maximum=10),
        ColumnSpec("reason", "code", codes=REASON_CODES_FROM_CONFIG, description="exit reason code"),
    ),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec for spec in (ORDERS, CUSTOMERS, CONTACTS, COMPLAINTS, SURVEYS)
}
# The main timestamp of each event table: what "dated after as-of" and date ranges refer to.
EVENT_TIME_COLUMN = {
    "orders": "ordered_at",
    "customers": "signed_up_at",
    "contacts": "contacted_at",
    "complaints": "opened_at",
    "surveys": "answered_at",
}
