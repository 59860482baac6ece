"""The shared parts of the document types: the frame (issuer, addressee, signature, contact line, provisional flag)
and the remedy chain's wording, which the opinions, the 不再受理告知书 and the 送达回证 all quote."""

from __future__ import annotations

from typing import Any

import pytest

from xinfang_desktop.documents.model import Layout
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import spec
from xinfang_desktop.documents.types._opinion import FINAL_NOTE, REMEDIES, lapsed_text, remedy_text

OFFICE = OfficeInfo(issuer_mark="示范县信访局文件", address="示范县城关街道政府路8号", phone="0578-1234567")
NOTICES = ("acceptance_notice", "decline_notice", "refuse_again_notice", "extension_notice")
OPINIONS = ("handling_opinion", "review_opinion", "final_review_opinion")


def build(type_id: str, **changes: Any) -> Any:
    s = spec(type_id)
    return s.document(s.sample() | changes, OFFICE, "示信〔2026〕7号")


@pytest.mark.parametrize("type_id", NOTICES)
def test_a_notice_is_the_offices_letter_to_the_petitioner(type_id: str) -> None:
    doc = build(type_id)
    assert doc.layout is Layout.LETTER and doc.addressee == "张伟："
    assert doc.issuer_mark == "示范县信访局文件" and doc.signature.issuers == ("示范县信访局",)
    assert doc.note == "（地址：示范县城关街道政府路8号，电话：0578-1234567）"
    assert doc.body[-1].text == "特此告知。"


@pytest.mark.parametrize("type_id", OPINIONS)
def test_an_opinion_is_signed_by_the_deciding_organ_under_its_own_name(type_id: str) -> None:
    doc = build(type_id, organ="示范县住房和城乡建设局")
    assert doc.issuer_mark == "示范县住房和城乡建设局" and doc.signature.issuers == ("示范县住房和城乡建设局",)
    assert doc.addressee == "张伟：" and doc.note is not None
    office_itself = build(type_id, organ=OFFICE.name)
    assert office_itself.issuer_mark == "示范县信访局文件" and office_itself.signature.issuers == ("示范县信访局",)


def test_any_provisional_clock_marks_the_document() -> None:
    sample = spec("supervision_form").sample()
    assert not build("supervision_form").provisional
    late = dict(sample["handling_deadline"], provisional=True)
    assert build("supervision_form", handling_deadline=late).provisional


@pytest.mark.parametrize("type_id", ["transfer_letter", "urge_notice", "assignment_form", "supervision_form"])
def test_the_confidentiality_paragraph_closes_a_document_about_an_accusation(type_id: str) -> None:
    assert "请严格保密" not in build(type_id).plain_text()
    doc = build(type_id, accusation=True)
    assert doc.body[-1].text.startswith("本件属检举控告类信访事项。") and doc.body[-1].text.endswith("住址等信息。")


def test_the_remedy_chain_wording() -> None:
    assert list(REMEDIES) == ["复查", "复核"]
    assert remedy_text("复查", "示范县人民政府", 30) == (
        "如你对本处理意见不服，可以自收到本处理意见书之日起30日内，向示范县人民政府书面请求复查"
        "（《信访工作条例》第三十五条）。逾期未请求复查的，本处理意见即为最终意见。"
    )
    assert remedy_text("复核", "示范市人民政府", 30) == (
        "如你对本复查意见不服，可以自收到本复查意见书之日起30日内，向示范市人民政府书面请求复核"
        "（《信访工作条例》第三十六条）。逾期未请求复核的，本复查意见即为最终意见。"
    )
    assert lapsed_text("复查") == (
        "你在收到处理意见书后未在《信访工作条例》第三十五条规定的30日内请求复查，处理意见已经生效，"
        "你以同一事实和理由再次提出的，不再受理"
    )
    assert FINAL_NOTE.startswith("本复核意见为该信访事项的最终处理意见。依照《信访工作条例》第三十六条第三款")
    assert FINAL_NOTE.endswith("不再受理。")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("信访事项处理意见书", "请求复查的30日期间自签收之日的次日起计算（《信访工作条例》第三十五条）。"),
        ("信访事项复查意见书", "请求复核的30日期间自签收之日的次日起计算（《信访工作条例》第三十六条）。"),
    ],
    ids=["handling", "review"],
)
def test_delivery_of_an_opinion_starts_its_remedy_window(title: str, expected: str) -> None:
    assert expected in build("delivery_receipt", document_title=title).plain_text()
    assert expected not in build("delivery_receipt", document_title="信访事项复核意见书").plain_text()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("复核意见", "依照《信访工作条例》第三十六条第三款，信访人对复核意见不服"),
        ("复查意见", "你在收到复查意见书后未在《信访工作条例》第三十六条规定的30日内请求复核"),
        ("处理意见", "你在收到处理意见书后未在《信访工作条例》第三十五条规定的30日内请求复查"),
    ],
    ids=["final", "review", "handling"],
)
def test_refusing_again_quotes_why_the_earlier_decision_stands(kind: str, expected: str) -> None:
    earlier = spec("refuse_again_notice").sample()["earlier"] | {"kind": kind}
    assert expected in build("refuse_again_notice", earlier=earlier).plain_text()
