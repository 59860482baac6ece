"""The 信访台账 section: a lazy table over ordered case ids, with search, filters and sorting in SQL."""
