"""The document types: id → (Chinese label, module). Each module has a frozen input dataclass, `from_json(dict)`
(Chinese errors per field), `sample()`, `build(input, office, number=None)` and `SPEC` tying them together."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.documents.types._common import DocumentTypeSpec

#: In the order the office meets them: intake, routing, handling, review, then the non-case documents.
_MODULES: tuple[tuple[str, str], ...] = (
    ("petitioner_receipt", "信访事项回执"),
    ("acceptance_notice", "受理告知书"),
    ("decline_notice", "不予受理告知书"),
    ("refuse_again_notice", "不再受理告知书"),
    ("transfer_letter", "转送函"),
    ("assignment_form", "交办单"),
    ("supervision_form", "督办单"),
    ("urge_notice", "催办通知"),
    ("extension_notice", "延期告知书"),
    ("handling_opinion", "处理意见书"),
    ("review_opinion", "复查意见书"),
    ("final_review_opinion", "复核意见书"),
    ("delivery_receipt", "送达回证"),
    ("warning_slip", "信访预警单"),
    ("explanation_request", "书面说明通知"),
    ("dual_inquiry_report", "一事双查报告"),
    ("tripartite_review_record", "三方会审记录"),
    ("tripartite_review_cover", "三方会审卷宗封面"),
    ("package_notice", "领导包案通知"),
    ("responsibility_statement", "信访工作责任书"),
    ("accountability_recommendation", "责任追究建议书"),
    ("accountability_outcome_report", "追责情况通报"),
)


def _load(type_id: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{type_id}")


#: id → (label, module), as the brief asks; `spec(id)` is the typed view.
REGISTRY: dict[str, tuple[str, ModuleType]] = {tid: (label, _load(tid)) for tid, label in _MODULES}


def type_ids() -> list[str]:
    return [tid for tid, _ in _MODULES]


def spec(type_id: str) -> DocumentTypeSpec[Any]:
    """The type's spec; a DomainError listing the known ids when there is no such type."""
    entry = REGISTRY.get(type_id)
    if entry is None:
        raise DomainError(
            f"未知的文书类型“{type_id}”，可选：{'、'.join(f'{t}（{lab}）' for t, lab in _MODULES)}",
            field="type",
        )
    found: DocumentTypeSpec[Any] = entry[1].SPEC
    return found


def all_specs() -> list[DocumentTypeSpec[Any]]:
    return [spec(t) for t in type_ids()]


__all__ = ["REGISTRY", "DocumentTypeSpec", "all_specs", "spec", "type_ids"]
