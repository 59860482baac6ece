"""Turn an intake JSON object (`case add`, `case submit`) into validated requests, or list every problem."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import TypeVar

from xinfang_desktop.core.cases import IntakeRequest, PetitionerData, SubmissionData
from xinfang_desktop.core.codes import (
    Channel,
    Destination,
    IdType,
    LabelledEnum,
    OfficeLevel,
    Purpose,
    destination_for_level,
)
from xinfang_desktop.core.errors import DomainError, FieldProblem, ValidationError
from xinfang_desktop.core.field_rules import (
    check_address,
    check_headcount,
    check_name,
    check_phone,
    check_representatives,
    check_summary,
    check_text,
    parse_date,
)
from xinfang_desktop.core.id_numbers import validate_id_number
from xinfang_desktop.core.litigation_separation import judicial_unit_warning
from xinfang_desktop.core.phone_numbers import validate_phone

CASE_KEYS = frozenset(
    {
        "petitioner", "channel", "received_on", "purpose", "summary", "headcount", "category", "locality",
        "accused_units", "representatives", "level", "destination", "abnormal", "responsible_unit",
        "first_submission",
    }
)  # fmt: skip
SUBMISSION_KEYS = frozenset({"channel", "received_on", "level", "destination", "headcount", "abnormal"})
PETITIONER_KEYS = frozenset({"name", "id_type", "id_number", "phone", "address"})
MAX_ACCUSED_UNITS = 20

E = TypeVar("E", bound=LabelledEnum)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []
        self.warnings: list[str] = []

    def add(self, problems: list[FieldProblem]) -> bool:
        self.problems.extend(problems)
        return not problems

    def enum(self, cls: type[E], value: object, field: str, label: str, default: E | None) -> E | None:
        if value is None or value == "":
            if default is None:
                self.problems.append(FieldProblem(field, label, "不能为空"))
            return default
        if not isinstance(value, str):
            self.problems.append(FieldProblem(field, label, "应为文本"))
            return default
        try:
            return cls.parse(value, field=field)
        except DomainError as exc:
            self.problems.append(FieldProblem(field, label, exc.message))
            return default

    def flag(self, value: object, field: str, label: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problems.append(FieldProblem(field, label, "应为 true 或 false"))
            return False
        return value

    def unknown_keys(self, data: Mapping[str, object], allowed: frozenset[str], prefix: str = "") -> None:
        for key in sorted(set(data) - allowed):
            self.problems.append(FieldProblem(prefix + key, prefix + key, "不认识的字段"))


def _optional_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _person(
    col: _Collector, data: object, prefix: str, label: str, today: date, regions: Collection[str] | None
) -> PetitionerData | None:
    if not isinstance(data, Mapping):
        col.problems.append(FieldProblem(prefix.rstrip("."), label, "应为对象（含 name、id_number、phone、address）"))
        return None
    col.unknown_keys(data, PETITIONER_KEYS, prefix)
    name, id_number, phone = data.get("name"), data.get("id_number"), data.get("phone")
    col.add(check_name(name, prefix + "name", f"{label}姓名"))
    col.add(check_address(data.get("address"), prefix + "address", f"{label}住址"))
    id_type = col.enum(IdType, data.get("id_type"), prefix + "id_type", "证件类型", IdType.NONE)
    normalized_id: str | None = None
    if isinstance(id_number, str) and id_number.strip():
        if id_type is IdType.NONE:
            id_type = IdType.RESIDENT_ID
        if id_type is IdType.RESIDENT_ID:
            result = validate_id_number(id_number, today=today, known_region_codes=regions)
            col.add([FieldProblem(prefix + "id_number", f"{label}身份证号码", e) for e in result.errors])
            col.warnings.extend(f"{label}身份证号码：{w}" for w in result.warnings)
            normalized_id = result.normalized if result.valid else None
        else:
            col.add(check_text(prefix + "id_number", f"{label}证件号码", id_number, max_length=32))
            normalized_id = id_number.strip()
    elif id_number is not None and not isinstance(id_number, str):
        col.problems.append(FieldProblem(prefix + "id_number", f"{label}身份证号码", "应为文本"))
    normalized_phone: str | None = None
    if col.add(check_phone(phone, prefix + "phone", f"{label}联系电话")) and isinstance(phone, str) and phone.strip():
        checked = validate_phone(phone)
        normalized_phone = checked.normalized
        col.warnings.extend(f"{label}联系电话：{w}" for w in checked.warnings)
    if not isinstance(name, str):
        return None
    return PetitionerData(
        name=name.strip(),
        id_type=id_type or IdType.NONE,
        id_number=normalized_id,
        phone=normalized_phone,
        address=_optional_text(data.get("address")),
    )


def _submission(col: _Collector, data: Mapping[str, object], today: date) -> SubmissionData | None:
    channel = col.enum(Channel, data.get("channel"), "channel", "信访形式", None)
    received_on, problems = parse_date("received_on", "收到日期", data.get("received_on"), today=today)
    col.add(problems)
    level = col.enum(OfficeLevel, data.get("level"), "level", "信访层级", OfficeLevel.COUNTY)
    destination = None
    if data.get("destination") not in (None, ""):
        destination = col.enum(Destination, data.get("destination"), "destination", "去向", None)
    elif level is not None:
        destination = destination_for_level(level)
    headcount = data.get("headcount", 1)
    col.add(check_headcount(headcount))
    abnormal = col.flag(data.get("abnormal"), "abnormal", "非正常上访")
    if abnormal and channel is not Channel.VISIT:
        col.problems.append(FieldProblem("abnormal", "非正常上访", "只有来访才能标记为非正常上访"))
    if destination is not None and level is not None and destination.level is not level:
        col.problems.append(
            FieldProblem("destination", "去向", f"“{destination.label}”与信访层级“{level.label}”不一致")
        )
    if channel is None or received_on is None or level is None or not isinstance(headcount, int):
        return None
    return SubmissionData(channel, received_on, level, destination, headcount, abnormal)


def parse_submission(data: object, *, today: date) -> tuple[SubmissionData, list[str]]:
    """A later submission (`case submit`): channel, received_on, level, destination, headcount, abnormal."""
    if not isinstance(data, Mapping):
        raise ValidationError([FieldProblem("$", "输入", "应为一个 JSON 对象")])
    col = _Collector()
    col.unknown_keys(data, SUBMISSION_KEYS)
    sub = _submission(col, data, today)
    if col.problems or sub is None:
        raise ValidationError(col.problems or [FieldProblem("$", "输入", "无效")])
    return sub, col.warnings


def parse_intake(
    data: object, *, today: date, known_region_codes: Collection[str] | None = None
) -> tuple[IntakeRequest, list[str]]:
    """A new case (`case add`): every problem is collected and raised together; warnings are returned."""
    if not isinstance(data, Mapping):
        raise ValidationError([FieldProblem("$", "输入", "应为一个 JSON 对象")])
    col = _Collector()
    col.unknown_keys(data, CASE_KEYS)
    if "petitioner" not in data:
        col.problems.append(FieldProblem("petitioner", "信访人", "不能为空"))
        petitioner = None
    else:
        petitioner = _person(col, data["petitioner"], "petitioner.", "信访人", today, known_region_codes)
    sub = _submission(col, data, today)
    purpose = col.enum(Purpose, data.get("purpose"), "purpose", "信访目的", None)
    summary = data.get("summary")
    col.add(check_summary(summary))
    reps_raw = data.get("representatives")
    representatives: list[PetitionerData] = []
    if col.add(check_representatives(reps_raw)) and isinstance(reps_raw, list):
        for i, rep in enumerate(reps_raw):
            person = _person(col, rep, f"representatives[{i}].", f"代表{i + 1}", today, known_region_codes)
            if person:
                representatives.append(person)
    if representatives and sub is not None and sub.headcount < len(representatives):
        col.problems.append(FieldProblem("headcount", "人数", f"少于代表人数（{len(representatives)}人）"))
    accused_raw = data.get("accused_units") or []
    accused: list[str] = []
    if not isinstance(accused_raw, list) or len(accused_raw) > MAX_ACCUSED_UNITS:
        col.problems.append(FieldProblem("accused_units", "被控告单位", f"应为不超过{MAX_ACCUSED_UNITS}个名称的列表"))
    else:
        for i, name in enumerate(accused_raw):
            if col.add(check_text(f"accused_units[{i}]", "被控告单位", name, max_length=128)):
                accused.append(str(name).strip())
    for key, label in (("category", "内容分类"), ("locality", "问题属地"), ("responsible_unit", "责任单位")):
        col.add(check_text(key, label, data.get(key), max_length=128, required=False))
    judicial = judicial_unit_warning(_optional_text(data.get("responsible_unit")))
    if judicial:
        col.warnings.append(f"责任单位：{judicial}")  # 诉访分离 (R-LC-09): a warning, not a refusal
    first = data.get("first_submission", True)
    if not isinstance(first, bool):
        col.problems.append(FieldProblem("first_submission", "初信初访", "应为 true 或 false"))
    if col.problems or petitioner is None or sub is None or purpose is None or not isinstance(summary, str):
        raise ValidationError(col.problems or [FieldProblem("$", "输入", "无效")])
    request = IntakeRequest(
        petitioner=petitioner,
        submission=sub,
        purpose=purpose,
        summary=summary.strip(),
        category_code=_optional_text(data.get("category")),
        locality_code=_optional_text(data.get("locality")),
        responsible_unit=_optional_text(data.get("responsible_unit")),
        accused_units=tuple(accused),
        representatives=tuple(representatives),
        first_submission=bool(first),
    )
    return request, col.warnings
