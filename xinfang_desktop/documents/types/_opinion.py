"""What the three opinions (处理意见书, 复查意见书, 复核意见书) share: the findings, the decision, the clock of the
stage, the earlier decision under review and the remedy notice (R-DL-08/10) or the final note (R-LC-03)."""

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


def remedy_text(kind: str, organ: str, days: int) -> str:
    """The remedy notice: 复查 after a 处理意见 (R-DL-08, art 35), 复核 after a 复查意见 (R-DL-10, art 36)."""
    if kind == "复查":
        return (
            f"如你对本处理意见不服，可以自收到本处理意见书之日起{days}日内，向{organ}书面请求复查"
            f"（{REGULATION}第三十五条）。逾期未请求复查的，本处理意见即为最终意见。"
        )
    return (
        f"如你对本复查意见不服，可以自收到本复查意见书之日起{days}日内，向{organ}书面请求复核"
        f"（{REGULATION}第三十六条）。逾期未请求复核的，本复查意见即为最终意见。"
    )


FINAL_NOTE = (
    f"本复核意见为该信访事项的最终处理意见。依照{REGULATION}第三十六条第三款，信访人对复核意见不服，"
    "仍然以同一事实和理由提出投诉请求的，各级党委和政府信访部门和其他机关、单位不再受理（R-LC-03）。"
)


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
        out.extend(body(f if f.endswith(("。", "！", "；", "：")) else f + "。") for f in findings)
        n += 1
    out.append(h1(f"{cn_index(n)}、处理意见"))
    out.append(body(decision_lead))
    out.extend(body(x if x.endswith(("。", "！", "；", "：")) else x + "。") for x in reasons)
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
        text += f"，法定期限至{cn_date(deadline.due)}届满。期限说明：{deadline.sentence()}"
    else:
        text += "。"
    return text
