"""诉访分离: a court or a procuratorate as the unit that handles a 信访事项 is almost always a mistake (issue 18).

Matters that belong to litigation, arbitration or the procuratorate's legal supervision go into those procedures
(《信访工作条例》第三十一条, R-LC-09); the 信访 office does not hand them to a court as an ordinary 信访 matter. The
clerk is warned, not refused: a court can still be the right addressee of a matter about its own work style.
"""

from __future__ import annotations

JUDICIAL_MARKS = ("人民法院", "法院", "人民检察院", "检察院")


def judicial_unit_warning(unit: str | None) -> str | None:
    """The warning for `unit` when it is a court or a procuratorate, else None."""
    name = (unit or "").strip()
    if not any(mark in name for mark in JUDICIAL_MARKS):
        return None
    return (
        f"“{name}”是审判机关或检察机关：依法应通过诉讼、仲裁或法律监督程序解决的事项应导入相应程序"
        "（诉访分离，《信访工作条例》第三十一条），一般不作为信访事项的责任单位，请核对"
    )


__all__ = ["JUDICIAL_MARKS", "judicial_unit_warning"]
