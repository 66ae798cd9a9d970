"""病历费用对照: one encounter's record beside its bill — the view where the inspector decides.

Left: the patient (ID number masked), diagnoses, operations and the encounter's hits with each rule's name,
amount, explanation and 检查路径, plus the decision buttons. Right, above: the EncounterChart (stay timeline,
orders as bars, fee lines as an item × day grid with the lines behind the hits in red); below: the
encounter's medical record documents (gui/widgets/document_panel.py) with the selected hit's item marked.
Photos of paper pages dropped on the view (or picked with 采集纸质页面…) become documents of the encounter
(gui/capture_dialog.py).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Optional

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from feijian.domain import formatting
from feijian.domain.errors import FeijianError
from feijian.gui import case_data, dialogs, font_size
from feijian.gui.case_data import STATUS_LABELS
from feijian.gui.models.frame_model import mask_id
from feijian.gui.pages.hits_page import REASONS_CONFIRM, REASONS_DISMISS
from feijian.gui.widgets.document_panel import DocumentPanel
from feijian.gui.widgets.empty_hint import EmptyHint
from feijian.gui.widgets.encounter_chart import EncounterChart, EncounterData, FeeCell, FeeRow, OrderBar

GENDER = {"1": "男", "2": "女"}


def _rows_of(table, mdtrt_id: str) -> pd.DataFrame:
    """The rows of an Arrow case table for one encounter."""
    if table is None or "mdtrt_id" not in table.column_names:
        return pd.DataFrame()
    import pyarrow.compute as pc

    return table.filter(pc.equal(table["mdtrt_id"], mdtrt_id)).to_pandas()


def _day(value) -> Optional[dt.date]:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts.date()


def encounter_data(visit: Optional[pd.Series], fees: pd.DataFrame, orders: pd.DataFrame, operations: pd.DataFrame,
                   hit_lines: pd.DataFrame, rule_of_hit: dict, selected_hit: str = "") -> EncounterData:
    """Build the chart's data from the encounter's rows (pure: tested without a window)."""
    d = EncounterData()
    if visit is not None:
        d.admission = _day(visit.get("begntime"))
        d.discharge = _day(visit.get("endtime"))
        end = visit.get("endtime")
        d.discharge_time = None if end is None or pd.isna(end) else pd.Timestamp(end).to_pydatetime()
        d.died = str(visit.get("dscg_way") or "") == "5"
    names: dict[str, str] = {}
    if len(fees):
        for code, name in zip(fees["med_list_codg"].astype(str), fees.get("med_list_name", pd.Series([""] * len(fees)))):
            if name and name == name and code not in names:
                names[code] = str(name)
    line_rules: dict[str, set] = {}
    selected_lines: set[str] = set()
    if len(hit_lines):
        for hid, sn in zip(hit_lines["hit_id"].astype(str), hit_lines["feedetl_sn"].astype(str)):
            line_rules.setdefault(sn, set()).add(rule_of_hit.get(hid, ""))
            if hid == selected_hit:
                selected_lines.add(sn)
    rows: dict[str, FeeRow] = {}
    dates = []
    if len(fees):
        fee_days = [_day(v) for v in fees["fee_ocur_time"]]
        for sn, code, day, qty, amount in zip(fees["feedetl_sn"].astype(str), fees["med_list_codg"].astype(str),
                                              fee_days, fees["cnt"], fees["det_item_fee_sumamt"]):
            if day is None:
                continue
            dates.append(day)
            row = rows.setdefault(code, FeeRow(code, names.get(code, ""), {}))
            cell = row.cells.setdefault(day, FeeCell())
            cell.qty += float(qty or 0)
            cell.amount += float(amount or 0)
            cell.lines.append(sn)
            if sn in line_rules:
                cell.rules |= {r for r in line_rules[sn] if r}
                cell.selected = cell.selected or sn in selected_lines
    # rows with hits first, then by first day, so the contradiction is at the top
    d.fees = sorted(rows.values(), key=lambda r: (not any(c.selected for c in r.cells.values()),
                                                  not any(c.rules for c in r.cells.values()), min(r.cells), r.code))
    hit_orders = set()
    if len(fees) and "drord_no" in fees:
        hit_fee = fees[fees["feedetl_sn"].astype(str).isin(selected_lines)]
        hit_orders = set(hit_fee["drord_no"].dropna().astype(str))
    if len(orders):
        for _, o in orders.iterrows():
            start = _day(o.get("begin_time"))
            if start is None:
                continue
            end = _day(o.get("end_time")) or (d.discharge if str(o.get("order_kind")) == "long" and d.discharge else start)
            if end < start:
                end = start
            code = str(o.get("med_list_codg") or "")
            label = f"{names.get(code, code)}  [{o.get('drord_no')}]"
            d.orders.append(OrderBar(label, start, end, str(o.get("order_kind") or "temp"), str(o.get("drord_no")) in hit_orders))
            dates += [start, end]
        d.orders.sort(key=lambda o: (not o.hit, o.start))
    if len(operations):
        for _, op in operations.iterrows():
            day = _day(op.get("oprn_date"))
            d.operations.append((day, f"{op.get('oprn_code')} {op.get('oprn_name') or ''}"))
            if day:
                dates.append(day)
    if dates:
        d.first, d.last = min(dates), max(dates)
    return d


class RecordPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.mdtrt_id = ""
        self.hit_id = ""
        self.encounter_hits = pd.DataFrame()
        self._fees = self._lines = pd.DataFrame()
        self._docs: list[dict] = []
        self._raw_docs: list[dict] = []  # the encounter's emr_docs rows as imported (corrections not applied)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.encounter = QLineEdit(self)
        self.encounter.setPlaceholderText(self.tr("就诊ID"))
        self.encounter.setMaximumWidth(220)
        go = QPushButton(self.tr("查看"), self)
        go.clicked.connect(lambda: self.show_encounter(self.encounter.text().strip(), ""))
        self.encounter.returnPressed.connect(go.click)
        self.capture_button = QPushButton(self.tr("采集纸质页面…"), self)
        self.capture_button.setToolTip(self.tr("把纸质病历页面的照片或扫描件识别为本次就诊的病历文书（也可把照片拖到此页）"))
        self.capture_button.clicked.connect(lambda: self.capture_photos())
        self.capture_button.setEnabled(False)
        self.setAcceptDrops(True)
        self.title = QLabel(self)
        font_size.relative(self.title, 1.3, bold=True)
        bar.addWidget(QLabel(self.tr("就诊"), self))
        bar.addWidget(self.encounter)
        bar.addWidget(go)
        bar.addSpacing(20)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.capture_button)
        layout.addLayout(bar)
        self.hint = EmptyHint(self)
        layout.addWidget(self.hint)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        side = QWidget(splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.patient = QTextBrowser(side)
        self.patient.setMinimumWidth(360)
        side_layout.addWidget(self.patient, 3)
        side_layout.addWidget(QLabel(self.tr("本次就诊的疑点"), side))
        self.hit_list = QListWidget(side)
        self.hit_list.setWordWrap(True)
        side_layout.addWidget(self.hit_list, 2)
        self.reason = QComboBox(side)
        self.reason.setEditable(True)
        self.reason.addItems(REASONS_CONFIRM + REASONS_DISMISS)
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setPlaceholderText(self.tr("核查理由（必填）"))
        side_layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(self.tr("确认疑点"), side)
        self.confirm_button.setStyleSheet("QPushButton{background:#c62828;color:white;padding:6px 14px}")
        self.dismiss_button = QPushButton(self.tr("排除疑点"), side)
        self.reopen_button = QPushButton(self.tr("重新打开"), side)
        for b in (self.confirm_button, self.dismiss_button, self.reopen_button):
            buttons.addWidget(b)
        side_layout.addLayout(buttons)
        self.chart = EncounterChart()
        right = QSplitter(Qt.Orientation.Vertical, splitter)
        scroll = QScrollArea(right)
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(False)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.scroll = scroll
        self.documents = DocumentPanel(ctx, right)
        right.addWidget(scroll)
        right.addWidget(self.documents)
        right.setSizes([420, 480])
        splitter.addWidget(side)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1000])
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.hit_list)  # the encounter's hits: ↑↓, then the reason and 确认/排除
        self.hit_list.currentRowChanged.connect(self._hit_selected)
        self.confirm_button.clicked.connect(lambda: self.decide("confirmed"))
        self.dismiss_button.clicked.connect(lambda: self.decide("dismissed"))
        self.reopen_button.clicked.connect(lambda: self.decide("open"))
        ctx.decisions_changed.connect(self._refresh_hits)
        ctx.decisions_changed.connect(self.documents.refresh_terms)
        ctx.decisions_changed.connect(self._reload_documents)  # a correction or capture undone / redone
        self.documents.documents_changed.connect(self._reload_documents)
        self._show_empty()

    def _show_empty(self) -> None:
        self.capture_button.setEnabled(False)
        self.title.setText("")
        self.hint.show_hint(self.tr("尚未选择就诊 — 在“疑点”页选中一条疑点按 Enter (Ctrl+3)，或在上方输入就诊ID"))
        self.patient.setHtml("")
        self.chart.set_data(EncounterData())
        self.documents.show_documents([], [], "", "", "")

    # --- loading -------------------------------------------------------------------------------------
    def show_encounter(self, mdtrt_id: str, hit_id: str = "") -> None:
        self.mdtrt_id, self.hit_id = mdtrt_id, hit_id
        self.encounter.setText(mdtrt_id)
        if not mdtrt_id:
            self._show_empty()
            return
        self.hint.show_hint("")
        self.capture_button.setEnabled(True)
        visits = self._rows("visits", mdtrt_id)
        visit = visits.iloc[0] if len(visits) else None
        hits = self.ctx.hits()
        self.encounter_hits = hits[hits["mdtrt_id"].astype(str) == mdtrt_id] if len(hits) else pd.DataFrame()
        # big tables (fees, orders) are read from the months of the stay only, not loaded whole
        from feijian.gui.chunked_table import encounter_months

        months = None if visit is None else encounter_months(
            visit.get("begntime"), visit.get("endtime"),
            self.encounter_hits["day"].tolist() if "day" in self.encounter_hits else ())
        fees = self._rows("fees", mdtrt_id, months)
        orders = self._rows("orders", mdtrt_id, months)
        diagnoses = self._rows("diagnoses", mdtrt_id)
        operations = self._rows("operations", mdtrt_id)
        ids = list(self.encounter_hits["hit_id"].astype(str)) if len(self.encounter_hits) else []
        lines = self.ctx.store.hit_lines(ids) if ids else pd.DataFrame()
        if len(lines):
            lines = lines[lines["mdtrt_id"].astype(str) == mdtrt_id]
        rule_of = dict(zip(self.encounter_hits.get("hit_id", pd.Series(dtype=str)).astype(str),
                           self.encounter_hits.get("rule_code", pd.Series(dtype=str)).astype(str)))
        self._fees, self._orders, self._operations, self._lines, self._rule_of, self._visit = \
            fees, orders, operations, lines, rule_of, visit
        docs = self._rows("emr_docs", mdtrt_id, months)
        self._raw_docs = docs.astype(object).where(docs.notna(), None).to_dict("records") if len(docs) else []
        self._docs = self._case_documents()
        self._patient_html(visit, diagnoses, operations)
        self._fill_hits()
        self._redraw()
        self._show_documents()
        if visit is None and not len(fees):
            self.title.setText(self.tr("没有这个就诊：") + mdtrt_id)

    def _case_documents(self) -> list[dict]:
        """The encounter's documents with the inspectors' corrections and the documents captured on site."""
        from feijian.casework.case_documents import encounter_rows

        return encounter_rows(self.ctx.store, self.mdtrt_id, self._raw_docs)

    def _reload_documents(self, select: str = "") -> None:
        if not self.mdtrt_id:
            return
        docs = self._case_documents()
        if docs != self._docs or select:
            self._docs = docs
            self.documents.reload_documents(docs, select or None)

    # --- capturing paper pages on site ---------------------------------------------------------------
    @staticmethod
    def _photo_paths(event) -> list:
        from pathlib import Path

        from feijian.casework.captured_pages import CAPTURE_SUFFIXES

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return [p for p in paths if p.suffix.lower() in CAPTURE_SUFFIXES]

    def dragEnterEvent(self, event) -> None:
        if self.mdtrt_id and self._photo_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._photo_paths(event)
        if not self.mdtrt_id or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.capture_photos(paths)

    def capture_photos(self, paths=None):
        """Read and capture ``paths`` (asked for when None) as documents of the open encounter."""
        from feijian.casework.captured_pages import check_photo
        from feijian.gui.capture_dialog import FILE_FILTER, CaptureFlow

        if not self.mdtrt_id:
            dialogs.error(self, self.tr("采集纸质页面"), self.tr("请先打开一个就诊"))
            return None
        if paths is None:
            paths = dialogs.open_files(self, self.tr("选择纸质页面的照片或扫描件"), FILE_FILTER)
            if not paths:
                return None
        try:
            for p in paths:
                check_photo(p)
        except FeijianError as exc:
            dialogs.error(self, self.tr("采集纸质页面"), str(exc))
            return None
        stay, visit = (None, None), getattr(self, "_visit", None)
        if visit is not None:
            stay = (_day(visit.get("begntime")), _day(visit.get("endtime")))

        def captured(doc_id: str) -> None:
            self._reload_documents(doc_id)
            self.documents.ask_rescreen(self.tr("已采集文书，请“重新筛查”"))

        self.capture_flow = CaptureFlow(self, self.mdtrt_id, list(paths), stay, captured)
        self.capture_flow.start()
        return self.capture_flow

    def _rows(self, name: str, mdtrt_id: str, months=None) -> pd.DataFrame:
        if hasattr(self.ctx, "encounter_rows"):
            rows = self.ctx.encounter_rows(name, mdtrt_id, months)
            return pd.DataFrame() if rows is None or "mdtrt_id" not in rows.column_names else rows.to_pandas()
        return _rows_of(self.ctx.table(name), mdtrt_id)

    def _redraw(self) -> None:
        self.chart.set_data(encounter_data(self._visit, self._fees, self._orders, self._operations, self._lines,
                                           self._rule_of, self.hit_id))

    def _names(self):
        """The case's names of codes (doctors, items, departments); an empty directory without a case context."""
        from feijian.casework.name_directory import NameDirectory

        return self.ctx.names() if hasattr(self.ctx, "names") else NameDirectory()

    def _patient_html(self, visit, diagnoses: pd.DataFrame, operations: pd.DataFrame) -> None:
        e = html.escape
        parts = []
        if visit is not None:
            name = formatting.text_or_blank(visit.get("psn_name"))
            masked_name = (name[0] + "*" * (len(name) - 1)) if name else "—"
            died = str(visit.get("dscg_way") or "") == "5"
            begin, end = visit.get("begntime"), visit.get("endtime")
            fmt = lambda v: formatting.date_time(v) or "—"  # noqa: E731
            dept = formatting.text_or_blank(visit.get("adm_dept_name")) or self._names().dept(
                formatting.text_or_blank(visit.get("adm_dept_codg")))
            self.title.setText(f"{self.mdtrt_id}　{dept}　{masked_name}")
            parts.append("<h3>患者</h3><table>")
            for k, v in (("姓名", masked_name), ("身份证号", mask_id(visit.get("certno"))),
                         ("性别", GENDER.get(str(visit.get("gend") or ""), "未知")),
                         ("年龄", formatting.age(visit.get("age"))),
                         ("人员编号", mask_id(visit.get("psn_no"))),
                         ("医疗类别", formatting.code_with_name("med_type", visit.get("med_type"))),
                         ("科室", dept),
                         ("主治医生", self._names().doctor(formatting.text_or_blank(visit.get("atddr_no")))),
                         ("入院", fmt(begin)), ("出院", fmt(end))):
                parts.append(f"<tr><td style='color:#666;padding-right:10px'>{e(k)}</td><td>{e(str(v))}</td></tr>")
            if died:
                parts.append("<tr><td style='color:#666'>离院方式</td><td style='color:#b71c1c;font-weight:bold'>"
                             f"{e(formatting.code_with_name('dscg_way', '5'))}</td></tr>")
            elif visit.get("dscg_way") is not None and not pd.isna(visit.get("dscg_way")):
                parts.append("<tr><td style='color:#666'>离院方式</td>"
                             f"<td>{e(formatting.code_with_name('dscg_way', visit.get('dscg_way')))}</td></tr>")
            parts.append("</table>")
        if len(diagnoses):
            parts.append("<h3>诊断</h3><ul>")
            for _, dg in diagnoses.sort_values("diag_type").iterrows() if "diag_type" in diagnoses else diagnoses.iterrows():
                kind = "主要诊断" if str(dg.get("diag_type")) == "1" else "其他诊断"
                parts.append(f"<li>{e(kind)}：{e(formatting.text_or_blank(dg.get('diag_code')))} {e(formatting.text_or_blank(dg.get('diag_name')))}</li>")
            parts.append("</ul>")
        if len(operations):
            parts.append("<h3>手术操作</h3><ul>")
            for _, op in operations.iterrows():
                day = _day(op.get("oprn_date"))
                parts.append(f"<li>{e(formatting.text_or_blank(op.get('oprn_code')))} {e(formatting.text_or_blank(op.get('oprn_name')))}"
                             f"{'　' + formatting.date_iso(day) if day else ''}</li>")
            parts.append("</ul>")
        self.patient.setHtml("".join(parts))

    def _fill_hits(self) -> None:
        catalogue = case_data.rule_catalogue()
        self.hit_list.blockSignals(True)
        self.hit_list.clear()
        select = 0
        rows = self.encounter_hits.astype(object)  # a few rows: plain Python values, None when missing
        rows = rows.where(rows.notna(), None)
        for i, (_, h) in enumerate(rows.iterrows()):
            meta = catalogue.get(str(h["rule_code"]))
            status = STATUS_LABELS.get(str(h.get("status") or "open"), "")
            text = (f"【{status}】{h.get('rule') or h['rule_code']}　{formatting.money(h['amount'])}\n"
                    f"{self._names().detail(h.get('detail'))}")
            if meta is not None:
                text += f"\n检查路径：{meta.check_path}\n依据：{meta.legal_basis}"
            if h.get("reason"):
                text += f"\n核查理由：{h['reason']}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(h["hit_id"]))
            if status == "已确认":
                item.setBackground(Qt.GlobalColor.transparent)
                item.setForeground(Qt.GlobalColor.darkRed)
            elif status == "已排除":
                item.setForeground(Qt.GlobalColor.gray)
            self.hit_list.addItem(item)
            if str(h["hit_id"]) == self.hit_id:
                select = i
        self.hit_list.blockSignals(False)
        if self.hit_list.count():
            self.hit_list.setCurrentRow(select)
            self.hit_id = self.hit_list.currentItem().data(Qt.ItemDataRole.UserRole)
        has = self.hit_list.count() > 0
        for b in (self.confirm_button, self.dismiss_button, self.reopen_button):
            b.setEnabled(has)

    def _hit_selected(self, row: int) -> None:
        if row < 0:
            return
        self.hit_id = self.hit_list.item(row).data(Qt.ItemDataRole.UserRole)
        self._redraw()
        self._show_documents()

    def billed_items(self) -> list[tuple[str, str]]:
        """The encounter's billed items (code, name), those behind the hits first, then by amount."""
        fees = self._fees
        if not len(fees) or "med_list_codg" not in fees:
            return []
        names = fees.get("med_list_name", pd.Series([""] * len(fees), index=fees.index)).astype(object)
        amounts = pd.to_numeric(fees.get("det_item_fee_sumamt", 0), errors="coerce").fillna(0)
        hit_lines = set(self._lines["feedetl_sn"].astype(str)) if len(self._lines) else set()
        rows: dict[str, list] = {}
        for sn, code, name, amount in zip(fees["feedetl_sn"].astype(str), fees["med_list_codg"].astype(str),
                                          names, amounts):
            r = rows.setdefault(code, [False, 0.0, ""])
            r[0] = r[0] or sn in hit_lines
            r[1] += float(amount)
            if name and name == name and not r[2]:
                r[2] = str(name)
        order = sorted(rows.items(), key=lambda kv: (not kv[1][0], -kv[1][1], kv[0]))
        return [(code, r[2]) for code, r in order]

    def hit_item(self, hit_id: str) -> str:
        """The item code of the fee lines behind ``hit_id`` (the first), or ''."""
        if not hit_id or not len(self._lines) or not len(self._fees):
            return ""
        sns = set(self._lines[self._lines["hit_id"].astype(str) == hit_id]["feedetl_sn"].astype(str))
        codes = self._fees[self._fees["feedetl_sn"].astype(str).isin(sns)]["med_list_codg"].astype(str)
        return codes.iloc[0] if len(codes) else ""

    def _show_documents(self) -> None:
        hit = self.encounter_hits[self.encounter_hits["hit_id"].astype(str) == self.hit_id] \
            if len(self.encounter_hits) and self.hit_id else pd.DataFrame()
        rule = str(hit["rule_code"].iloc[0]) if len(hit) else ""
        detail = str(hit["detail"].iloc[0] or "") if len(hit) and "detail" in hit else ""
        self.documents.show_documents(self._docs, self.billed_items(), self.hit_item(self.hit_id), rule, detail)

    def _refresh_hits(self) -> None:
        if not self.mdtrt_id:
            return
        hits = self.ctx.hits()
        self.encounter_hits = hits[hits["mdtrt_id"].astype(str) == self.mdtrt_id] if len(hits) else pd.DataFrame()
        self._fill_hits()

    # --- deciding ------------------------------------------------------------------------------------
    def decide(self, status: str, reason: Optional[str] = None) -> bool:
        if not self.hit_id:
            return False
        from feijian.casework.review import review_hits

        reason = (reason if reason is not None else self.reason.currentText()).strip()
        if status != "open" and not reason:
            reason = dialogs.ask_text(self, self.tr("核查理由"), self.tr("请填写核查理由：")) or ""
            if not reason:
                return False
        hit_id = self.hit_id
        text = self.tr("将 1 条疑点标记为“%1”").replace("%1", STATUS_LABELS[status])
        try:
            self.ctx.decide(text, lambda: review_hits(self.ctx.store, [hit_id], status, reason))
        except FeijianError as exc:
            dialogs.error(self, self.tr("核查"), str(exc))
            return False
        return True
