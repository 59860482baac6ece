"""What every document type shares: input validation with Chinese messages, petitioner and deadline inputs,
masking of personal data, and the building blocks of the body (paragraphs, headings, the contact note); the frame
around the body (issuer, addressee, signature) is :mod:`_frame`'s."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Generic, TypeVar

from xinfang_desktop.core.accusation_guard import CONFIDENTIAL, refusal, scope_of_names
from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.field_rules import check_id_number, check_phone, check_text
from xinfang_desktop.core.masking import mask_id_number, mask_phone
from xinfang_desktop.core.workdays import cn_date
from xinfang_desktop.documents.model import (
    Block,
    Layout,
    OfficialDocument,
    Paragraph,
    ParagraphKind,
)
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types._schema import FieldSpec, note, root_schema

__all__ = [
    "REGULATION",
    "Deadline",
    "DocumentTypeSpec",
    "Petitioner",
    "Reader",
    "body",
    "cn_date",
    "h1",
    "h2",
    "mask_id_number",
    "mask_phone",
    "plain",
]

REGULATION = "《信访工作条例》"
_PLACEHOLDER_DATE = date(1970, 1, 1)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ------------------------------------------------------------------------------------------------ validation


class Reader:
    """Reads one JSON object field by field, collecting every problem; `finish()` raises them all at once.

    Keys that no reader asked for are reported as 不认识的字段, so a misspelt key never silently drops content.
    A required value that is missing yields a placeholder (empty text, 1970-01-01) that `finish()` never lets escape.
    """

    def __init__(
        self,
        data: object,
        prefix: str = "",
        problems: list[FieldProblem] | None = None,
        schema: list[FieldSpec] | None = None,
    ) -> None:
        self.problems: list[FieldProblem] = [] if problems is None else problems
        self.prefix = prefix
        # Where the fields read are described (see _schema): the 文书 form is built from this record.
        self.schema = schema if schema is not None else (root_schema() if prefix == "" else None)
        self._seen: set[str] = set()
        self._children: list[Reader] = []
        if isinstance(data, Mapping):
            self.data: Mapping[str, Any] = data
        else:
            self.data = {}
            where = prefix.rstrip(".") or "输入"
            self.problems.append(FieldProblem(where, where, "应为 JSON 对象（{…}）"))

    def _key(self, key: str) -> str:
        self._seen.add(key)
        return self.prefix + key

    def problem(self, key: str, label: str, reason: str) -> None:
        self.problems.append(FieldProblem(self.prefix + key, label, reason))

    def has(self, key: str) -> bool:
        value = self.data.get(key)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def opt_text(self, key: str, label: str, *, max_length: int = 200, multiline: bool = False) -> str | None:
        note(self.schema, FieldSpec(key, label, "text", multiline=multiline or max_length > 200))
        field = self._key(key)
        value = self.data.get(key)
        found = check_text(field, label, value, max_length=max_length, required=False, multiline=multiline)
        self.problems.extend(found)
        if found or not isinstance(value, str) or not value.strip():
            return None
        return value.strip()

    def text(self, key: str, label: str, *, max_length: int = 200, multiline: bool = False) -> str:
        note(self.schema, FieldSpec(key, label, "text", True, multiline or max_length > 200))
        field = self._key(key)
        value = self.data.get(key)
        found = check_text(field, label, value, max_length=max_length, required=True, multiline=multiline)
        self.problems.extend(found)
        return value.strip() if not found and isinstance(value, str) else ""

    def texts(self, key: str, label: str, *, min_items: int = 0, max_length: int = 500) -> tuple[str, ...]:
        """A list of non-empty texts (paragraphs, units, measures)."""
        note(self.schema, FieldSpec(key, label, "texts", min_items > 0, max_length > 200))
        field = self._key(key)
        value = self.data.get(key)
        if value is None:
            if min_items:
                self.problems.append(FieldProblem(field, label, f"不能为空（至少{min_items}项）"))
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problems.append(FieldProblem(field, label, "应为文本列表"))
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            found = check_text(f"{field}[{i}]", f"{label}第{i + 1}项", item, max_length=max_length, multiline=True)
            self.problems.extend(found)
            if not found and isinstance(item, str):
                out.append(item.strip())
        if len(value) < min_items:
            self.problems.append(FieldProblem(field, label, f"至少应有{min_items}项（现为{len(value)}项）"))
        return tuple(out)

    def opt_date(self, key: str, label: str) -> date | None:
        note(self.schema, FieldSpec(key, label, "date"))
        field = self._key(key)
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
            self.problems.append(FieldProblem(field, label, f"日期格式错误：“{value}”，应为 YYYY-MM-DD"))
            return None
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            self.problems.append(FieldProblem(field, label, f"不是有效的日期：“{value}”"))
            return None
        if not 2000 <= parsed.year <= 2199:
            self.problems.append(FieldProblem(field, label, f"年份{parsed.year}超出范围（2000–2199）"))
            return None
        return parsed

    def date(self, key: str, label: str) -> date:
        note(self.schema, FieldSpec(key, label, "date", True))
        had = len(self.problems)
        value = self.opt_date(key, label)
        if value is None and len(self.problems) == had:
            self.problem(key, label, "不能为空（格式 YYYY-MM-DD）")
        return value or _PLACEHOLDER_DATE

    def integer(self, key: str, label: str, *, low: int, high: int, default: int | None = None) -> int:
        note(self.schema, FieldSpec(key, label, "integer", default is None, low=low, high=high))
        field = self._key(key)
        value = self.data.get(key)
        if value is None:
            if default is None:
                self.problems.append(FieldProblem(field, label, "不能为空"))
                return low
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(FieldProblem(field, label, f"应为整数，现为“{value}”"))
            return low
        if not low <= value <= high:
            self.problems.append(FieldProblem(field, label, f"应在{low}到{high}之间，现为{value}"))
            return low
        return value

    def flag(self, key: str, label: str, *, default: bool = False) -> bool:
        note(self.schema, FieldSpec(key, label, "flag"))
        field = self._key(key)
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problems.append(FieldProblem(field, label, "应为 true 或 false"))
            return default
        return value

    def choice(self, key: str, label: str, options: Sequence[str], *, default: str | None = None) -> str:
        note(self.schema, FieldSpec(key, label, "choice", default is None, options=tuple(options)))
        field = self._key(key)
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is not None:
                return default
            self.problems.append(FieldProblem(field, label, f"不能为空，可选：{'、'.join(options)}"))
            return options[0]
        if not isinstance(value, str) or value.strip() not in options:
            self.problems.append(FieldProblem(field, label, f"“{value}”无效，可选：{'、'.join(options)}"))
            return options[0]
        return value.strip()

    def child(self, key: str, label: str, *, required: bool = True) -> Reader | None:
        """A nested object, read with its own Reader sharing this one's problem list."""
        spec = note(self.schema, FieldSpec(key, label, "object", required))
        field = self._key(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(FieldProblem(field, label, "不能为空"))
            return None
        reader = Reader(value, field + ".", self.problems, spec.fields if self.schema is not None else None)
        self._children.append(reader)
        return reader

    def obj(self, key: str, label: str) -> Reader:
        """A required nested object; when it is missing, one problem is reported and its fields stay silent."""
        found = self.child(key, label, required=True)
        if found is not None:
            return found
        silent = Reader({}, self.prefix + key + ".", [])
        return silent

    def children(self, key: str, label: str, *, min_items: int = 0) -> list[Reader]:
        spec = note(self.schema, FieldSpec(key, label, "objects", min_items > 0))
        rows = spec.fields if self.schema is not None else None
        field = self._key(key)
        value = self.data.get(key)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.problems.append(FieldProblem(field, label, "应为对象列表（[{…}, …]）"))
            return []
        if len(value) < min_items:
            self.problems.append(FieldProblem(field, label, f"至少应有{min_items}项（现为{len(value)}项）"))
        readers = [Reader(item, f"{field}[{i}].", self.problems, rows) for i, item in enumerate(value)]
        self._children.extend(readers)
        return readers

    def _unknown(self) -> None:
        for key in self.data:
            if key not in self._seen:
                self.problems.append(FieldProblem(self.prefix + str(key), self.prefix + str(key), "不认识的字段"))
        for c in self._children:
            c._unknown()

    def finish(self) -> None:
        """Raise every problem found (and every unknown key) as one ValidationError."""
        self._unknown()
        if self.problems:
            raise ValidationError(list(dict.fromkeys(self.problems)))


# ------------------------------------------------------------------------------------------------ masking


# mask_id_number and mask_phone live in core.masking (one rule for screens, exports and documents)


# ------------------------------------------------------------------------------------------------ shared inputs


@dataclass(frozen=True)
class Petitioner:
    """信访人 as a document names them; `masked()` is the form used on documents to units."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None

    @classmethod
    def read(cls, r: Reader | None) -> Petitioner:
        if r is None:
            return cls("")
        name = r.text("name", "信访人姓名", max_length=64)
        id_number = r.opt_text("id_number", "身份证号码", max_length=32)
        if id_number and (len(id_number) in (15, 18)) and id_number[:14].isdigit():
            r.problems.extend(check_id_number(id_number, r.prefix + "id_number", "身份证号码", today=date.today()))
        phone = r.opt_text("phone", "联系电话", max_length=32)
        if phone:
            r.problems.extend(check_phone(phone, r.prefix + "phone", "联系电话"))
        address = r.opt_text("address", "住址", max_length=200)
        return cls(name, id_number, phone, address)

    def for_unit(self) -> str:
        """姓名（身份证号码 110105********002X，联系电话 …）: the ID number masked (documents to units)."""
        parts = []
        if self.id_number:
            parts.append(f"身份证号码{mask_id_number(self.id_number)}")
        if self.phone:
            parts.append(f"联系电话{self.phone}")
        if self.address:
            parts.append(f"住址{self.address}")
        return self.name + (f"（{'，'.join(parts)}）" if parts else "")

    def to_json(self) -> dict[str, str]:
        out = {"name": self.name}
        for key in ("id_number", "phone", "address"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


def read_petitioner(r: Reader, key: str = "petitioner") -> Petitioner:
    return Petitioner.read(r.obj(key, "信访人"))


ACCUSER = "检举控告人"


@dataclass(frozen=True)
class UnitAddressing:
    """How a document to a unit names the case's people: the ID number masked; for an accusation (检举控告) the
    accuser is never named and the accused units may not receive it (R-LC-07, 条例 art 30 ¶3 and art 46(五))."""

    accusation: bool
    accused_units: tuple[str, ...]

    @classmethod
    def read(cls, r: Reader, to_unit_key: str, to_unit: str) -> UnitAddressing:
        accusation = r.flag("accusation", "是否检举控告类事项")
        accused = r.texts("accused_units", "被检举控告单位", max_length=128)
        # By name only here (no register at hand); the register's hierarchy and the stored case are applied before
        # a document is numbered (_addressed.guard_addressed).
        why = refusal(scope_of_names(accused), to_unit)
        if why:
            r.problem(to_unit_key, "承办单位", why)
        if accused and not accusation:
            accusation = True
        return cls(accusation, accused)

    def petitioner(self, case: CaseHeader) -> str:
        if self.accusation:
            return CONFIDENTIAL
        return case.petitioner.for_unit()

    def summary(self, case: CaseHeader) -> str:
        text = case.topic()
        if self.accusation:  # the accuser's particulars, wherever the summary repeats them
            p = case.petitioner
            for secret, instead in (
                (p.address, "（略）"),
                (p.id_number, "（略）"),
                (p.phone, "（略）"),
                (p.name, ACCUSER),
            ):
                if secret and len(secret.strip()) >= 2:
                    text = text.replace(secret.strip(), instead)
        return text

    def confidentiality(self) -> tuple[Paragraph, ...]:
        """The paragraph that closes a document to a unit about an accusation; none for other matters."""
        if not self.accusation:
            return ()
        return (
            body(
                f"本件属检举控告类信访事项。依照{REGULATION}第三十条第三款和第四十六条的规定，请严格保密，"
                f"不得将检举控告材料转给或者透露给被检举控告的人员和单位，不得泄露{ACCUSER}的姓名、住址等信息。"
            ),
        )

    def to_json(self) -> dict[str, object]:
        return {"accusation": self.accusation, "accused_units": list(self.accused_units)}


@dataclass(frozen=True)
class Deadline:
    """A clock printed on a document: when it starts and ends. ``explanation`` (the engine's, with its rule) and
    ``provisional`` (R-TM-05) are for the clerk: they are shown on screen before issuing, never printed."""

    rule: str | None
    start: date
    due: date
    explanation: str
    provisional: bool = False

    @classmethod
    def read(cls, r: Reader | None) -> Deadline | None:
        if r is None:
            return None
        rule = r.opt_text("rule", "期限规则", max_length=16)
        start = r.date("start", "期限起算日")
        due = r.date("due", "期限届满日")
        explanation = r.text("explanation", "期限说明", max_length=500)
        provisional = r.flag("provisional", "期限是否暂定")
        if start != _PLACEHOLDER_DATE and due != _PLACEHOLDER_DATE and due < start:
            r.problem("due", "期限届满日", f"{cn_date(due)}早于起算日{cn_date(start)}")
        return cls(rule, start, due, explanation, provisional)

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "explanation": self.explanation,
            "provisional": self.provisional,
        }


def read_deadline(r: Reader, key: str, label: str, *, required: bool = True) -> Deadline | None:
    return Deadline.read(r.child(key, label, required=required))


CHANNELS = ("来信", "来访", "网上信访", "电话", "领导信箱")


@dataclass(frozen=True)
class CaseHeader:
    """The case a document is about: its number, the petitioner, when and how it came in, what it is about."""

    case_number: str
    petitioner: Petitioner
    received_on: date
    channel: str
    summary: str

    @classmethod
    def read(cls, r: Reader) -> CaseHeader:
        return cls(
            case_number=r.text("case_number", "信访事项编号", max_length=32),
            petitioner=read_petitioner(r),
            received_on=r.date("received_on", "收到信访事项日期"),
            channel=r.choice("channel", "信访形式", CHANNELS, default="来信"),
            summary=r.text("summary", "信访事项内容", max_length=2000, multiline=True),
        )

    def matter(self, *, you: str = "你") -> str:
        """你于2026年11月20日以来访形式反映的“…”一事（信访事项编号：XF2026-000001）."""
        summary = self.topic()
        return (
            f"{you}于{cn_date(self.received_on)}以{self.channel}形式反映的“{summary}”"
            f"一事（信访事项编号：{self.case_number}）"
        )

    def topic(self) -> str:
        """The summary as the object of 反映: without a leading 反映 and the final full stop."""
        text = self.summary.strip().rstrip("。")
        return text[2:].lstrip("：:，, ") if text.startswith("反映") and len(text) > 4 else text

    def to_json(self) -> dict[str, object]:
        return {
            "case_number": self.case_number,
            "petitioner": self.petitioner.to_json(),
            "received_on": self.received_on.isoformat(),
            "channel": self.channel,
            "summary": self.summary,
        }


def issued(r: Reader, key: str = "issued_on") -> date:
    """成文日期: given, or today."""
    return r.opt_date(key, "成文日期") or date.today()


def check_order(r: Reader, earlier: tuple[str, str, date], later: tuple[str, str, date]) -> None:
    """`later` may not be before `earlier` (both (key, label, value)); placeholders are ignored."""
    if _PLACEHOLDER_DATE in (earlier[2], later[2]):
        return
    if later[2] < earlier[2]:
        r.problem(later[0], later[1], f"{cn_date(later[2])}早于{earlier[1]}{cn_date(earlier[2])}")


# ------------------------------------------------------------------------------------------------ body blocks


def body(text: str) -> Paragraph:
    return Paragraph.of(text, ParagraphKind.BODY)


def plain(text: str) -> Paragraph:
    return Paragraph.of(text, ParagraphKind.PLAIN)


def h1(text: str) -> Paragraph:
    return Paragraph.of(text, ParagraphKind.HEADING1)


def h2(text: str) -> Paragraph:
    return Paragraph.of(text, ParagraphKind.HEADING2)


def h3(text: str) -> Paragraph:
    return Paragraph.of(text, ParagraphKind.HEADING3)


CN_NUMBERS = "一二三四五六七八九十"


def cn_index(i: int) -> str:
    """1 → 一, 11 → 十一 (heading numbers up to 99)."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def contact_note(office: OfficeInfo) -> str | None:
    parts = [p for p in (office.address and f"地址：{office.address}", office.phone and f"电话：{office.phone}") if p]
    return f"（{'，'.join(parts)}）" if parts else None


def case_metadata(case_number: str | None, **extra: str | None) -> dict[str, str]:
    data = {"case_number": case_number} if case_number else {}
    data.update({k: v for k, v in extra.items() if v})
    return data


def blocks(*items: Block | Sequence[Block] | None) -> tuple[Block, ...]:
    out: list[Block] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, Paragraph) or not isinstance(item, Sequence):
            out.append(item)
        else:
            out.extend(item)
    return tuple(out)


# ------------------------------------------------------------------------------------------------ number, names

#: The input key of a 文号 the clerk typed (a 交办文号): printed as typed instead of the next from the sequence.
NUMBER_KEY = "number"
_NUMBER_RE = re.compile(
    r"^(?P<code>\S{1,24}?)\s*[〔［\[（(【]\s*(?P<year>\d{4})\s*[〕］\]）)】]\s*(?P<seq>\d{1,6})\s*号$"
)


def typed_number(data: Mapping[str, Any]) -> tuple[dict[str, Any], str | None, int | None]:
    """``data`` without its typed 文号, the number as printed (六角括号, GB/T 9704 7.2.4) and its year.

    示信交[2026]12号 → 示信交〔2026〕12号; anything that is not 机关代字〔年份〕序号号 is refused (Chinese, per
    field)."""
    rest = {k: v for k, v in data.items() if k != NUMBER_KEY}
    value = data.get(NUMBER_KEY)
    if value is None or (isinstance(value, str) and not value.strip()):
        return rest, None, None
    found = _NUMBER_RE.match(value.strip()) if isinstance(value, str) else None
    if found is None:
        reason = f"“{value}”不是发文字号的格式，应为“机关代字〔年份〕序号号”，如 示信交〔2026〕12号"
        raise ValidationError([FieldProblem(NUMBER_KEY, "文号", reason)])
    year = int(found["year"])
    return rest, f"{found['code']}〔{year}〕{int(found['seq'])}号", year


#: Input fields that hold the name of a person (or of a leader by post and name): each is drawn in one typeface.
NAME_FIELDS = frozenset(
    {"name", "recipient_name", "leader", "to_leader", "server", "signatory", "first_signatory", "second_signatory"}
)


def names_in(parsed: object) -> tuple[str, ...]:
    """The people an input names (a petitioner's name, the leader a slip is addressed to …), in order, once each."""
    out: list[str] = []

    def walk(value: object, key: str, depth: int) -> None:
        if depth > 6:
            return
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), f.name, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, key, depth + 1)
        elif isinstance(value, str) and key in NAME_FIELDS and 2 <= len(value.strip()) <= 24:
            out.append(value.strip())

    walk(parsed, "", 0)
    return tuple(dict.fromkeys(out))


# ------------------------------------------------------------------------------------------------ the spec


InputT = TypeVar("InputT")


@dataclass(frozen=True)
class DocumentTypeSpec(Generic[InputT]):
    """One document type: id, Chinese label, layout, whether a stored case can supply its input, and its functions.

    `from_json` raises ValidationError (Chinese, per field); `build(input, office, number)` makes the document;
    `sample()` is an example input that builds without error.
    """

    type_id: str
    label: str
    layout: Layout
    from_case: bool
    from_json: Callable[[Mapping[str, Any]], InputT]
    build: Callable[[InputT, OfficeInfo, str | None], OfficialDocument]
    sample: Callable[[], dict[str, Any]]
    issued_on: Callable[[InputT], date]

    def make(self, parsed: InputT, office: OfficeInfo, number: str | None = None) -> OfficialDocument:
        """Build the document from a validated input, with the names it mentions (each kept in one typeface)."""
        doc = self.build(parsed, office, number)
        names = tuple(dict.fromkeys((*doc.names, *names_in(parsed))))
        return replace(doc, names=names) if names != doc.names else doc

    def document(self, data: Mapping[str, Any], office: OfficeInfo, number: str | None = None) -> OfficialDocument:
        """Validate `data` and build the document (the whole path from JSON input to the model); a typed 文号
        in the input (``number``) is the one printed."""
        rest, typed, _year = typed_number(data)
        return self.make(self.from_json(rest), office, typed or number)

    def year(self, data: Mapping[str, Any]) -> int:
        """The year of the document number: the year of a typed 文号, else of its 成文日期."""
        rest, _typed, year = typed_number(data)
        return year or self.issued_on(self.from_json(rest)).year


# ------------------------------------------------------------------------------------------------ samples

SAMPLE_PETITIONER: dict[str, str] = {
    "name": "张伟",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "address": "示范县城关街道东街社区1号",
}


def sample_case(**extra: object) -> dict[str, object]:
    """The case every sample is about (fictional person, the example county's names)."""
    data: dict[str, object] = {
        "case_number": "XF2026-000001",
        "petitioner": dict(SAMPLE_PETITIONER),
        "received_on": "2026-03-02",
        "channel": "来访",
        "summary": "征地拆迁补偿款未足额发放，要求补发拖欠的补偿款",
    }
    data.update(extra)
    return data


SAMPLE_DL06: dict[str, object] = {
    "rule": "R-DL-06",
    "start": "2026-03-05",
    "due": "2026-05-06",
    "explanation": "自2026年3月5日受理之次日起计算60日，届满日2026年5月4日为法定节假日，顺延至2026年5月6日"
    "（《信访工作条例》第三十四条）。",
    "provisional": False,
}
