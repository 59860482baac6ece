"""Warning slips (信访预警单, R-WS-01…04) on stored cases, and the detection hooks of issue 8.

- `scan_case(db, number, today=)` — call after every registered submission (`case_intake.submit` / `add_case`):
  reports whether the case meets R-WS-01 (with the evidence) and records what follows from the new visit — the
  explanations owed under an issued slip (R-WS-03/04), a new backlog case with its 一事双查 (R-CL-05, R-BK-01) and
  a 三方会审 (R-BK-02). One transaction, audited; running it again changes nothing.
- `tick_warnings(db, today=)` — for `xinfang tick`: the same over every case that may need it, marks explanations
  overdue and records each as a candidate accountability ground (R-AC-01), and resolves backlog cases now closed.
- `scan(db, today=)` — `xinfang warn scan`: the tick, then every case that meets R-WS-01 with no slip yet.
- `issue_slip`, `receipt_slip`, `record_explanation`, `list_slips` — the slip's life: issued (numbered and rendered
  by the documents engine, passed in as `issue` since persistence sits below documents), 签收, the explanations.

This module is the entry point; the code lives beside it, by purpose: `warning_detection` (the hooks, candidates,
explanations owed and overdue), `warning_slips` (preparing and issuing a slip, 签收, explanations received, the case
header), `warning_notices` (the 书面说明通知) and `warning_reads` (slips and explanations as shown, workbench counts).
"""

from __future__ import annotations

from xinfang_desktop.persistence.warning_detection import (
    BATCH,
    candidate_page,
    candidates,
    mark_overdue,
    scan,
    scan_case,
    sync_explanations,
    tick_warnings,
)
from xinfang_desktop.persistence.warning_notices import notify_explanations
from xinfang_desktop.persistence.warning_reads import NOTICES_KEY, list_slips, owed_explanation_counts, slip_detail
from xinfang_desktop.persistence.warning_slips import (
    DEFAULT_LEADER,
    DOC_LEVEL,
    IssuedLike,
    Issuer,
    case_header,
    issue_slip,
    prepare_slip,
    receipt_slip,
    record_explanation,
)

# The public names, now defined in the modules beside this one: ui, commands and tests import them from here.
__all__ = [
    "BATCH",
    "DEFAULT_LEADER",
    "DOC_LEVEL",
    "NOTICES_KEY",
    "IssuedLike",
    "Issuer",
    "candidate_page",
    "candidates",
    "case_header",
    "issue_slip",
    "list_slips",
    "mark_overdue",
    "notify_explanations",
    "owed_explanation_counts",
    "prepare_slip",
    "receipt_slip",
    "record_explanation",
    "scan",
    "scan_case",
    "slip_detail",
    "sync_explanations",
    "tick_warnings",
]
