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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
