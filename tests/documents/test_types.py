"""Every document type: sample → build → the text carries what the rules require (numbers, dates, remedies, masking)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.documents.model import Layout
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import REGISTRY, all_specs, spec, type_ids
from xinfang_desktop.documents.types._common import mask_id_number, mask_phone
from xinfang_desktop.documents.types.petitioner_receipt import query_code, valid_query_code

OFFICE = OfficeInfo(address="示范县城关街道政府路8号", phone="0578-1234567")
LABELS = {
    "acceptance_notice": "受理告知书",
    "decline_notice": "不予受理告知书",
    "refuse_again_notice": "不再受理告知书",
    "transfer_letter": "转送函",
    "assignment_form": "交办单",
    "supervision_form": "督办单",
    "urge_notice": "催办通知",
    "extension_notice": "延期告知书",
    "handling_opinion": "处理意见书",
    "review_opinion": "复查意见书",
    "final_review_opinion": "复核意见书",
    "warning_slip": "信访预警单",
    "explanation_request": "书面说明通知",
    "dual_inquiry_report": "一事双查报告",
    "tripartite_review_record": "三方会审记录",
    "tripartite_review_cover": "三方会审卷宗封面",
    "package_notice": "领导包案通知",
    "responsibility_statement": "信访工作责任书",
    "accountability_recommendation": "责任追究建议书",
    "accountability_outcome_report": "追责情况通报",
    "delivery_receipt": "送达回证",
    "petitioner_receipt": "信访事项回执",
}
LETTERS = {
    "transfer_letter",  # a 函: the 信函格式 (issue 18)
    "acceptance_notice",
    "decline_notice",
    "refuse_again_notice",
    "extension_notice",
    "handling_opinion",
    "review_opinion",
    "final_review_opinion",
}
FORMS = {"assignment_form", "supervision_form", "delivery_receipt", "petitioner_receipt", "tripartite_review_cover"}
TO_UNITS = {
    "transfer_letter",
    "assignment_form",
    "supervision_form",
    "urge_notice",
    "warning_slip",
    "explanation_request",
    "package_notice",
}


def text_of(type_id: str, data: dict[str, Any] | None = None, number: str = "示信〔2026〕7号") -> str:
    s = spec(type_id)
    return s.document(s.sample() if data is None else data, OFFICE, number).plain_text()


def test_registry_has_every_type_with_its_chinese_label() -> None:
    assert {t: REGISTRY[t][0] for t in type_ids()} == LABELS
    assert all(REGISTRY[t][1].SPEC.label == LABELS[t] for t in LABELS)


@pytest.mark.parametrize("type_id", sorted(LABELS))
def test_sample_builds_with_number_dates_and_layout(type_id: str) -> None:
    s = spec(type_id)
    doc = s.document(s.sample(), OFFICE, "示信〔2026〕7号")
    text = doc.plain_text()
    assert doc.type_id == type_id and doc.document_number == "示信〔2026〕7号"
    assert "示信〔2026〕7号" in text
    expected = Layout.LETTER if type_id in LETTERS else Layout.FORM if type_id in FORMS else Layout.DOCUMENT
    assert doc.layout is expected == s.layout
    assert ("2026年" in text or type_id == "delivery_receipt") and "2026-" not in text.replace("XF2026-", "")
    assert doc.signature is not None and doc.signature.signed_on is not None
    if type_id != "responsibility_statement":
        assert "XF2026-000001" in text  # the case number


@pytest.mark.parametrize("type_id", sorted(TO_UNITS))
def test_documents_to_units_mask_the_id_number(type_id: str) -> None:
    text = text_of(type_id)
    if type_id not in ("package_notice", "warning_slip", "explanation_request") or "身份证" in text:
        assert "110105********002X" in text
    assert "11010519491231002X" not in text


@pytest.mark.parametrize("type_id", sorted(LETTERS | {"petitioner_receipt"}))
def test_documents_to_the_petitioner_name_them_but_print_no_id_number(type_id: str) -> None:
    text = text_of(type_id)
    assert "张伟" in text and "11010519491231002X" not in text


def test_masking_helpers() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_phone("13800138000") == "138****8000"


@pytest.mark.parametrize("type_id", ["transfer_letter", "assignment_form", "supervision_form", "urge_notice"])
def test_an_accusation_never_names_the_accuser(type_id: str) -> None:
    data = spec(type_id).sample()
    data["accusation"] = True
    data["accused_units"] = ["示范县某局"]
    data["summary"] = "张伟检举示范县某局工作人员违规收费"
    text = text_of(type_id, data)
    assert "张伟" not in text and "11010519491231002X" not in text and "110105" not in text
    assert "检举控告人" in text and "第三十条第三款" in text and "R-LC-07" not in text


def test_an_accusation_is_never_sent_to_the_accused_unit() -> None:
    data = spec("transfer_letter").sample()
    data["accused_units"] = [data["to_unit"]]
    with pytest.raises(ValidationError) as err:
        spec("transfer_letter").from_json(data)
    assert any(p.field == "to_unit" and "R-LC-07" in p.reason for p in err.value.errors)


def test_acceptance_notice_states_the_60_day_clock_and_its_article() -> None:
    text = text_of("acceptance_notice")
    assert "2026年3月5日依法予以受理" in text and "60日内办结" in text and "第三十四条" in text
    assert "2026年5月6日届满" in text
    assert "期限说明" not in text and "届满日2026年5月4日为法定节假日" not in text  # the engine's words: the clerk's


def test_decline_notice_gives_reason_route_and_where_to_go() -> None:
    text = text_of("decline_notice")
    assert "行政处罚决定不服" in text and "第三十一条第（一）项" in text
    assert "通过行政复议途径向示范县人民政府提出" in text and "政府路1号" in text and "法定期限" in text


def test_refuse_again_rests_on_the_earlier_decision() -> None:
    text = text_of("refuse_again_notice")
    assert "示范市人民政府于2026年7月10日作出复核意见（示政复核〔2026〕3号）" in text
    assert "第三十六条第三款" in text


def test_assignment_form_mode_and_deadline() -> None:
    text = text_of("assignment_form")
    assert "要结果" in text and "办结报告" in text and "2026年4月3日" in text and "第二十二条第三项" in text
    data = spec("assignment_form").sample() | {"mode": "要情况"}
    assert "办理情况" in text_of("assignment_form", data)


def test_handling_opinion_remedy_names_the_higher_organ_and_30_days() -> None:
    text = text_of("handling_opinion")
    assert "予以支持" in text
    assert "自收到本处理意见书之日起30日内，向示范县人民政府书面请求复查" in text and "第三十五条" in text
    custom = spec("handling_opinion").sample() | {"review_organ": "示范县住房和城乡建设局"}
    assert "向示范县住房和城乡建设局书面请求复查" in text_of("handling_opinion", custom)


def test_review_opinion_remedy_is_a_final_review_at_the_next_organ() -> None:
    text = text_of("review_opinion")
    assert "自收到本复查意见书之日起30日内，向示范市人民政府书面请求复核" in text and "第三十六条" in text
    assert "2026年6月15日届满" in text  # R-DL-09 with its roll-over explanation
    redo = spec("review_opinion").sample() | {"outcome": "责令重新作出"}
    assert "请求复核" not in text_of("review_opinion", redo)


def test_final_review_opinion_has_no_remedy_but_the_r_lc_03_note() -> None:
    text = text_of("final_review_opinion")
    assert "请求复查" not in text and "请求复核的" not in text and "30日内" not in text
    assert "第三十六条第三款" in text and "不再受理" in text and "R-LC-03" not in text


def test_extension_notice_old_and_new_end_and_limit() -> None:
    text = text_of("extension_notice")
    assert "原定于2026年5月6日届满" in text and "延长30日" in text and "至2026年6月5日届满" in text
    bad = spec("extension_notice").sample() | {"days": 31}
    with pytest.raises(ValidationError) as err:
        spec("extension_notice").from_json(bad)
    assert err.value.errors[0].field == "days"


def test_warning_slip_and_explanation_request() -> None:
    text = text_of("warning_slip")
    assert "2026年5月11日" in text and "2026年6月15日" in text and "3个工作日" in text and "签收" in text
    one_visit = spec("warning_slip").sample()
    one_visit["visits"] = one_visit["visits"][:1]
    with pytest.raises(ValidationError, match="R-WS-01"):
        spec("warning_slip").from_json(one_visit)
    text = text_of("explanation_request")
    assert "示信预警〔2026〕4号" in text and "2026年9月17日前" in text
    assert all(x in text for x in ("责任落实", "化解稳控", "再次上访的原因", "信访工作领导小组组长"))
    escalated = spec("explanation_request").sample() | {"escalated": True}
    assert "党政主要领导" in text_of("explanation_request", escalated)


def test_package_notice_lists_the_five_duties() -> None:
    text = text_of("package_notice")
    for duty in ("包掌握情况", "包思想转化", "包矛盾化解", "包教育稳控", "包息访息诉"):
        assert duty in text
    assert "李明" in text and "2026年6月30日前" in text and "协调县财政" in text


def test_responsibility_statement_two_parties_year_targets_signatures() -> None:
    s = spec("responsibility_statement")
    doc = s.document(s.sample(), OFFICE, None)
    text = doc.plain_text()
    assert "2026年度信访工作责任书" in text and "下降20%以上" in text and "下降30%以上" in text
    assert doc.signature is not None
    # 甲方 signs in the left column (`second_party` of the model), 乙方 in the right one (`issuers`).
    assert doc.signature.second_party[:2] == ("甲方（盖章）：", "示范县人民政府")
    assert doc.signature.issuers[:2] == ("乙方（盖章）：", "城关街道办事处")
    assert doc.signature.issuers[-1] == ""  # a line left for the seal above the date
    assert "R-" not in text


def test_accountability_recommendation_grounds_allocation_measure_feedback() -> None:
    text = text_of("accountability_recommendation")
    assert "《信访工作责任制实施办法》第十一条第（二）项“未按照规定受理、交办" in text
    assert "直接责任" in text and "领导责任" in text and "第十三条" in text and "通报" in text
    assert "2026年7月31日前将处理结果书面反馈" in text
    doc = spec("accountability_recommendation").document(
        spec("accountability_recommendation").sample(), OFFICE, "示信追责〔2026〕1号"
    )
    assert doc.footer is not None and "中共示范县纪委示范县监委" in doc.footer.copy_to


def test_accountability_recommendation_refuses_wrong_item_mixed_allocation_and_a_skipped_rung() -> None:
    s = spec("accountability_recommendation")
    data = copy.deepcopy(s.sample())
    data["grounds"] = [{"regulation": "信访工作责任制实施办法", "article": 11, "item": 9}]
    data["persons"][1]["responsibility"] = "主要领导责任"
    data["persons"][0]["measure"] = "免职"
    with pytest.raises(ValidationError) as err:
        s.from_json(data)
    fields = {p.field for p in err.value.errors}
    assert {"grounds[0].item", "persons", "persons[0].measure"} <= fields


def test_delivery_receipt_and_petitioner_receipt() -> None:
    text = text_of("delivery_receipt")
    assert "示信处〔2026〕15号" in text and "受送达人签名" in text and "请求复查的30日期间" in text
    text = text_of("petitioner_receipt")
    code = spec("petitioner_receipt").sample()["query_code"]
    assert valid_query_code(code) and code in text and "2026年3月17日前" in text
    assert query_code("XF2026-000001", "a") != query_code("XF2026-000001", "b")


def test_provisional_deadline_marks_the_document() -> None:
    data = spec("acceptance_notice").sample()
    data["deadline"] = dict(data["deadline"], provisional=True)
    doc = spec("acceptance_notice").document(data, OFFICE)
    assert doc.provisional and doc.clerk_warnings() and "暂" not in doc.plain_text()  # a warning, not on paper
    assert not spec("acceptance_notice").document(spec("acceptance_notice").sample(), OFFICE).provisional


def test_validation_errors_are_precise_and_chinese() -> None:
    s = spec("acceptance_notice")
    data = s.sample()
    data["accepted_on"] = "2026-02-30"
    data["petitioner"] = {"name": "", "id_number": "110105194912310021"}
    data["colour"] = "red"
    del data["case_number"]
    with pytest.raises(ValidationError) as err:
        s.from_json(data)
    found = {p.field: p.reason for p in err.value.errors}
    assert "不是有效的日期" in found["accepted_on"]
    assert found["petitioner.name"] == "不能为空" and "petitioner.id_number" in found
    assert found["colour"] == "不认识的字段" and found["case_number"] == "不能为空"
    with pytest.raises(ValidationError, match="应为 JSON 对象"):
        s.from_json([])  # type: ignore[arg-type]
    late = s.sample() | {"accepted_on": "2026-03-01"}
    with pytest.raises(ValidationError, match="早于"):
        s.from_json(late)


def test_office_numbers_and_settings() -> None:
    office = OfficeInfo.from_settings(
        {
            "office_name": "某某县信访局",
            "document_prefixes": {"transfer_letter": "某信转办"},
            "review_organ": "某某县人民政府",
        }
    )
    assert office.document_number("acceptance_notice", 2026, 12) == "某信受〔2026〕12号"
    assert office.document_number("transfer_letter", 2026, 3) == "某信转办〔2026〕3号"
    assert office.review_organ == "某某县人民政府" and office.mark == "某某县信访局"


def test_every_sample_is_valid_json_roundtrip() -> None:
    import json

    for s in all_specs():
        assert s.from_json(json.loads(json.dumps(s.sample(), ensure_ascii=False))) == s.from_json(s.sample())
