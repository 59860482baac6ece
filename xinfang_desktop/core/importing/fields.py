"""The fields a column of an imported sheet can fill, and the header names (with synonyms) that name them."""

from __future__ import annotations

import re
from dataclasses import dataclass

IGNORE = "ignore"
LEAVE_BLANK = "-"  # in a value mapping: this value of the file leaves the field empty


@dataclass(frozen=True)
class TargetField:
    key: str
    label: str
    required: bool = False
    code_table: str | None = None  # channel, purpose, category, locality, responsible_unit, status: values normalised


FIELDS: tuple[TargetField, ...] = (
    TargetField("name", "信访人姓名", required=True),
    TargetField("id_number", "身份证号码"),
    TargetField("phone", "联系电话"),
    TargetField("address", "住址"),
    TargetField("channel", "信访形式", required=True, code_table="channel"),
    TargetField("received_on", "信访日期", required=True),
    TargetField("registered_on", "登记日期"),
    TargetField("purpose", "信访目的", required=True, code_table="purpose"),
    TargetField("summary", "概况", required=True),
    TargetField("headcount", "信访人数"),
    TargetField("category", "内容分类", code_table="category"),
    TargetField("locality", "问题属地", code_table="locality"),
    TargetField("responsible_unit", "责任单位", code_table="responsible_unit"),
    TargetField("external_number", "信访件编号"),
    TargetField("status", "信访件状态", code_table="status"),
    TargetField("closed", "是否办结"),
    TargetField("due_on", "限办时间"),
    TargetField("first_submission", "是否初次信访"),
    TargetField("collective", "联名信或集体访"),
    TargetField("registering_unit", "登记部门"),
    TargetField("registrar", "登记人"),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)
# A required field may be given one value for every row instead of a column (a 来访登记台账 has no 信访形式 column).
DEFAULTABLE_KEYS = ("channel", "purpose", "received_on", "headcount", "responsible_unit", "locality", "category")

# Header names, normalised (no spaces, brackets or punctuation), national-system layout first (mission-anchors §2.3).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "信访人", "信访人姓名", "来信人", "来访人", "来电人", "反映人", "投诉人", "当事人", "户主"),
    "id_number": ("身份证号码", "身份证号", "身份证", "证件号码", "公民身份号码", "身份证件号码", "证件号"),
    "phone": ("手机号码", "联系电话", "电话", "手机", "手机号", "联系方式", "电话号码", "固定电话"),
    "address": ("住址", "地址", "家庭住址", "现住址", "通讯地址", "户籍地址", "联系地址"),
    "channel": ("信访形式", "来源", "信访方式", "来信来访", "信访渠道", "形式", "渠道", "信访类型"),
    "received_on": ("信访日期", "来信日期", "来访日期", "来电日期", "收信日期", "信访时间", "来访时间", "日期", "时间"),
    "registered_on": ("登记日期", "登记时间", "录入日期", "受理日期"),
    "purpose": ("信访目的", "目的", "诉求类型"),
    "summary": ("概况", "主要内容", "反映问题", "信访内容", "反映内容", "问题概况", "诉求内容", "主要诉求", "内容摘要",
                "反映的主要问题", "事由", "内容"),
    "headcount": ("信访人数", "人数", "来访人数", "涉及人数"),
    "category": ("内容分类", "问题类别", "问题分类", "问题类型", "信访类别", "类别", "分类"),
    "locality": ("问题属地", "属地", "所属区域", "问题发生地", "所属乡镇", "乡镇", "乡镇街道", "地区"),
    "responsible_unit": ("责任单位", "承办单位", "事权单位", "交办单位", "处理单位", "主办单位", "处理部门",
                         "转办单位"),
    "external_number": ("信访件编号", "信访件号", "编号", "件号", "来信编号", "登记编号"),
    "status": ("信访件状态", "办理状态", "状态", "信访事项状态"),
    "closed": ("是否办结", "办结情况", "办结"),
    "due_on": ("限办时间", "限办日期", "办理期限", "办结时限"),
    "first_submission": ("是否全国初次信访", "是否初次信访", "初信初访", "初次信访"),
    "collective": ("联名信或集体访", "是否集体访", "集体访"),
    "registering_unit": ("登记部门", "登记机构", "登记单位"),
    "registrar": ("登记人", "录入人", "经办人"),
    IGNORE: ("序号", "原行号", "备注", "错误", "错误原因", "附件", "处理结果", "办理结果", "答复意见", "稳控措施"),
}  # fmt: skip
_BY_NAME = {name: key for key, names in SYNONYMS.items() for name in names}
_NOISE = re.compile(r"[\s　:：*＊()（）\[\]【】<>《》、/\\\-_.·]+")


def normalise_header(text: str) -> str:
    """A header cell as compared with the synonyms: no spaces, brackets, stars, punctuation."""
    return _NOISE.sub("", text)


def field_for_header(text: str) -> str | None:
    """The field a header names (exactly, after normalisation), or None. IGNORE for 序号, 备注 and the like."""
    return _BY_NAME.get(normalise_header(text))


def field_for_header_loose(text: str) -> str | None:
    """Exact first, then the longest synonym the header contains (“信访人身份证号” → id_number)."""
    exact = field_for_header(text)
    if exact is not None:
        return exact
    norm = normalise_header(text)
    if len(norm) < 2 or len(norm) > 20:
        return None
    best: tuple[int, str] | None = None
    for name, key in _BY_NAME.items():
        if len(name) >= 2 and name in norm and (best is None or len(name) > best[0]):
            best = (len(name), key)
    return best[1] if best else None
