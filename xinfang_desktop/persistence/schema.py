"""The complete schema: every record module imported, so `metadata` holds every table (migrations, checks)."""

from __future__ import annotations

from xinfang_desktop.persistence import records, records_packages, records_warnings

metadata = records.Base.metadata
__all__ = ["metadata", "records", "records_packages", "records_warnings"]
