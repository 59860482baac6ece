"""Where the table is: header rows below titles, two-row merged headers, total rows, columns judged by content."""

from __future__ import annotations

from xinfang_desktop.core.importing.fields import field_for_header, field_for_header_loose
from xinfang_desktop.core.importing.layout import detect_header, guess_by_content, is_total_row
from xinfang_desktop.core.importing.values import Choice, propose


def test_header_below_title_rows() -> None:
    rows = [
        ["某县信访台账"],
        [None, "2026年"],
        ["序号", "来信人", "来信日期", "主要内容"],
        [1, "张三", "2026-01-02", "x"],
    ]
    guess = detect_header(rows)
    assert guess is not None and guess.row == 2 and guess.rows == 1
    assert guess.headers == ("序号", "来信人", "来信日期", "主要内容")


def test_two_row_merged_header_takes_the_sub_headers() -> None:
    rows = [
        ["序号", "信访人", "信访人", "信访人", "信访日期", "概况"],  # merged cells filled across by the reader
        [None, "姓名", "身份证号", "电话", None, None],
        [1, "张三", "11010519491231002X", "13800138000", "2026-01-02", "x"],
    ]
    guess = detect_header(rows)
    assert guess is not None and guess.rows == 2 and guess.row == 1
    assert guess.headers == ("序号", "姓名", "身份证号", "电话", "信访日期", "概况")


def test_synonyms_of_the_issue() -> None:
    for header, key in [
        ("信访人", "name"),
        ("来信人", "name"),
        ("来访日期", "received_on"),
        ("登记日期", "registered_on"),
        ("信访形式", "channel"),
        ("来源", "channel"),
        ("问题属地", "locality"),
        ("属地", "locality"),
        ("内容分类", "category"),
        ("问题类别", "category"),
        ("概况", "summary"),
        ("主要内容", "summary"),
        ("反映问题", "summary"),
        ("信访件编号", "external_number"),
        ("信访件状态", "status"),
        ("限办时间", "due_on"),
        ("姓 名", "name"),
        ("联系电话*", "phone"),
    ]:
        assert field_for_header(header) == key, header
    assert field_for_header_loose("信访人身份证号码") == "id_number"


def test_total_rows() -> None:
    assert is_total_row(["合计", None, 35]) and is_total_row([None, "总 计"]) and is_total_row(["共35件"])
    assert not is_total_row(["1", "张三"])


def test_columns_judged_by_content() -> None:
    assert guess_by_content(["11010519491231002X", "110105194912310021", None]) == "id_number"
    assert guess_by_content(["13800138000", "0571-88886666"]) == "phone"
    assert guess_by_content(["2026年3月2日", "2026.3.4", "2026/03/05"]) == "received_on"
    assert guess_by_content(["张三", "李四"]) is None


def test_value_proposals() -> None:
    cats = [
        Choice("01", "城乡建设"),
        Choice("0101", "城乡建设_征地拆迁"),
        Choice("010102", "城乡建设_征地拆迁_集体土地征收补偿安置"),
    ]
    assert propose("category", "城乡建设_征地拆迁_集体土地征收补偿安置", cats) == "010102"
    assert propose("category", "征地拆迁", cats) == "0101"
    assert propose("category", "城乡建设_不存在的小类", cats) == "01"  # the most specific level that is known
    regions = [Choice("331221", "示范县"), Choice("331221001", "城关街道")]
    assert propose("locality", "浙江省/示范市/示范县/城关街道", regions) == "331221001"
    assert propose("channel", "手机信访", []) == "网上信访" and propose("channel", "来电", []) == "电话"
    assert propose("status", "已办结", []) == "审核认定办结"
