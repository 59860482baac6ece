"""Realistic (fictional) documents for the renderer's tests, the benchmark and visual checks.

The document-type modules build the real ones; these only exercise the engine: a 信函-format 受理告知书 with a
rare name (𠮷 outside the BMP, 堃 outside GB2312), a two-page 责任追究建议书 with headings, a table, attachments and
the 版记, and a one-page 送达回证 form.
"""

from __future__ import annotations

from datetime import date

from xinfang_desktop.documents.model import (
    FontRole,
    FooterBlock,
    Layout,
    OfficialDocument,
    Paragraph,
    ParagraphKind,
    Run,
    Signature,
    Table,
)

H1 = ParagraphKind.HEADING1
H2 = ParagraphKind.HEADING2


def acceptance_notice(*, provisional: bool = False) -> OfficialDocument:
    """受理告知书 to a petitioner, 信函 format."""
    body = (
        Paragraph.of(
            "你（你们）于2026年3月2日通过来访方式提出的关于某小区供暖费退还问题的信访事项（信访件编号：XF-2026-000123）"
            "收悉。根据《信访工作条例》第二十一条、第二十二条的规定，经审查，该信访事项属于示范县住房和城乡建设局"
            "的法定职权范围，本机关决定予以受理，并于2026年3月4日转送该局办理。"
        ),
        Paragraph.of(
            "依照《信访工作条例》第三十二条的规定，有权处理机关应当自受理之日起60日内作出处理意见，并书面答复你"
            "（你们）；情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过30日，并告知延期理由。"
            "本事项的办理期限自2026年3月4日起算，至2026年6月2日届满。"
        ),
        Paragraph.of(
            "你（你们）可凭查询码“Q7K2-9XPM”通过“示范县信访”微信公众号或拨打12345热线查询办理进度。"
            "对处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关的上一级机关复查。"
        ),
        Paragraph.of("特此告知。"),
    )
    return OfficialDocument(
        type_id="acceptance_notice",
        title="受理告知书",
        layout=Layout.LETTER,
        issuer_mark="示范县信访局",
        document_number="示信受告〔2026〕12号",
        addressee="李𠮷堃：",
        body=body,
        signature=Signature(issuers=("示范县信访局",), signed_on=date(2026, 3, 4)),
        note="（联系人：王晓明，联系电话：0571-88001234）",
        provisional=provisional,
        metadata={"case_number": "XF-2026-000123", "query_code": "Q7K2-9XPM"},
    )


def accountability_proposal() -> OfficialDocument:
    """责任追究建议书 (R-AC): headings, a table, two attachments, signature, 附注 and 版记."""
    body = (
        Paragraph.of(
            "根据《信访工作条例》第四十七条、第四十八条的规定，现将某镇人民政府未履行信访工作职责的情况及建议函告如下。"
        ),
        Paragraph.of("一、基本事实", H1),
        Paragraph.of(
            "2026年1月8日，本机关将某村土地征收补偿款发放问题（信访件编号：XF-2026-000045）交办某镇"
            "人民政府，要求于2026年2月7日前报送办理结果。该镇逾期未报送，经催办、督办仍未办结。"
        ),
        Paragraph.of("二、认定依据", H1),
        Paragraph(
            (
                Run("（一）超期未办结。", FontRole.KAITI),
                Run("《信访工作条例》第三十二条规定，信访事项应当自受理之日起60日内办结。该事项受理已逾60日，"),
                Run("该镇既未办结，也未申请延期。"),
            ),
            H2,
        ),
        Paragraph.of("三、责任划分", H1),
        Table(
            rows=(
                ("序号", "责任主体", "责任类型", "具体情形"),
                ("1", "某镇人民政府", "主体责任", "未在期限内办结交办事项，督办后未整改"),
                ("2", "某镇分管领导", "领导责任", "未按要求组织调查核实，未督促经办人员办理"),
            ),
            col_widths=(1, 3, 2.2, 6),
        ),
        Paragraph.of("四、处理建议", H1),
        Paragraph(
            (
                Run("建议对某镇人民政府予以通报批评，对分管领导进行约谈，"),
                Run("并于2026年4月30日前将处理结果书面反馈本机关。", FontRole.FANGSONG, True),
            )
        ),
    )
    return OfficialDocument(
        type_id="accountability_proposal",
        title="示范县信访局关于对某镇人民政府未按期办理信访事项追究责任的建议书",
        issuer_mark="示范县信访局文件",
        document_number="示信建〔2026〕3号",
        addressee="中共示范县纪律检查委员会、示范县监察委员会：",
        body=body,
        attachments=("交办单（示信交〔2026〕8号）",),
        note=None,
        signature=Signature(issuers=("示范县信访局",), signed_on=date(2026, 3, 20)),
        footer=FooterBlock(
            issuer="示范县信访局办公室",
            issued_on=date(2026, 3, 20),
            copy_to=("县委办公室", "县政府办公室", "县信访工作联席会议成员单位"),
        ),
        metadata={"case_number": "XF-2026-000045"},
    )


def service_receipt() -> OfficialDocument:
    """送达回证: a one-page form."""
    rows = (
        ("送达文书名称", "受理告知书"),
        ("文号", "示信受告〔2026〕12号"),
        ("受送达人", "李𠮷堃"),
        ("送达地点", "示范县某镇某村3组18号"),
        ("送达方式", "直接送达"),
        ("受送达人签名或盖章", "        年    月    日"),
        ("送达人签名", "        年    月    日"),
        ("备注", ""),
    )
    return OfficialDocument(
        type_id="service_receipt",
        title="示范县信访局送达回证",
        layout=Layout.FORM,
        document_number="示信送〔2026〕12号",
        body=(Table(rows=rows, header_rows=0, col_widths=(1, 2.2)),),
        metadata={"case_number": "XF-2026-000123"},
    )


def all_samples() -> dict[str, OfficialDocument]:
    return {
        "acceptance_notice": acceptance_notice(),
        "accountability_proposal": accountability_proposal(),
        "service_receipt": service_receipt(),
    }
