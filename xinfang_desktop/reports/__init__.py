"""Statistics, rankings and exports for the higher-level bureaus — built in a later issue."""
