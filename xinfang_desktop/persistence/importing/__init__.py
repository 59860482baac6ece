"""Storage of imports (issue 15): the one-transaction writer, row fingerprints, code tables, named profiles."""
