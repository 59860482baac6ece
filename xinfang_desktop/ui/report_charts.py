"""Charts of the 统计 section (issue 14): the monthly trend, bars by destination or any grouping, the category share,
the ranking; each with 导出图片… (PNG).

pyqtgraph rather than QtCharts: QtCharts ships only in PySide6-Addons (a 175 MB wheel beside the 60 MB Essentials
the application needs, and version-locked to it), while pyqtgraph is a small pure-Python package over numpy, draws
with the same Qt, renders offscreen for the tests, and its axes take Chinese tick labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

THIS_YEAR = "#2f6db5"
LAST_YEAR = "#9aa5b1"
BAR = "#4e79a7"
FLAGGED = "#c62828"

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")


class ChartBox(QWidget):
    """A titled chart with its PNG export button."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.2)
        self.plot.setMinimumHeight(220)
        self.horizontal = False
        self.export_button = QPushButton("导出图片…")
        self.export_button.clicked.connect(self._choose_png)
        head = QHBoxLayout()
        self.title_label = QLabel(f"<b>{title}</b>")
        head.addWidget(self.title_label)
        head.addStretch(1)
        head.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)

    def set_title(self, title: str) -> None:
        self.title = title
        self.title_label.setText(f"<b>{title}</b>")

    def save_png(self, path: Path) -> Path:
        """The chart as shown (title included), as PNG."""
        if not self.grab().save(str(path), "PNG"):
            raise OSError(f"无法写入图片：{path}")
        return path

    def _choose_png(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "导出图片", f"{self.title}.png", "PNG 图片 (*.png)")
        if name:
            self.save_png(Path(name if name.lower().endswith(".png") else f"{name}.png"))

    def _ticks(self, labels: Sequence[str], axis: str = "bottom") -> None:
        self.plot.getAxis(axis).setTicks([list(enumerate(labels))])


class TrendChart(ChartBox):
    """Monthly 批次: this period's line and the same months a year earlier."""

    def show_trend(self, labels: Sequence[str], current: Sequence[int], last_year: Sequence[int]) -> None:
        self.plot.clear()
        self.plot.addLegend(offset=(10, 5))
        xs = list(range(len(labels)))
        self.plot.plot(
            xs, list(last_year), pen=pg.mkPen(LAST_YEAR, width=2, style=Qt.PenStyle.DashLine), name="去年同期"
        )
        self.plot.plot(
            xs, list(current), pen=pg.mkPen(THIS_YEAR, width=3), symbol="o", symbolBrush=THIS_YEAR, name="本期"
        )
        short = [label.split("年")[-1] if len(labels) <= 12 else label for label in labels]
        self._ticks(short)
        self.plot.setYRange(0, max([*current, *last_year, 1]) * 1.1)  # from zero: a trend must not exaggerate
        self.plot.setLabel("left", "批次")


class BarChart(ChartBox):
    """Bars with the value beside each (destination, grouping, category share, ranking scores): upright for a few
    short names, lying (names down the left axis, the first on top) when there are many or long ones, which an
    upright axis would hide where they overlap."""

    def show_bars(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        *,
        unit: str = "批次",
        texts: Sequence[str] | None = None,
        flagged: Sequence[bool] | None = None,
    ) -> None:
        self.plot.clear()
        n = len(labels)
        brushes = [FLAGGED if flagged and flagged[i] else BAR for i in range(n)]
        top = max(values, default=0) or 1
        words = [texts[i] if texts else f"{v:,.0f}" for i, v in enumerate(values)]
        self.horizontal = n > 6 or max((len(label) for label in labels), default=0) > 4
        if self.horizontal:
            ys = [n - 1 - i for i in range(n)]  # the first item on top
            self.plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=list(values), brushes=brushes, pen=None))
            for y, value, word in zip(ys, values, words, strict=True):
                text = pg.TextItem(word, color="#333333", anchor=(0, 0.5))
                text.setPos(value + top * 0.01, y)
                self.plot.addItem(text)
            self.plot.setXRange(0, top * 1.18)
            self.plot.setYRange(-0.6, n - 0.4)
            axis = self.plot.getAxis("left")
            axis.setTicks([list(zip(ys, labels, strict=True))])
            axis.setStyle(textFillLimits=[(0, 1.0)])  # every name shown: by default labels filling >80% are dropped
            # Wide enough for the longest name at once: the axis widens itself only after a paint, and hides the
            # labels that do not fit until then (a grab or an export of a fresh chart showed none).
            metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
            axis.setWidth(max((metrics.horizontalAdvance(label) for label in labels), default=20) + 16)
            self.plot.getPlotItem().layout.activate()  # now, not at the next event: a grab right away sees it
            self.plot.getAxis("bottom").setTicks(None)
            self.plot.setLabel("bottom", unit)
            self.plot.setLabel("left", "")
            self.plot.showGrid(x=True, y=False, alpha=0.2)
            return
        xs = list(range(n))
        self.plot.addItem(pg.BarGraphItem(x=xs, height=list(values), width=0.6, brushes=brushes, pen=None))
        for x, value, word in zip(xs, values, words, strict=True):
            text = pg.TextItem(word, color="#333333", anchor=(0.5, 1))
            text.setPos(x, value + top * 0.02)
            self.plot.addItem(text)
        self.plot.setYRange(0, top * 1.15)
        self._ticks(list(labels))
        left = self.plot.getAxis("left")
        left.setTicks(None)
        left.setWidth(None)
        self.plot.setLabel("left", unit)
        self.plot.setLabel("bottom", "")
        self.plot.showGrid(x=False, y=True, alpha=0.2)
