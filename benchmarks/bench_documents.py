"""Document engine figures: font load (once per process), then the median time per PDF and per DOCX.

Run: ``.venv/bin/python benchmarks/bench_documents.py [N]`` (default 50 renders of each sample).
Target: ≤ 100 ms per PDF in-process once the fonts are loaded.
"""

from __future__ import annotations

import io
import statistics
import sys
import time

from xinfang_desktop.documents.docx_renderer import render_docx
from xinfang_desktop.documents.fonts import get_fonts
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.documents.sample_documents import all_samples


def main(n: int = 50) -> None:
    started = time.perf_counter()
    fonts = get_fonts()
    print(f"fonts loaded once: {(time.perf_counter() - started) * 1000:.0f} ms  {fonts.role_families()}")
    for key, doc in all_samples().items():
        for label, render in (("pdf", render_pdf), ("docx", render_docx)):
            times = []
            size = 0
            pages = 0
            for _ in range(n):
                buf = io.BytesIO()
                t0 = time.perf_counter()
                pages = render(doc, buf).pages
                times.append((time.perf_counter() - t0) * 1000)
                size = len(buf.getvalue())
            print(
                f"{key:24} {label:4} median {statistics.median(times):6.1f} ms  "
                f"min {min(times):6.1f} ms  {pages} page(s)  {size / 1024:.0f} KiB"
            )


def batch(n: int = 1000) -> None:
    """Issue n 受理告知书 for n accepted cases through the store (number, render, file, row, audit each)."""
    import os
    import tempfile
    from datetime import date
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XINFANG_DATA_DIR"] = tmp
        from xinfang_desktop.core.actions import CaseAction
        from xinfang_desktop.core.lifecycle import ActionRequest
        from xinfang_desktop.documents.batch import issue_for_cases
        from xinfang_desktop.persistence.case_intake import import_cases
        from xinfang_desktop.persistence.database import open_database
        from xinfang_desktop.persistence.lifecycle_store import act

        today = date(2026, 11, 22)
        db = open_database(Path(tmp) / "batch.sqlite3")
        item = {
            "petitioner": {"name": "张伟", "phone": "13800138000"},
            "channel": "来信",
            "received_on": "2026-11-16",
            "purpose": "求决",
            "summary": "反映拖欠农民工工资问题，要求督促用人单位支付。",
        }
        numbers = [r.number for r in import_cases(db, [item] * n, today=today)[0]]
        for number in numbers:
            act(db, number, ActionRequest(CaseAction.ACCEPT, date(2026, 11, 20)), today=today)
        shown = {"last": 0.0}
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - shown["last"] > 5 or done == total:
                shown["last"] = now
                print(f"  {done}/{total} after {now - started:.1f} s", flush=True)

        result = issue_for_cases(db, "acceptance_notice", numbers, today=today, progress=progress)
        elapsed = time.perf_counter() - started
        db.dispose()
    print(
        f"batch of {n} 受理告知书 (PDF, numbered, stored, audited): {elapsed:.1f} s, "
        f"{elapsed / n * 1000:.0f} ms each, {len(result.issued)} issued, {len(result.refused)} refused"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
    batch(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
