"""信访工作责任书 (R-RS): the annual statements with their targets, prefill from the ledger, progress and evaluation."""
