"""cases.tick_due_on: the first day the daily tick would change a case (issue 19)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# `xinfang tick` reads only the cases whose `tick_due_on` has come (core.lifecycle_tick.next_due), kept by every
# lifecycle write. The backfill is set-based SQL over the projections (case_deadlines, supervision_orders, cases) and
# a few event kinds. It is exact for the common sources — the duty clocks (R-DL-06/09/11/13) and the 复查/复核 windows
# (R-DL-08/10) → the day after their due date; the half-period 督办 → the day after half the period; 催办 → the day
# after an order's due date plus `reminders` × 5 日 — and an early date (the day of receipt) where the projections do
# not tell enough (a window lapsed but not yet closed, an open or past hearing, a visit after acceptance, a returned
# case, a 不满意/未评价 rating without its order): the next tick examines those cases once and stores the exact day.
# Only cases the full replay examines get a date (a running clock or an open order), as `next_due` does.

_OPEN_DUTY = {"accepted": ("R-DL-06", "R-DL-13"), "review": ("R-DL-09",), "final_review": ("R-DL-11",)}
_WINDOW = {"opinion_issued": "R-DL-08", "review_opinion_issued": "R-DL-10"}
_DUTY_STATUSES = (
    "accepted",
    "opinion_overdue",
    "review",
    "review_opinion_overdue",
    "final_review",
    "final_review_opinion_overdue",
)
_ISSUED = ("opinion_issued", "review_opinion_issued", "final_review_opinion_issued")
_LAPSED = ("review_window_lapsed", "final_review_window_lapsed")
_REMINDER_DAYS = 5  # lifecycle_tick.SupervisionPolicy.reminder_days


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    op.add_column("cases", sa.Column("tick_due_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_cases_tick_due",
        "cases",
        ["tick_due_on", "id"],
        unique=False,
        sqlite_where=sa.text("tick_due_on IS NOT NULL"),
        postgresql_where=sa.text("tick_due_on IS NOT NULL"),
    )
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    pg = bind.dialect.name == "postgresql"

    def plus(col: str, days: str) -> str:
        return f"({col} + ({days}))" if pg else f"date({col}, '+' || ({days}) || ' days')"

    def iso(col: str) -> str:
        return f"to_char({col}, 'YYYY-MM-DD')" if pg else col

    span = "(d.due_on - d.start_on)" if pg else "CAST(julianday(d.due_on) - julianday(d.start_on) AS INTEGER)"
    duty = " OR ".join(
        f"(c.status = '{status}' AND d.rule_id IN ({_quoted(rules)}))" for status, rules in _OPEN_DUTY.items()
    )
    window = " OR ".join(f"(c.status = '{status}' AND d.rule_id = '{rule}')" for status, rule in _WINDOW.items())
    handling = _quoted(_OPEN_DUTY["accepted"])
    selects = [
        # the duty clocks and the windows: the day after the due date
        f"SELECT d.case_id, {plus('d.due_on', '1')} FROM case_deadlines d JOIN cases c ON c.id = d.case_id "
        f"WHERE d.met_on IS NULL AND (({duty}) OR ({window}))",
        # half of the handling period without an order for it (a progress note since is checked by the tick)
        f"SELECT d.case_id, {plus('d.start_on', f'({span} + 1) / 2 + 1')} FROM case_deadlines d "
        f"JOIN cases c ON c.id = d.case_id WHERE d.met_on IS NULL AND c.status = 'accepted' "
        f"AND d.rule_id IN ({handling}) AND NOT EXISTS (SELECT 1 FROM supervision_orders o "
        f"WHERE o.case_id = d.case_id AND o.trigger = 'half:' || d.rule_id || ':' || {iso('d.start_on')})",
        # 催办: the day after the order's due date, then every reminder interval after the reminders sent
        f"SELECT o.case_id, {plus('o.due_on', f'1 + o.reminders * {_REMINDER_DAYS}')} FROM supervision_orders o "
        "WHERE o.closed_on IS NULL",
        # early dates: examined once by the next tick, which stores the exact day
        f"SELECT c.id, c.received_on FROM cases c WHERE c.status IN ({_quoted(_LAPSED)})",
        "SELECT DISTINCT e.case_id, c.received_on FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE e.action = 'hearing_start'",
        "SELECT DISTINCT e.case_id, c.received_on FROM case_events e JOIN cases c ON c.id = e.case_id "
        f"WHERE e.action = 'submit' AND c.status IN ({_quoted(_DUTY_STATUSES)})",
        "SELECT DISTINCT e.case_id, c.received_on FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE e.action = 'object' AND c.status = 'under_review'",
        "SELECT DISTINCT e.case_id, c.received_on FROM case_events e JOIN cases c ON c.id = e.case_id "
        f"WHERE e.action = 'rate' AND c.status IN ({_quoted(_ISSUED)}) "
        "AND (e.details LIKE '%不满意%' OR e.details LIKE '%未评价%') "
        "AND NOT EXISTS (SELECT 1 FROM supervision_orders o WHERE o.case_id = e.case_id "
        "AND o.trigger LIKE 'rating:%' AND o.issued_on >= e.occurred_on)",
    ]
    bind.execute(sa.text("CREATE TABLE tick_due_backfill (case_id INTEGER NOT NULL, due_on DATE NOT NULL)"))
    for select in selects:
        bind.execute(sa.text(f"INSERT INTO tick_due_backfill (case_id, due_on) {select}"))
    bind.execute(sa.text("CREATE INDEX ix_tick_due_backfill ON tick_due_backfill (case_id, due_on)"))
    # Only the cases the full replay examines: a running clock or an open order.
    bind.execute(
        sa.text(
            "UPDATE cases SET tick_due_on = (SELECT MIN(b.due_on) FROM tick_due_backfill b WHERE b.case_id = cases.id) "
            "WHERE id IN (SELECT case_id FROM tick_due_backfill) AND (EXISTS (SELECT 1 FROM case_deadlines d "
            "WHERE d.case_id = cases.id AND d.met_on IS NULL) OR EXISTS (SELECT 1 FROM supervision_orders o "
            "WHERE o.case_id = cases.id AND o.closed_on IS NULL))"
        )
    )
    bind.execute(sa.text("DROP TABLE tick_due_backfill"))


def downgrade() -> None:
    op.drop_index("ix_cases_tick_due", table_name="cases")
    op.drop_column("cases", "tick_due_on")
