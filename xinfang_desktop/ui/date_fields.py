"""Dates between Python and Qt, and the date picker every section uses (calendar popup, ISO display)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(value: date, maximum: date | None = None) -> QDateEdit:
    """A date picker on `value` (not after `maximum`, when given: a day that has not come yet is refused)."""
    edit = QDateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if maximum is not None:
        edit.setMaximumDate(qdate(maximum))
    return edit


__all__ = ["date_edit", "pydate", "qdate"]
