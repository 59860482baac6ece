"""Bringing an office's existing records in (issue 15): read Excel/CSV ledgers, map their columns, import the rows."""
