"""概览: the stage of the case, counts and amounts, and three charts a team lead reads in ten seconds."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from feijian.domain import formatting
from feijian.gui import case_data, font_size
from feijian.gui.models.frame_model import format_money
from feijian.gui.widgets.charts import BarChart, ColumnChart
from feijian.gui.widgets.empty_hint import EmptyHint


class Tile(QFrame):
    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("Tile{background:#f7f9fc; border:1px solid #d8dee8; border-radius:6px}")
        layout = QVBoxLayout(self)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("color:#555")
        self.value = QLabel("—", self)
        self.value.setStyleSheet("color:#1d3557")
        font_size.relative(self.value, 1.8, bold=True)
        self.note = QLabel("", self)
        self.note.setStyleSheet("color:#777")
        for w in (self.title, self.value, self.note):
            layout.addWidget(w)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class OverviewPage(QScrollArea):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        info = ctx.store.info
        head = QLabel(f"<b style='font-size:x-large'>{info.medins_name}</b>　{info.medins_code}　"
                      f"{formatting.medins_level(info.medins_lv)}", body)
        self.sub = QLabel(body)
        self.sub.setStyleSheet("color:#555")
        layout.addWidget(head)
        layout.addWidget(self.sub)
        self.hint = EmptyHint(body)
        layout.addWidget(self.hint)
        tiles = QGridLayout()
        self.stage = Tile(self.tr("案件阶段"), body)
        self.hits = Tile(self.tr("疑点"), body)
        self.confirmed = Tile(self.tr("已确认金额（元）"), body)
        self.findings = Tile(self.tr("问题"), body)
        self.rows = Tile(self.tr("已导入费用明细"), body)
        self.evidence = Tile(self.tr("证据"), body)
        for i, t in enumerate((self.stage, self.hits, self.confirmed, self.findings, self.rows, self.evidence)):
            tiles.addWidget(t, i // 3, i % 3)
        layout.addLayout(tiles)
        charts = QHBoxLayout()
        self.by_rule = BarChart(self.tr("疑点按规则（条数）"), body)
        self.by_dept = BarChart(self.tr("疑点金额按科室（元）"), body, money=True)
        charts.addWidget(self.by_rule)
        charts.addWidget(self.by_dept)
        layout.addLayout(charts)
        self.by_month = ColumnChart(self.tr("疑点金额按月份（元）"), body)
        layout.addWidget(self.by_month)
        layout.addStretch(1)
        ctx.decisions_changed.connect(self.refresh)
        ctx.data_changed.connect(self.refresh)
        self._dirty = True

    def activate(self) -> None:
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        fig = case_data.case_figures(self.ctx.store, self.ctx.hits())
        self.sub.setText(self.tr("数据期间：") + (self.period_text() or "—") + "　" + self.tr("检查缘由：")
                         + (self.ctx.store.info.trigger or "—"))
        self.hint.show_hint(self.empty_hint())
        self.stage.set(fig.stage_label or "—")
        self.hits.set(formatting.count(fig.hits), self.tr("待核查 %1 · 已确认 %2 · 已排除 %3")
                      .replace("%1", formatting.count(fig.open)).replace("%2", formatting.count(fig.confirmed)).replace("%3", formatting.count(fig.dismissed)))
        self.confirmed.set(format_money(fig.confirmed_amount), self.tr("疑点总金额 ") + format_money(fig.total_amount))
        self.findings.set(formatting.count(fig.findings), self.tr("问题金额 ") + format_money(fig.findings_amount))
        self.rows.set(formatting.count(fig.rows.get('fees', 0)), self.tr("就诊 %1 · 医嘱 %2").replace("%1", formatting.count(fig.rows.get('visits', 0)))
                      .replace("%2", formatting.count(fig.rows.get('orders', 0))))
        self.evidence.set(formatting.count(fig.evidence))
        self.by_rule.set_items([(label, count, formatting.count(count)) for label, count, _ in fig.by_rule])
        self.by_dept.set_items([(label, amount, formatting.money_axis(amount)) for label, _, amount in fig.by_dept])
        self.by_month.set_items([(label, amount) for label, _, amount in fig.by_month])

    def period_text(self) -> str:
        """The case's data period as set, else as the imported tables say (marked so)."""
        info = self.ctx.store.info
        text = formatting.period_zh(info.data_period_start, info.data_period_end)
        if text:
            return text
        from feijian.casework.data_facts import data_facts

        facts = data_facts(self.ctx.store)
        text = formatting.period_zh(facts.period_start, facts.period_end)
        return text + self.tr("（据导入数据）") if text else ""

    def empty_hint(self) -> str:
        store = self.ctx.store
        if not store.import_batches():
            return self.tr("第一步：导入医院数据 — 转到“数据”页 (Ctrl+2)，点击“导入数据文件夹…”")
        if store.latest_run() is None:
            return self.tr("数据已导入，尚未筛查 — 运行全部规则 (Ctrl+R)")
        return ""

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()
