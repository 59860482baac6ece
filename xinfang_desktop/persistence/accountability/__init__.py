"""责任追究 (R-AC): candidates found in the ledger, accountability cases, persons, their ladder, referral, feedback."""
