"""The complete schema: every record module imported, so `metadata` holds every table (migrations, checks)."""

from __future__ import annotations

from xinfang_desktop.persistence import records, records_exchange, records_packages, records_warnings
from xinfang_desktop.persistence.accountability import records as accountability_records
from xinfang_desktop.persistence.duties import records as duty_records
from xinfang_desktop.persistence.rectification import records as rectification_records
from xinfang_desktop.persistence.statements import records as statement_records

metadata = records.Base.metadata
__all__ = [
    "accountability_records",
    "duty_records",
    "metadata",
    "records",
    "records_exchange",
    "records_packages",
    "records_warnings",
    "rectification_records",
    "statement_records",
]
