"""The 责任落实 section: accountability candidates and cases, responsibility statements, duties."""
