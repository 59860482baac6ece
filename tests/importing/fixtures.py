"""Sheets made by code for the import tests: a messy hand-kept 台账, its GBK CSV twin, a national-system export."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from xinfang_desktop.reports.national_export import HEADERS

TODAY = date(2026, 11, 20)
ZHANG_ID = "11010519491231002X"  # a valid 18-digit number (MOD 11-2)

MESSY_SUMMARY_1 = "反映城关街道征地拆迁补偿款未足额发放，要求补发拖欠的补偿款。"
MESSY_SUMMARY_REPEAT = "再次反映城关街道征地拆迁补偿款未足额发放，要求尽快补发拖欠的补偿款。"


def messy_ledger(path: Path) -> Path:
    """Title rows, a two-row merged header, a 责任单位 merged down three rows, mixed date forms, an ID number stored as
    a number (digits lost), a bad date, a repeat of an earlier row, blank rows and a total row at the end."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年台账"
    ws.append(["示范县信访局信访事项登记台账（2026年）"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：示范县信访局", None, None, None, None, None, None, None, "填报日期：2026年11月"])
    ws.append(["序号", "信访人", None, None, "来访日期", "信访形式", "反映问题", "问题属地", "内容分类", "责任单位"])
    ws.append([None, "姓名", "身份证号", "联系电话", None, None, None, None, None, None])
    ws.merge_cells("B3:D3")
    for col in "AEFGHIJ":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append(
        [
            1,
            "张伟",
            ZHANG_ID,
            13800138000,
            datetime(2026, 3, 2, 9, 30),
            "来访",
            MESSY_SUMMARY_1,
            "城关街道",
            "征地拆迁",
            "示范县自然资源和规划局",
        ]
    )
    ws.append(
        [
            2,
            "李娜",
            110105198001010016,
            "13900001111",
            "2026年3月5日",
            "来信",
            "反映某工地拖欠农民工工资三个月，要求依法支付。",
            "城东街道",
            "拖欠农民工工资",
            None,
        ]
    )
    ws.append(
        [
            3,
            "王强",
            None,
            "13700002222",
            "2026.3.7",
            "走访",
            "反映小区物业管理混乱，电梯长期停运。",
            "城关街道",
            "物业管理纠纷",
            None,
        ]
    )
    ws.merge_cells("J5:J7")  # 责任单位 written once for three rows
    ws.append(
        [
            4,
            "张伟",
            ZHANG_ID,
            "13800138000",
            20260410,
            "来访",
            MESSY_SUMMARY_REPEAT,
            "城关街道",
            "征地拆迁",
            "示范县自然资源和规划局",
        ]
    )
    ws.append([5, "赵敏", None, "13600003333", "2026/13/01", "来电", "反映噪声扰民问题。", None, None, None])
    ws.append(
        [
            6,
            "钱进",
            None,
            "0571-88886666",
            46090,
            "来电",
            "反映低保待遇停发，要求恢复。",
            "城东街道",
            "最低生活保障",
            None,
        ]
    )
    ws.append([])
    ws.append(["合计", None, None, None, None, None, "共6件"])
    ws.append([])
    wb.save(path)
    return path


def messy_mapping() -> dict[str, object]:
    """What the clerk confirms for the messy ledger: 信访目的 is not in the sheet, every row is 求决."""
    return {"defaults": {"purpose": "求决"}}


def gbk_csv(path: Path) -> Path:
    """The same kind of ledger as a CSV saved by Excel on a Chinese Windows (GBK)."""
    rows = [
        ["姓名", "身份证号码", "联系电话", "登记日期", "来源", "主要内容", "属地", "问题类别", "信访目的"],
        [
            "孙丽",
            "",
            "13811112222",
            "2026-09-01",
            "网上信访",
            "反映某工地拖欠农民工工资三个月，要求支付。",
            "城关街道",
            "拖欠农民工工资",
            "求决",
        ],
        [
            "周强",
            "",
            "13922223333",
            "2026年10月5日",
            "来访",
            "反映集体土地征收补偿安置不到位。",
            "城东街道",
            "集体土地征收补偿安置",
            "求决",
        ],
        ["吴刚", "1.10105E+17", "13733334444", "2026.11.10", "电话", "建议增设公交站点。", "城关街道", "", "意见建议"],
    ]
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# The sheet the national-system export writes is the sheet the import reads: one list of headers for both.
NATIONAL_HEADERS = list(HEADERS)


def national_sheet(path: Path) -> Path:
    """The national 信访信息系统 export layout (mission-anchors §2.3), statuses from open to closed, one repeat."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信访件"
    ws.append(NATIONAL_HEADERS)
    org = "浙江省/示范市/示范县信访局"
    ws.append(
        [
            "3312212026000101",
            "孙丽",
            1,
            "示范县城关街道东街1号",
            "13811112222",
            "浙江省/示范市/示范县/城关街道",
            "求决",
            "劳动和社会保障_劳动报酬_拖欠农民工工资",
            "2026-09-01",
            "2026-09-02",
            "2026-10-31",
            "网上信访",
            "反映某工地拖欠农民工工资三个月，要求支付。",
            "否",
            "是",
            "否",
            "受理",
            org,
            "王文",
        ]
    )
    ws.append(
        [
            "3312212026000102",
            "周强",
            6,
            "示范县城东街道",
            "13922223333",
            "浙江省/示范市/示范县/城东街道",
            "求决",
            "城乡建设_征地拆迁_集体土地征收补偿安置",
            "2026-01-05",
            "2026-01-05",
            "",
            "来访",
            "反映集体土地征收补偿安置不到位。",
            "是",
            "是",
            "是",
            "审核认定办结",
            org,
            "王文",
        ]
    )
    ws.append(
        [
            "3312212026000103",
            "吴刚",
            1,
            "",
            "13733334444",
            "城关街道",
            "意见建议",
            "城乡建设",
            "2026-11-10",
            "2026-11-10",
            "",
            "手机信访",
            "建议增设公交站点。",
            "否",
            "是",
            "否",
            "受理申请审查中",
            org,
            "李青",
        ]
    )
    ws.append(
        [
            "3312212026000104",
            "孙丽",
            1,
            "示范县城关街道东街1号",
            "13811112222",
            "浙江省/示范市/示范县/城关街道",
            "求决",
            "劳动和社会保障_劳动报酬_拖欠农民工工资",
            "2026-10-20",
            "2026-10-20",
            "",
            "来访",
            "再次反映某工地拖欠农民工工资三个月，要求尽快支付。",
            "否",
            "否",
            "否",
            "受理",
            org,
            "王文",
        ]
    )
    ws.append(
        [
            "3312212026000105",
            "郑华",
            1,
            "",
            "13644445555",
            "城东街道",
            "申诉",
            "劳动和社会保障",
            "2026-02-01",
            "2026-02-01",
            "",
            "来信",
            "对劳动仲裁结果不服提出申诉。",
            "否",
            "是",
            "否",
            "不予受理",
            org,
            "李青",
        ]
    )
    wb.save(path)
    return path


def ods_sheet(path: Path, rows: list[list[object]], name: str = "台账") -> Path:
    """A minimal OpenDocument spreadsheet written by hand (no ODS writer is installed): text cells only."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="{escape(name)}">{cells}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    mime = "application/vnd.oasis.opendocument.spreadsheet"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path
