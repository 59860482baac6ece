"""A document's input from a stored case (`xinfang doc render TYPE --case NUMBER`).

The case snapshot (`case_detail`) gives the header every case document carries — number, petitioner, date and form,
content — and the event that produced the document gives the rest (the unit, the mode and period of a 交办, the
outcome of an opinion …), with the clocks and their explanations from the case's deadlines. The result is the same
JSON a user would write for `--input`, so it goes through the same validation; fields a case cannot supply (the
findings of a 处理意见书, the statutory route of a 不予受理) come from an `--input` file merged over it.

Derivable from a case: the notices to the petitioner, 转送函, 交办单, 督办单, 催办通知, the three opinions, 送达回证
and the 回执. Only from `--input` (with `doc sample` for an example): 信访预警单, 书面说明通知, 领导包案通知,
信访工作责任书, 责任追究建议书 — a case can still supply their header when both options are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.workdays import WorkdayCalendar, cn_date
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import spec
from xinfang_desktop.documents.types._common import NUMBER_KEY
from xinfang_desktop.documents.types.petitioner_receipt import query_code
from xinfang_desktop.persistence.case_detail import case_detail
from xinfang_desktop.persistence.records import CaseRecord, DocumentRecord
from xinfang_desktop.persistence.rule_profile_store import DeadlineThresholds

#: Types whose whole input a case supplies, with the event that produces each (None: the case itself).
CASE_TYPES: dict[str, tuple[str, ...] | None] = {
    "petitioner_receipt": None,
    "acceptance_notice": ("accept", "simplified_accept"),
    "decline_notice": ("decline",),
    "refuse_again_notice": ("refuse_again",),
    "transfer_letter": ("forward",),
    "assignment_form": ("assign",),
    "supervision_form": ("supervise",),
    "urge_notice": ("urge",),
    "extension_notice": ("extend",),
    "handling_opinion": ("conclude", "simplified_conclude"),
    "review_opinion": ("review_decision",),
    "final_review_opinion": ("final_review_decision",),
    "delivery_receipt": None,
}
#: Types that only take a case's header (the rest comes from --input).
HEADER_ONLY = ("warning_slip", "explanation_request", "package_notice")
INPUT_ONLY = ("responsibility_statement", "accountability_recommendation")
#: Documents made from a record of their own (not from the case's header and events): how each is issued.
FROM_RECORD = {
    "dual_inquiry_report": "由该件的一事双查记录出具：xinfang inquiry show 事项编号 --pdf 文件",
    "tripartite_review_record": "由三方会审记录出具：xinfang review show 会审编号 --pdf 文件",
    "tripartite_review_cover": "由三方会审记录出具：xinfang review show 会审编号 --cover 文件",
    "accountability_outcome_report": "由追责事项出具：xinfang accountability report 追责编号 --to 组织人事部门",
    "responsibility_statement": "由责任书记录出具：xinfang statement render --year 年度 --unit 单位 -o 文件",
    "accountability_recommendation": "移送时出具：xinfang accountability refer 追责编号 --to 机关",
}
URGE_REPLY_WORKDAYS = 3


def derivable(type_id: str) -> bool:
    return type_id in CASE_TYPES


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` over `base`; nested objects are merged key by key (a null in `extra` removes the key)."""
    out = dict(base)
    for key, value in extra.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _header(d: Mapping[str, Any]) -> dict[str, Any]:
    people = d["petitioners"]
    if not people:
        raise DomainError(f"信访事项 {d['number']} 没有登记信访人", field="case")
    p = people[0]
    petitioner = {"name": p["name"]}
    for key in ("id_number", "phone", "address"):
        if p.get(key):
            petitioner[key] = p[key]
    return {
        "case_number": d["number"],
        "petitioner": petitioner,
        "received_on": d["received_on"],
        "channel": d["channel"],
        "summary": d["summary"],
    }


def _deadline(d: Mapping[str, Any], *rules: str) -> dict[str, Any] | None:
    for rule in rules:
        for dl in d["deadlines"]:
            if dl["rule"] == rule:
                return {
                    "rule": dl["rule"],
                    "start": dl["start"],
                    "due": dl["due"],
                    "explanation": dl["explanation"],
                    "provisional": bool(dl["provisional"]),
                }
    return None


def _events(d: Mapping[str, Any], *actions: str) -> list[dict[str, Any]]:
    return [e for e in d["events"] if e["action"] in actions]


def _last(d: Mapping[str, Any], type_id: str, *actions: str) -> dict[str, Any]:
    found = _events(d, *actions)
    if not found:
        raise DomainError(
            f"信访事项 {d['number']}（{d['status']}）尚无“{_action_labels(actions)}”记录，"
            f"不能生成{spec(type_id).label}；请先办理该步骤，或自行填写文书内容",
            field="case",
            details={"status": d["status"], "type": type_id, CLI_HINT: _cli_hint(type_id)},
        )
    return found[-1]


#: The command-line way out of a refusal, kept apart from the message (the window has its own form): `doc render`
#: appends it, the GUI does not show it.
CLI_HINT = "cli_hint"


def _cli_hint(type_id: str) -> str:
    return f"以 --input 提供内容（示例：xinfang doc sample {type_id}）"


def _action_labels(actions: tuple[str, ...]) -> str:
    from xinfang_desktop.core.actions import action_label

    return "”或“".join(action_label(a) for a in actions)


def _d(event: Mapping[str, Any], key: str) -> Any:
    return event.get("details", {}).get(key)


def _unit(d: Mapping[str, Any], event: Mapping[str, Any] | None = None) -> str | None:
    value = _d(event, "unit") if event else None
    return value or d.get("responsible_unit")


def _addressing(d: Mapping[str, Any]) -> dict[str, Any]:
    flags = d.get("flags", {})
    out: dict[str, Any] = {}
    if flags.get("accusation") or d.get("accused_units"):
        out["accusation"] = True
        if d.get("accused_units"):
            out["accused_units"] = list(d["accused_units"])
    return out


def _issued_document_number(session: Session, case_number: str, type_ids: tuple[str, ...]) -> tuple[str, str] | None:
    """The latest issued document of these types on the case: (type_id, number)."""
    row = session.execute(
        select(DocumentRecord.type_id, DocumentRecord.number)
        .join(CaseRecord, CaseRecord.id == DocumentRecord.case_id)
        .where(CaseRecord.number == case_number, DocumentRecord.type_id.in_(type_ids))
        .order_by(DocumentRecord.id.desc())
        .limit(1)
    ).first()
    return (str(row[0]), str(row[1])) if row else None


def input_from_case(
    session: Session,
    type_id: str,
    number: str,
    *,
    today: date,
    calendar: WorkdayCalendar,
    thresholds: DeadlineThresholds,
    office: OfficeInfo,
) -> tuple[dict[str, Any], int | None]:
    """The input of `type_id` built from case `number`, and the seq of the event that produced the document."""
    spec(type_id)  # unknown type → the list of types
    if type_id in FROM_RECORD or (type_id not in HEADER_ONLY and type_id not in _BUILDERS):
        how = FROM_RECORD.get(type_id, "")
        raise DomainError(
            f"{spec(type_id).label}不由信访事项直接生成；{how + '，或' if how else '请'}自行填写文书内容",
            field="case",
            details={CLI_HINT: "不能用 --case；" + _cli_hint(type_id)},
        )
    # The full particulars: each document type decides what it prints (masked on documents to units, R-LC-07).
    d = case_detail(session, number, today=today, calendar=calendar, thresholds=thresholds, reveal=True)
    data = _header(d)
    if type_id in HEADER_ONLY:
        return data, None
    builder = _BUILDERS[type_id]
    extra, seq = builder(session, d, type_id, today, calendar, office)
    if type_id == "delivery_receipt":  # addressed to the recipient: its own shape, not the case header
        return extra, seq
    data.update(extra)
    return data, seq


Built = tuple[dict[str, Any], int | None]


def _receipt(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    return {
        "query_code": query_code(d["number"], d["registered_at"]),
        "deadline": _deadline(d, "R-DL-01", "R-DL-02"),
        "issued_on": today.isoformat(),
    }, None


def _accept(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "accept", "simplified_accept")
    simplified = e["action"] == "simplified_accept"
    return {
        "accepted_on": e["date"],
        "handling_unit": _unit(d, e),
        "deadline": _deadline(d, "R-DL-13") if simplified else _deadline(d, "R-DL-06"),
        "simplified": simplified,
        "issued_on": e["date"],
    }, e["seq"]


def _decline(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "decline")
    data: dict[str, Any] = {
        "decided_on": e["date"],
        "reason": e["reason"],
        "route": "其他法定途径",
        "deadline": _deadline(d, "R-DL-01", "R-DL-02"),
        "issued_on": e["date"],
    }
    if _d(e, "direct_to"):
        data["direct_to"] = _d(e, "direct_to")
    return data, e["seq"]


def _refuse_again(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "refuse_again")
    earlier: dict[str, Any] = {}
    for action, kind, organ in (
        ("final_review_decision", "复核意见", o.final_review_organ),
        ("review_decision", "复查意见", o.review_organ),
        ("conclude", "处理意见", None),
    ):
        found = _events(d, action)
        if found:
            last = found[-1]
            earlier = {"kind": kind, "organ": organ or _unit(d, last) or o.name, "date": last["date"]}
            if _d(last, "outcome"):
                earlier["outcome"] = _d(last, "outcome")
            break
    if _d(e, "earlier"):
        earlier["number"] = _d(e, "earlier")
    data: dict[str, Any] = {"decided_on": e["date"], "reason": e["reason"], "issued_on": e["date"]}
    if earlier:
        data["earlier"] = earlier
    return data, e["seq"]


def _route(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    action = "forward" if t == "transfer_letter" else "assign"
    e = _last(d, t, action)
    data: dict[str, Any] = {"to_unit": _d(e, "unit"), "issued_on": e["date"], **_addressing(d)}
    if _d(e, "transfer_number"):  # the 转送/交办文号 the clerk recorded is the one printed, not the next in sequence
        data[NUMBER_KEY] = _d(e, "transfer_number")
    if action == "forward":
        data["transferred_on"] = e["date"]
        if dl := _deadline(d, "R-DL-03"):
            data["deadline"] = dl
        return data, e["seq"]
    days, due = _d(e, "days"), _d(e, "due_on")
    deadline = _deadline(d, "R-DL-05")
    if deadline is None and days and due:
        deadline = {
            "rule": "R-DL-05",
            "start": e["date"],
            "due": due,
            "explanation": f"自{cn_date(date.fromisoformat(e['date']))}交办之次日起计算{days}日，"
            f"至{cn_date(date.fromisoformat(due))}届满（《信访工作条例》第二十二条第三项）。",
        }
    data.update(
        {"assigned_on": e["date"], "mode": _d(e, "assign_mode") or "要结果", "days": days, "deadline": deadline}
    )
    return data, e["seq"]


def _supervise(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "supervise")
    data: dict[str, Any] = {
        "to_unit": _unit(d, e),
        "supervised_on": e["date"],
        "reason": e["reason"],
        "report_by": _d(e, "due_on"),
        "handling_deadline": _deadline(d, "R-DL-06", "R-DL-05", "R-DL-13"),
        "issued_on": e["date"],
        **_addressing(d),
    }
    return data, e["seq"]


def _urge(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "urge")
    on = date.fromisoformat(e["date"])
    supervisions = _events(d, "supervise")
    reply_by = cal.add_workdays(on, URGE_REPLY_WORKDAYS)
    data: dict[str, Any] = {
        "to_unit": _unit(d, supervisions[-1] if supervisions else None),
        "urged_on": e["date"],
        "deadline": _deadline(d, "R-DL-06", "R-DL-05", "R-DL-13"),
        "reply_by": reply_by.isoformat(),
        "issued_on": e["date"],
        **_addressing(d),
    }
    if e["reason"] and e["reason"] != "催办":
        data["reason"] = e["reason"]
    found = _issued_document_number(s, d["number"], ("supervision_form",))
    if found:
        data["supervision_number"] = found[1]
    return data, e["seq"]


def _extend(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "extend")
    accepted = _last(d, t, "accept", "simplified_accept")
    extended = _deadline(d, "R-DL-06")
    before, after = _d(e, "due_before"), _d(e, "due_after")
    start = accepted["date"]
    original_text = (
        extended["explanation"].split("；经批准延期")[0].rstrip("。") + "。"
        if extended
        else f"自{cn_date(date.fromisoformat(start))}受理之次日起计算，至{cn_date(date.fromisoformat(before))}届满"
        "（《信访工作条例》第三十四条）。"
    )
    if extended is None or extended["due"] != after:
        extended = {
            "rule": "R-DL-06",
            "start": start,
            "due": after,
            "explanation": f"{original_text.rstrip('。')}；经批准延期{_d(e, 'days')}日，"
            f"至{cn_date(date.fromisoformat(after))}届满（《信访工作条例》第三十四条）。",
        }
    original = {"rule": "R-DL-06", "start": start, "due": before, "explanation": original_text}
    return {
        "accepted_on": start,
        "original_deadline": original,
        "days": _d(e, "days"),
        "extended_deadline": extended,
        "reason": e["reason"],
        "approved_on": e["date"],
        "issued_on": e["date"],
    }, e["seq"]


def _conclude(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    e = _last(d, t, "conclude", "simplified_conclude")
    accepted = _last(d, t, "accept", "simplified_accept")
    findings = [p["reason"] for p in _events(d, "progress") if p.get("reason")]
    reason = e["reason"] or ""
    reasons = [reason] if reason and not reason.startswith("作出处理意见") else []
    data: dict[str, Any] = {
        "accepted_on": accepted["date"],
        "concluded_on": e["date"],
        "deadline": _deadline(d, "R-DL-13" if e["action"] == "simplified_conclude" else "R-DL-06"),
        "outcome": _d(e, "outcome"),
        "reasons": reasons,
        "review_organ": o.review_organ,
        "issued_on": e["date"],
    }
    if findings:
        data["findings"] = findings
    if _d(e, "unit"):
        data["organ"] = _d(e, "unit")
    return data, e["seq"]


def _review(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    final = t == "final_review_opinion"
    e = _last(d, t, "final_review_decision" if final else "review_decision")
    request = _last(d, t, "request_final_review" if final else "request_review")
    earlier_action = "review_decision" if final else "conclude"
    earlier = [x for x in _events(d, earlier_action, "simplified_conclude") if x["seq"] < e["seq"]]
    reasons = [e["reason"]] if e["reason"] and not e["reason"].startswith(("复查意见：", "复核意见：")) else []
    data: dict[str, Any] = {
        "requested_on": request["date"],
        "decided_on": e["date"],
        "deadline": _deadline(d, "R-DL-11" if final else "R-DL-09"),
        "outcome": _d(e, "outcome"),
        "reasons": reasons,
        "issued_on": e["date"],
    }
    if earlier:
        x = earlier[-1]
        organ = o.review_organ if final else (_unit(d, x) or o.name)
        ref: dict[str, Any] = {"organ": organ, "date": x["date"]}
        if _d(x, "outcome"):
            ref["outcome"] = _d(x, "outcome")
        found = _issued_document_number(s, d["number"], ("review_opinion",) if final else ("handling_opinion",))
        if found:
            ref["number"] = found[1]
        data["review" if final else "original"] = ref
    if final:
        hearings = _events(d, "hearing_start")
        if hearings:
            data["hearing"] = f"{cn_date(date.fromisoformat(hearings[-1]['date']))}举行听证"
    else:
        data["final_review_organ"] = o.final_review_organ
    return data, e["seq"]


_DELIVERABLE = {
    "final_review_opinion": "信访事项复核意见书",
    "review_opinion": "信访事项复查意见书",
    "handling_opinion": "信访事项处理意见书",
}


def _delivery(s: Session, d: Mapping[str, Any], t: str, today: date, cal: WorkdayCalendar, o: OfficeInfo) -> Built:
    header = _header(d)
    petitioner = header["petitioner"]
    recipient = {"name": petitioner["name"], **({"address": petitioner["address"]} if "address" in petitioner else {})}
    data: dict[str, Any] = {"recipient": recipient, "issued_on": today.isoformat()}
    found = _issued_document_number(s, d["number"], tuple(_DELIVERABLE))
    if found:
        data["document_title"] = _DELIVERABLE[found[0]]
        data["document_number"] = found[1]
    else:
        decisions = _events(d, "final_review_decision", "review_decision", "conclude", "simplified_conclude")
        if decisions:
            last = decisions[-1]["action"]
            title = {"final_review_decision": "复核意见书", "review_decision": "复查意见书"}.get(last, "处理意见书")
            data["document_title"] = f"信访事项{title}"
    deliveries = _events(d, "deliver")
    seq = None
    if deliveries:
        data["delivered_on"] = deliveries[-1]["date"]
        seq = deliveries[-1]["seq"]
    for key in ("petitioner", "received_on", "channel", "summary"):
        header.pop(key, None)
    return {**header, **data}, seq


_BUILDERS = {
    "petitioner_receipt": _receipt,
    "acceptance_notice": _accept,
    "decline_notice": _decline,
    "refuse_again_notice": _refuse_again,
    "transfer_letter": _route,
    "assignment_form": _route,
    "supervision_form": _supervise,
    "urge_notice": _urge,
    "extension_notice": _extend,
    "handling_opinion": _conclude,
    "review_opinion": _review,
    "final_review_opinion": _review,
    "delivery_receipt": _delivery,
}

__all__ = ["CASE_TYPES", "HEADER_ONLY", "INPUT_ONLY", "derivable", "input_from_case", "merge"]
