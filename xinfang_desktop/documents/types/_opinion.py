"""What the three opinions (处理意见书, 复查意见书, 复核意见书) share: the findings, the decision, the clock of the
stage, the earlier decision under review and the remedy notice (R-DL-08/10) or the final note (R-LC-03).

The remedy chain (处理意见 → 复查 → 复核, then final) is worded here once; the 不再受理告知书 and the 送达回证 quote
it too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinfang_desktop.documents.model import Block
from xinfang_desktop.documents.types._common import (
    REGULATION,
    Deadline,
    Reader,
    body,
    cn_date,
    cn_index,
    h1,
)

OUTCOMES = ("予以支持", "解释说明", "不予支持")  # R-LC-02, 条例 art 32
REVIEW_OUTCOMES = ("维持", "撤销", "变更", "责令重新作出")  # R-LC-02


@dataclass(frozen=True)
class EarlierDecision:
    """The opinion under review: who made it, its number and date, its outcome."""

    organ: str
    number: str | None
    on: date
    outcome: str | None

    @classmethod
    def read(cls, r: Reader, label: str) -> EarlierDecision:
        return cls(
            organ=r.text("organ", f"{label}作出机关", max_length=128),
            number=r.opt_text("number", f"{label}文号", max_length=64),
            on=r.date("date", f"{label}日期"),
            outcome=r.opt_text("outcome", f"{label}结论", max_length=64),
        )

    def cite(self, what: str) -> str:
        ref = f"（{self.number}）" if self.number else ""
        outcome = f"，结论为“{self.outcome}”" if self.outcome else ""
        return f"{self.organ}于{cn_date(self.on)}作出的{what}{ref}{outcome}"


#: The remedy stage → the opinion it is requested against and the article granting it.
REMEDIES: dict[str, tuple[str, str]] = {
    "复查": ("处理意见", "第三十五条"),  # R-DL-08
    "复核": ("复查意见", "第三十六条"),  # R-DL-10
}

#: After a 复核意见 the same facts and reasons are not accepted again (R-LC-03, art 36 ¶3).
FINALITY = (
    f"依照{REGULATION}第三十六条第三款，信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，"
    "各级党委和政府信访部门和其他机关、单位不再受理"
)
FINAL_NOTE = f"本复核意见为该信访事项的最终处理意见。{FINALITY}。"


def remedy_text(kind: str, organ: str, days: int) -> str:
    """The remedy notice: 复查 after a 处理意见 (R-DL-08, art 35), 复核 after a 复查意见 (R-DL-10, art 36)."""
    opinion, article = REMEDIES[kind]
    return (
        f"如你对本{opinion}不服，可以自收到本{opinion}书之日起{days}日内，向{organ}书面请求{kind}"
        f"（{REGULATION}{article}）。逾期未请求{kind}的，本{opinion}即为最终意见。"
    )


def lapsed_text(kind: str) -> str:
    """Why an opinion stands when its remedy ``kind`` was not requested within the 30 日 (for 不再受理)."""
    opinion, article = REMEDIES[kind]
    return (
        f"你在收到{opinion}书后未在{REGULATION}{article}规定的30日内请求{kind}，{opinion}已经生效，"
        "你以同一事实和理由再次提出的，不再受理"
    )


def request_lead(kind: str, earlier: EarlierDecision, requested_on: date, organ: str, case_number: str) -> str:
    """The first paragraph of a 复查 or 复核 opinion: what was contested, when and where the request came in."""
    opinion, article = REMEDIES[kind]
    return (
        f"你不服{earlier.cite(opinion)}，于{cn_date(requested_on)}向{organ}请求{kind}"
        f"（信访事项编号：{case_number}）。依照{REGULATION}{article}，现将{kind}意见告知如下："
    )


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "！", "；", "：")) else text + "。"


def sections(
    findings: tuple[str, ...],
    decision_lead: str,
    reasons: tuple[str, ...],
    basis: tuple[str, ...],
    clock: str | None,
    closing: str,
    closing_title: str,
) -> list[Block]:
    """一、调查核实情况 二、处理意见 三、<closing_title> — with the stage's clock under the decision."""
    out: list[Block] = []
    n = 1
    if findings:
        out.append(h1(f"{cn_index(n)}、调查核实情况"))
        out.extend(body(_sentence(f)) for f in findings)
        n += 1
    out.append(h1(f"{cn_index(n)}、处理意见"))
    out.append(body(decision_lead))
    out.extend(body(_sentence(x)) for x in reasons)
    if basis:
        out.append(body("依据：" + "；".join(b.rstrip("。；") for b in basis) + "。"))
    if clock:
        out.append(body(clock))
    n += 1
    out.append(h1(f"{cn_index(n)}、{closing_title}"))
    out.append(body(closing))
    return out


def clock_text(stage: str, start_label: str, start: date, decided_on: date, deadline: Deadline | None) -> str:
    text = f"本事项于{cn_date(start)}{start_label}，{stage}于{cn_date(decided_on)}作出"
    if deadline:
        text += f"，法定期限至{cn_date(deadline.due)}届满。"
    else:
        text += "。"
    return text
