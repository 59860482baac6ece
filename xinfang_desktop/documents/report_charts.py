"""The charts of the PDF reports (issue 14), drawn with reportlab's own graphics in the document's fonts.

Each chart is a :class:`~xinfang_desktop.documents.model.Figure` made from the same JSON data that fills the
report's tables (``PeriodReport.to_json()``, ``RankingReport.to_json()``): nothing is read again. A figure is as
wide as the GB/T 9704 text area (156 mm), at most one page of it high, and the documents engine keeps it whole on
one page. Black, greys and white only, for office laser printers: 本期 black, 去年同期 light grey with a black edge
(bars) or a grey dashed line with hollow rings (the trend); every bar and point has its value written beside it, so
nothing depends on telling greys apart. Titles in 黑体, labels in 宋体 at 10.5 pt (五号), values at 10 pt; every
string takes a font that has all its characters, and a character no font has stops the document as for text.

- :func:`trend_figure` — 月度趋势: this period's months against the same months a year earlier (the line of last
  year only when it has a figure);
- :func:`group_figures` — the grouping's 本期 批次: upright bars with 去年同期 beside them for a few short names
  (the destinations 来县/来市/到省/进京), lying bars for many or long ones, the share of each content category (the
  eight largest and 其余分类, with percentages) when the report is by category;
- :func:`ranking_figures` — 综合得分 bars of one grouping, the listed (挂牌整治) ones black and marked, 末位 marked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FallbackReport, FontSet
from xinfang_desktop.documents.model import Figure, FontRole

WIDTH = g.TEXT_WIDTH  # 156 mm
MAX_HEIGHT = g.LINES_PER_PAGE * g.LINE_PITCH - g.LINE_PITCH  # one grid line less than the text area: room to breathe
TITLE_SIZE = 12.0  # 小四 黑体
LABEL_SIZE = 10.5  # 五号 宋体: axis labels and names
VALUE_SIZE = 10.0
DARK = black
LIGHT = Color(0.78, 0.78, 0.78)
GRID = Color(0.85, 0.85, 0.85)
MID = Color(0.45, 0.45, 0.45)
TOP_CATEGORIES = 8
CHART_LINES = 8  # grid lines of a trend or an upright bar chart (8 × 28.95 pt ≈ 82 mm)
BAR_PITCH = 17.0  # pt per lying bar, down to MIN_BAR_PITCH when many
MIN_BAR_PITCH = 14.0


class _Faces:
    """Font names for strings: the role's first font that has every character of the string (noted in the
    report as a fallback); characters no one font covers together are noted missing (the document is refused)."""

    def __init__(self, fonts: FontSet, report: FallbackReport) -> None:
        self.fonts, self.report = fonts, report

    def key(self, role: FontRole, text: str) -> str:
        self.report.note(self.fonts, role, text)
        face = self.fonts.face_covering(role, text)
        if face is not None:
            return face.key
        primary = self.fonts.primary[role]
        for ch in text:
            if ch not in " \u3000" and not self.fonts.has(primary, ch) and ch not in self.report.missing:
                self.report.missing += ch  # a string is drawn in one font: mixed fonts are not done in charts
        return primary.key

    def string(
        self, x: float, y: float, text: str, *, role: FontRole = FontRole.SONGTI, size: float = LABEL_SIZE,
        anchor: str = "start", color: Color = black,
    ) -> String:  # fmt: skip
        return String(x, y, text, fontName=self.key(role, text), fontSize=size, textAnchor=anchor, fillColor=color)

    def width(self, text: str, role: FontRole = FontRole.SONGTI, size: float = LABEL_SIZE) -> float:
        return float(stringWidth(text, self.key(role, text), size))


def _nice_step(top: float, ticks: int = 5) -> float:
    """A step of 1, 2 or 5 × 10ⁿ giving about ``ticks`` intervals up to ``top`` (integers for counts ≥ 5)."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(max(m * power, 1))
    return float(10 * power)


def _axis_top(top: float, step: float) -> float:
    return max(step, math.ceil(top * 1.12 / step) * step)  # room above the highest value for its label


def _count(v: float) -> str:
    return f"{v:.0f}"  # no thousands separator, as in the tables


def _frame(faces: _Faces, height: float, title: str, legend: Sequence[tuple[str, str]] = ()) -> tuple[Drawing, float]:
    """The drawing with its title (and a legend line below it); returns the y of the space left under them."""
    d = Drawing(WIDTH, height)
    # The renderer's first font: the document's, not reportlab's unembedded Helvetica.
    d.initialFontName = faces.key(FontRole.SONGTI, "0")
    d.initialFontSize = LABEL_SIZE
    y = height - TITLE_SIZE - 2
    d.add(faces.string(WIDTH / 2, y, title, role=FontRole.HEITI, size=TITLE_SIZE, anchor="middle"))
    if legend:
        y -= LABEL_SIZE + 8
        widths = [14 + 4 + faces.width(text) for text, _ in legend]
        x = (WIDTH - sum(widths) - 18 * (len(legend) - 1)) / 2
        for (text, kind), w in zip(legend, widths, strict=True):
            _legend_key(d, x, y + 3, kind)
            d.add(faces.string(x + 18, y, text))
            x += w + 18
    return d, y - 6


def _legend_key(d: Drawing, x: float, y: float, kind: str) -> None:
    if kind == "line":
        d.add(Line(x, y, x + 14, y, strokeColor=DARK, strokeWidth=1.6))
        d.add(Rect(x + 4.5, y - 2.5, 5, 5, fillColor=DARK, strokeColor=DARK))
    elif kind == "dashed":
        d.add(Line(x, y, x + 14, y, strokeColor=MID, strokeWidth=1.2, strokeDashArray=(3, 2)))
        d.add(_ring(x + 7, y))
    else:
        fill = LIGHT if kind == "light" else DARK
        d.add(Rect(x + 1, y - 4, 12, 8, fillColor=fill, strokeColor=DARK, strokeWidth=0.5))


def _ring(x: float, y: float) -> Any:
    from reportlab.graphics.shapes import Circle

    return Circle(x, y, 2.6, fillColor=white, strokeColor=MID, strokeWidth=1)


def _style_axis_labels(faces: _Faces, axis: Any, names: Sequence[str]) -> None:
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.fontName = faces.key(FontRole.SONGTI, "0123456789")
    for i, name in enumerate(names):
        axis.labels[i].fontName = faces.key(FontRole.SONGTI, name)


def _value_axis(faces: _Faces, axis: Any, top: float, step: float, fmt: Callable[[float], str] = _count) -> None:
    axis.valueMin = 0
    axis.valueMax = top
    axis.valueStep = step
    axis.labels.fontName = faces.key(FontRole.SONGTI, "0123456789,.")
    axis.labels.fontSize = LABEL_SIZE
    axis.labelTextFormat = fmt
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRID
    axis.gridStrokeWidth = 0.5
    axis.strokeColor = DARK
    axis.strokeWidth = 0.6


@dataclass(frozen=True)
class _Texts:
    """What a figure prints, for :attr:`Figure.texts` (the plain text and the tests)."""

    items: list[str]

    def add(self, *texts: str) -> None:
        self.items.extend(t for t in texts if t)


# --- 月度趋势 ----------------------------------------------------------------------------------------------------


def _month(label: str) -> str:
    return label.split("年", 1)[1] if "年" in label else label  # 2026年3月 → 3月 (the years are in the legend)


def _year_span(labels: Sequence[str]) -> tuple[str, str]:
    first, last = labels[0].split("年", 1)[0], labels[-1].split("年", 1)[0]
    return first, last


def trend_figure(trend: Sequence[Mapping[str, Any]], measure: str = "batches") -> Figure | None:
    """The monthly trend of ``measure`` (batches or person_visits): this period's months, and the same months a
    year earlier when they have any; None for fewer than two months (a line needs two)."""
    if len(trend) < 2:
        return None
    unit = "批次" if measure == "batches" else "人次"
    current = [int(p[measure]) for p in trend]
    last = [int(p[f"last_year_{measure}"]) for p in trend]
    has_last = any(last)
    labels = [str(p["label"]) for p in trend]
    first, final = _year_span(labels)
    years = first if first == final else f"{first}—{final}"
    title = f"月度趋势（{unit}，{years}年）"
    months = [_month(x) for x in labels]
    if len(set(months)) < len(months):  # a period over a year long: the months need their years
        months = labels
    legend = [("本期", "line")] + ([("去年同期", "dashed")] if has_last else [])
    texts = _Texts([title, *([t for t, _ in legend] if has_last else []), f"单位：{unit}", "月份", *months])
    texts.add(*(_count(v) for v in current))
    height = CHART_LINES * g.LINE_PITCH - 8

    def draw(fonts: FontSet, report: FallbackReport) -> Drawing:
        faces = _Faces(fonts, report)
        d, top = _frame(faces, height, title, legend if has_last else ())
        step = _nice_step(max(current + last, default=0) or 1)
        axis_top = _axis_top(max(current + last, default=0) or 1, step)
        left = max(faces.width(_count(axis_top)), faces.width(f"单位：{unit}") / 2) + 12
        chart = HorizontalLineChart()
        chart.x, chart.y = left, 2 * LABEL_SIZE + 12
        chart.width = WIDTH - left - faces.width("月份") - 14
        chart.height = top - LABEL_SIZE - 12 - chart.y
        chart.data = [current, last] if has_last else [current]
        chart.joinedLines = 1
        cat = chart.categoryAxis
        cat.categoryNames = months
        cat.labels.boxAnchor = "n"
        cat.labels.dy = -3
        cat.strokeColor = DARK
        cat.strokeWidth = 0.6
        _style_axis_labels(faces, cat, months)
        _value_axis(faces, chart.valueAxis, axis_top, step)
        chart.lines[0].strokeColor = DARK
        chart.lines[0].strokeWidth = 1.6
        chart.lines[0].symbol = makeMarker("FilledSquare", size=5, fillColor=DARK, strokeColor=DARK)
        if has_last:
            chart.lines[1].strokeColor = MID
            chart.lines[1].strokeWidth = 1.2
            chart.lines[1].strokeDashArray = (3, 2)
            chart.lines[1].symbol = makeMarker("Circle", size=5.2, fillColor=white, strokeColor=MID, strokeWidth=1)
        chart.lineLabelFormat = "values"
        chart.lineLabelArray = [[_count(v) for v in current], [""] * len(last)]
        chart.lineLabels.fontName = faces.key(FontRole.SONGTI, "0123456789,")
        chart.lineLabels.fontSize = VALUE_SIZE
        chart.lineLabels.boxAnchor = "s"
        chart.lineLabels.dy = 2
        chart.lineLabelNudge = 3
        d.add(chart)
        d.add(faces.string(0, chart.y + chart.height + 9, f"单位：{unit}"))
        d.add(faces.string(chart.x + chart.width + 6, chart.y - LABEL_SIZE / 2 + 1, "月份"))
        return d

    return Figure(title, draw, tuple(texts.items))


# --- bars of the grouping ------------------------------------------------------------------------------------------


def _upright(
    title: str, names: Sequence[str], current: Sequence[int], last: Sequence[int], axis_name: str, unit: str
) -> Figure:
    """Upright bars, 本期 black and 去年同期 light grey beside it, the value over each bar."""
    legend = [("本期", "dark"), ("去年同期", "light")]
    texts = _Texts([title, "本期", "去年同期", f"单位：{unit}", axis_name, *names])
    texts.add(*(_count(v) for v in current))
    height = CHART_LINES * g.LINE_PITCH - 8

    def draw(fonts: FontSet, report: FallbackReport) -> Drawing:
        faces = _Faces(fonts, report)
        d, top = _frame(faces, height, title, legend)
        step = _nice_step(max([*current, *last], default=0) or 1)
        axis_top = _axis_top(max([*current, *last], default=0) or 1, step)
        left = max(faces.width(_count(axis_top)), faces.width(f"单位：{unit}") / 2) + 12
        chart = VerticalBarChart()
        chart.x, chart.y = left, 2 * LABEL_SIZE + 10
        chart.width = WIDTH - left - faces.width(axis_name) - 14
        chart.height = top - LABEL_SIZE - 12 - chart.y
        chart.data = [list(current), list(last)]
        chart.groupSpacing = 18
        chart.barSpacing = 2
        chart.bars.strokeColor = DARK
        chart.bars.strokeWidth = 0.5
        chart.bars[0].fillColor = DARK
        chart.bars[1].fillColor = LIGHT
        cat = chart.categoryAxis
        cat.categoryNames = list(names)
        cat.labels.boxAnchor = "n"
        cat.labels.dy = -3
        cat.strokeColor = DARK
        _style_axis_labels(faces, cat, names)
        _value_axis(faces, chart.valueAxis, axis_top, step)
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[_count(v) for v in current], [_count(v) for v in last]]
        chart.barLabels.fontName = faces.key(FontRole.SONGTI, "0123456789,")
        chart.barLabels.fontSize = VALUE_SIZE
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.nudge = 3
        d.add(chart)
        d.add(faces.string(0, chart.y + chart.height + 9, f"单位：{unit}"))
        d.add(faces.string(chart.x + chart.width + 6, chart.y - LABEL_SIZE / 2 + 1, axis_name))
        return d

    return Figure(title, draw, tuple(texts.items))


@dataclass(frozen=True)
class _Bar:
    name: str
    value: float
    label: str  # written after the bar
    dark: bool = False


def _lying(
    title: str, bars: Sequence[_Bar], axis_name: str, *, axis_max: float | None = None,
    legend: Sequence[tuple[str, str]] = (), fmt: Callable[[float], str] = _count,
) -> Figure:  # fmt: skip
    """Lying bars, the first on top, names down the left axis and each value (with its marks) after its bar."""
    n = len(bars)
    pitch = max(MIN_BAR_PITCH, min(BAR_PITCH, (MAX_HEIGHT - 80) / max(n, 1)))
    head = TITLE_SIZE + 8 + (LABEL_SIZE + 8 if legend else 0)
    height = min(MAX_HEIGHT, head + 14 + n * pitch + 2 * LABEL_SIZE + 14)
    height = math.ceil(height / g.LINE_PITCH) * g.LINE_PITCH - 8
    texts = _Texts([title, *(t for t, _ in legend), axis_name, *(b.name for b in bars), *(b.label for b in bars)])

    def draw(fonts: FontSet, report: FallbackReport) -> Drawing:
        faces = _Faces(fonts, report)
        d, top = _frame(faces, height, title, legend)
        names = [b.name for b in bars]
        left = max((faces.width(x) for x in names), default=20) + 10
        right = max((faces.width(b.label, size=VALUE_SIZE) for b in bars), default=20) + 8
        values = [b.value for b in bars]
        top_value = axis_max if axis_max is not None else max(values, default=0) or 1
        step = _nice_step(top_value)
        axis_top = axis_max if axis_max is not None else max(step, math.ceil(top_value / step) * step)
        chart = HorizontalBarChart()
        chart.x = left
        chart.y = LABEL_SIZE * 2 + 12
        chart.width = WIDTH - left - right
        chart.height = top - 8 - chart.y
        chart.data = [values]
        chart.barSpacing = 0
        chart.groupSpacing = pitch * 0.35
        chart.bars.strokeColor = DARK
        chart.bars.strokeWidth = 0.5
        chart.bars[0].fillColor = LIGHT
        for i, b in enumerate(bars):
            if b.dark:
                chart.bars[(0, i)].fillColor = DARK
        cat = chart.categoryAxis
        cat.categoryNames = names
        cat.reverseDirection = 1  # the first on top
        cat.labels.boxAnchor = "e"
        cat.labels.dx = -4
        cat.strokeColor = DARK
        _style_axis_labels(faces, cat, names)
        _value_axis(faces, chart.valueAxis, axis_top, _nice_step(axis_top), fmt)
        chart.valueAxis.visibleGrid = 0  # each value is written after its bar; grid lines would cross those
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[b.label for b in bars]]
        chart.barLabels.fontSize = VALUE_SIZE
        for i, b in enumerate(bars):
            chart.barLabels[(0, i)].fontName = faces.key(FontRole.SONGTI, b.label)
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.nudge = 4
        d.add(chart)
        d.add(faces.string(chart.x + chart.width / 2, 2, axis_name, anchor="middle"))
        return d

    return Figure(title, draw, tuple(texts.items))


def group_figures(data: Mapping[str, Any]) -> list[Figure]:
    """:func:`group_figure`, on as many figures as the groups need (（续）): each one page at most."""
    rows = list(data["rows"])
    per = _max_bars()
    if data["by"] == "category" or len(rows) <= per:
        figure = group_figure(data)
        return [figure] if figure is not None else []
    out: list[Figure] = []
    for k in range(0, len(rows), per):
        figure = group_figure({**data, "rows": rows[k : k + per]}, continued=k > 0)
        if figure is not None:
            out.append(figure)
    return out


def group_figure(data: Mapping[str, Any], *, continued: bool = False) -> Figure | None:
    """The chart of the period report's grouping (``data``: ``PeriodReport.to_json()``), 本期 批次; None when
    the period has none."""
    rows = list(data["rows"])
    by = str(data["by_label"])
    if not any(r["current"]["batches"] for r in rows) and not continued:
        return None
    if data["by"] == "category":
        return _category_share(rows)
    names = [str(r["name"]) for r in rows]
    current = [int(r["current"]["batches"]) for r in rows]
    last = [int(r["same_period_last_year"]["batches"]) for r in rows]
    if len(rows) <= 6 and max(len(x) for x in names) <= 5:
        return _upright(f"按{by}统计的批次（本期与去年同期）", names, current, last, by, "批次")
    bars = [_Bar(n, v, _count(v)) for n, v in zip(names, current, strict=True)]
    return _lying(f"按{by}统计的本期批次" + ("（续）" if continued else ""), bars, "批次")


def _max_bars() -> int:
    return int((MAX_HEIGHT - 80) // MIN_BAR_PITCH)


def _category_share(rows: Sequence[Mapping[str, Any]]) -> Figure:
    shares = sorted(((str(r["name"]), int(r["current"]["batches"])) for r in rows), key=lambda s: -s[1])
    shares = [s for s in shares if s[1]]
    total = sum(n for _, n in shares)
    top = shares[:TOP_CATEGORIES]
    if len(shares) > len(top):
        top.append(("其余分类", sum(n for _, n in shares[len(top) :])))
    bars = [_Bar(name, n * 100 / total, f"{_count(n)}（{n * 100 / total:.1f}%）") for name, n in top]
    axis = _share_axis(bars)
    return _lying("内容分类占比（本期批次）", bars, "占本期批次的百分比（%）", axis_max=axis, fmt=lambda v: f"{v:.0f}")


def _share_axis(bars: Sequence[_Bar]) -> float:
    top = max((b.value for b in bars), default=0)
    step = _nice_step(top)
    return min(100.0, max(step, math.ceil(top / step) * step))


# --- ranking -------------------------------------------------------------------------------------------------------


def ranking_figures(table: Mapping[str, Any]) -> list[Figure]:
    """综合得分 of one grouping of the ranking (``table``: one of ``RankingReport.to_json()['tables']``), in the
    table's order; the groups listed for 挂牌整治 black and marked 挂牌整治, the 末位 marked 末位; groups without a
    score are left out. More groups than one page takes go on further figures (（续）)."""
    bars: list[_Bar] = []
    for r in table["rows"]:
        if r["score"] is None:
            continue
        marks = [m for m, on in (("末位", r["lowest"]), ("挂牌整治", r["rectification_listing"])) if on]
        label = f"{r['score']:.1f}" + ("　" + "、".join(marks) if marks else "")
        bars.append(_Bar(str(r["name"]), float(r["score"]), label, bool(r["rectification_listing"])))
    if not bars:
        return []
    by = str(table["by_label"])
    top = max(100.0, max(b.value for b in bars))
    legend = [("挂牌整治", "dark"), ("其他", "light")]
    per = _max_bars()
    chunks = [bars[i : i + per] for i in range(0, len(bars), per)]
    return [
        _lying(
            f"综合得分（按{by}）" + ("（续）" if k else ""),
            chunk,
            "综合得分（分）",
            axis_max=top,
            legend=legend,
            fmt=lambda v: f"{v:.0f}",
        )
        for k, chunk in enumerate(chunks)
    ]
