"""病历文书: an encounter's documents beside its bill, in the record view (records.md).

A list of the documents by type and date; the selected document's text with every mention of the selected
item highlighted (negated mentions struck through in grey, the count R26 read in red, the clause the
selected hit quoted shaded); the ranked similar clauses ("finding the words") for the item, and a button
that adds a phrase to the case's ``kb_item_terms`` (an event, so it is logged, undone and merged like any
other change) and one that screens the case again. On the page of a document read with OCR, a double click on
a line (or Enter on the selected one) opens 更正识别行 (gui/line_correction_dialog.py): the correction is an
event, the panel's owner reloads the documents with it (``documents_changed``) and the inspector is told to
screen again.
"""

from __future__ import annotations

import html
from typing import Optional, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from feijian.casework.record_documents import (ABSENCE_RULES, Document, ItemReading, absence_reading,
                                               encounter_documents, find_clause, item_reading, marks,
                                               mention_counts, quoted_clause, similar_clauses)
from feijian.gui import font_size
from feijian.gui.widgets.page_viewer import PageViewer
from feijian.rules.record_text import TextMention, clause_spans

STYLE_MENTION = "background-color:#ffe082;font-weight:bold"
STYLE_NEGATED = "color:#757575;text-decoration:line-through;background-color:#eeeeee"
STYLE_COUNT = "color:#ffffff;font-weight:bold;background-color:#c62828"
STYLE_CLAUSE = "background-color:#ffcdd2"
STYLE_LOW = "color:#e65100;text-decoration:underline"  # a line read with low OCR confidence
STYLE_PICKED = "background-color:#bbdefb"  # the line picked on the page image
STYLE_CORRECTED = "color:#1b5e20;text-decoration:underline"  # a line an inspector corrected
ABSENCE_KEY = "__absence__"


def document_html(doc: Document, found: Sequence[TextMention], clause_no: Optional[int] = None,
                  low: Sequence[tuple[int, int]] = (), picked: Optional[tuple[int, int]] = None,
                  corrected: Sequence[tuple[int, int]] = (), author: str = "") -> str:
    """``doc``'s text as HTML with the mentions in ``found`` and the clause ``clause_no`` marked; anchors
    ``m0`` (the first mention not negated, else the first) and ``clause`` to scroll to. For a document read
    with OCR, ``low`` are the spans of the lines read with low confidence and ``picked`` the span of the line
    picked on the page image (anchor ``picked``), ``corrected`` the spans of lines an inspector corrected;
    ``author``: the author as people read it (``D0701001 李秀静``), else ``doc.author``. Pure."""
    text = doc.text
    spans: list[tuple[int, int, str]] = []  # (start, end, kind): kinds nest clause ⊃ mention ⊃ count
    spans.extend((a, b, "low") for a, b in low if 0 <= a < b)
    spans.extend((a, b, "corrected") for a, b in corrected if 0 <= a < b)
    if picked is not None and 0 <= picked[0] < picked[1]:
        spans.append((*picked, "picked"))
    if clause_no is not None:
        cs = clause_spans(text)
        if 0 <= clause_no < len(cs):
            spans.append((*cs[clause_no], "clause"))
    for m in found:
        spans.append((m.start, m.end, "negated" if m.negated else "mention"))
        if not m.negated and m.count_start is not None:
            spans.append((m.count_start, m.count_end, "count"))
    first = next((m for m in found if not m.negated), found[0] if found else None)
    anchors = {}
    if first is not None:
        anchors[first.start] = "m0"
    clause = next((sp for sp in spans if sp[2] == "clause"), None)
    if clause is not None:
        anchors.setdefault(clause[0], "clause")
    if picked is not None and 0 <= picked[0] < picked[1]:
        anchors.setdefault(picked[0], "picked")
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans), *anchors})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a in anchors:
            out.append(f'<a name="{anchors[a]}"></a>')
        kinds = {k for s, e, k in spans if s <= a and b <= e}
        piece = html.escape(text[a:b]).replace("\n", "<br>")
        style = ";".join(st for k, st in (("picked", STYLE_PICKED), ("clause", STYLE_CLAUSE), ("corrected", STYLE_CORRECTED), ("low", STYLE_LOW),
                                          ("mention", STYLE_MENTION), ("negated", STYLE_NEGATED),
                                          ("count", STYLE_COUNT)) if k in kinds)
        out.append(f'<span style="{style}">{piece}</span>' if style else piece)
    if len(text) in anchors:
        out.append(f'<a name="{anchors[len(text)]}"></a>')
    author = author or doc.author
    head = (f"<p style='color:#555'>{html.escape(doc.type_name)}　{html.escape(doc.label)}"
            f"{'　记录人：' + html.escape(author) if author else ''}</p>")
    return head + "<div style='white-space:pre-wrap;line-height:150%'>" + "".join(out) + "</div>"


class DocumentPanel(QWidget):
    """The documents of one encounter. ``show_documents`` fills it; the panel reads the knowledge base with
    the case's phrases (``kb_source()``) itself and again after a phrase is added."""

    term_added = Signal(str, str)  # item code, phrase
    documents_changed = Signal()  # a line corrected (or a document captured): the owner reloads the rows

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.docs: list[Document] = []
        self.reading: Optional[ItemReading] = None
        self._kb = None
        self._deciding: Optional[tuple[str, int]] = None
        self._current_doc = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("病历文书　项目"), self))
        self.item = QComboBox(self)
        self.item.setMinimumWidth(260)
        # an item's name as long as the data have must not widen the window past a laptop's screen
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(20)
        bar.addWidget(self.item, 1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.add_term_button = QPushButton(self.tr("添加为用语…"), self)
        self.add_term_button.setToolTip(self.tr("把选中的文字添加为该项目在本案件中的文书用语（记入日志，可撤销）"))
        self.rescreen_button = QPushButton(self.tr("重新筛查"), self)
        self.rescreen_hint = QLabel(self)
        self.rescreen_hint.setWordWrap(True)
        self.rescreen_hint.setStyleSheet("color:#e65100;font-weight:bold")
        self.rescreen_hint.hide()
        bar.addWidget(self.rescreen_hint)
        bar.addWidget(self.add_term_button)
        bar.addWidget(self.rescreen_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(split)
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(220)
        middle = self.middle = QSplitter(Qt.Orientation.Horizontal, split)
        self.text = QTextBrowser(middle)
        self.text.setOpenLinks(False)
        font_size.relative(self.text, 1.1)  # the document's text a little larger than the rest, following it
        self.page_pane = QWidget(middle)
        page_layout = QVBoxLayout(self.page_pane)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_bar = QHBoxLayout()
        page_bar.addWidget(QLabel(self.tr("原件"), self.page_pane))
        self.page_choice = QComboBox(self.page_pane)
        page_bar.addWidget(self.page_choice)
        page_bar.addStretch(1)
        self.page_note = QLabel(self.page_pane)
        self.page_note.setWordWrap(True)
        page_layout.addLayout(page_bar)
        page_layout.addWidget(self.page_note)
        self.page_view = PageViewer(self.page_pane)
        page_layout.addWidget(self.page_view, 1)
        self.page_pane.hide()
        self._page_lines: list = []
        self._page_mentions: dict = {}
        self._picked: Optional[int] = None
        self._page_cache: dict = {}
        self._open_clause: Optional[int] = None
        self._found: list = []
        side = QWidget(split)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.similar_label = QLabel(self.tr("相近语句"), side)
        side_layout.addWidget(self.similar_label)
        self.similar = QListWidget(side)
        self.similar.setWordWrap(True)
        side_layout.addWidget(self.similar, 1)
        middle.setSizes([420, 420])
        split.setSizes([240, 840, 280])
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.empty = QLabel(self.tr("本次就诊没有导入病历文书（病历文书.csv 或文书索引）"), self)
        self.empty.setStyleSheet("color:#777")
        layout.addWidget(self.empty)
        self.item.currentIndexChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(self._doc_changed)
        self.similar.itemActivated.connect(self._similar_chosen)
        self.similar.itemClicked.connect(self._similar_chosen)
        self.add_term_button.clicked.connect(self.add_term)
        self.rescreen_button.clicked.connect(self.rescreen)
        self.page_choice.currentIndexChanged.connect(self._page_chosen)
        self.page_view.canvas.line_clicked.connect(self.pick_line)
        self.page_view.canvas.line_activated.connect(self.correct_line)
        self._rows: dict[str, dict] = {}
        self.show_documents([], [], "", "", "")

    # --- knowledge base -----------------------------------------------------------------------------
    def kb(self):
        if self._kb is None:
            from feijian.casework.case_terms import case_kb
            from feijian.casework.screening import load_kb

            self._kb = case_kb(self.ctx.store, load_kb())
        return self._kb

    # --- filling ------------------------------------------------------------------------------------
    def show_documents(self, rows, items: Sequence[tuple[str, str]], focus_item: str, rule_code: str,
                       detail: str) -> None:
        """``rows``: the encounter's emr_docs rows (dicts); ``items``: its billed items (code, name) in the
        order to list them; ``focus_item``: the item of the selected hit; ``rule_code``/``detail``: the hit's."""
        self._rows = {str(r.get("doc_id") or ""): r for r in rows or ()}
        self.docs = encounter_documents(rows)
        has = bool(self.docs)
        if not has:
            self.page_pane.hide()
            self._page_lines = []
        self.empty.setVisible(not has)
        for w in (self.item, self.tree, self.text, self.similar, self.add_term_button):
            w.setEnabled(has)
        self._deciding = find_clause(self.docs, quoted_clause(detail)) if has else None
        self.item.blockSignals(True)
        self.item.clear()
        if has:
            self.item.addItem(self.tr("不在院用语（R29）"), ABSENCE_KEY)
            for code, name in items:
                self.item.addItem(f"{code}　{name}", code)
            key = ABSENCE_KEY if rule_code in ABSENCE_RULES else focus_item
            at = self.item.findData(key) if key else -1
            self.item.setCurrentIndex(at if at >= 0 else (1 if self.item.count() > 1 else 0))
        self.item.blockSignals(False)
        self._item_changed()

    def _selected_reading(self) -> Optional[ItemReading]:
        key = self.item.currentData()
        if not self.docs or key is None:
            return None
        if key == ABSENCE_KEY:
            return absence_reading(self.kb())
        name = self.item.currentText().split("　", 1)[-1]
        return item_reading(self.kb(), str(key), name)

    def _item_changed(self, *_args) -> None:
        self.reading = self._selected_reading()
        self._fill_tree()
        self._fill_similar()

    def _fill_tree(self) -> None:
        counts = mention_counts(self.docs, self.reading) if self.reading else {}
        keep = self._current_doc
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        chosen = None
        for d in self.docs:
            group = groups.get(d.type_name)
            if group is None:
                group = groups[d.type_name] = QTreeWidgetItem(self.tree, [d.type_name])
                group.setExpanded(True)
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            n, neg = counts.get(d.doc_id, (0, 0))
            label = d.label + (f"　提及 {n}" if n else "") + (f"（否定 {neg}）" if neg else "")
            node = QTreeWidgetItem(group, [label])
            node.setData(0, Qt.ItemDataRole.UserRole, d.doc_id)
            if n:
                font = node.font(0)
                font.setBold(True)
                node.setFont(0, font)
            if self._deciding and d.doc_id == self._deciding[0]:
                node.setForeground(0, Qt.GlobalColor.darkRed)
            # the document to open: the hit's clause, else the one kept, else the first with a mention
            if self._deciding and d.doc_id == self._deciding[0]:
                chosen = node
            elif chosen is None and (d.doc_id == keep or n):
                chosen = node
        self.tree.blockSignals(False)
        if chosen is None and groups:
            first = next(iter(groups.values()))
            chosen = first.child(0)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
            self._doc_changed(chosen)
        else:
            self.text.setHtml("")
        parts = []
        if self.reading is not None:
            total = sum(n for n, _ in counts.values())
            neg = sum(x for _, x in counts.values())
            if not self.reading.known:
                parts.append(self.tr("知识库没有该项目的文书用语"))
            else:
                parts.append(self.tr("用语：") + "、".join(self.reading.terms[:6]))
                parts.append(self.tr("提及 %1 处").replace("%1", str(total))
                             + (self.tr("（否定 %1）").replace("%1", str(neg)) if neg else ""))
        self.summary.setText("　".join(parts))

    def document(self, doc_id: str) -> Optional[Document]:
        return next((d for d in self.docs if d.doc_id == doc_id), None)

    def _doc_changed(self, node, *_args) -> None:
        doc_id = node.data(0, Qt.ItemDataRole.UserRole) if node is not None else None
        doc = self.document(doc_id) if doc_id else None
        if doc is None:
            return
        self._current_doc = doc.doc_id
        self.open_document(doc)

    def open_document(self, doc: Document, clause_no: Optional[int] = None) -> None:
        found = marks(doc, self.reading) if self.reading else []
        if clause_no is None and self._deciding and self._deciding[0] == doc.doc_id:
            clause_no = self._deciding[1]
        self._open_clause = clause_no
        self._picked = None
        self._found = found
        self._show_pages(doc, found)
        self._show_text(doc)
        self.text.scrollToAnchor("clause" if clause_no is not None else "m0")

    def _show_text(self, doc: Document) -> None:
        low = [(x.start, x.end) for x in self._page_lines if x.low and x.start >= 0]
        picked = next(((x.start, x.end) for x in self._page_lines if x.index == self._picked and x.start >= 0), None)
        corrected = [(x.start, x.end) for x in self._page_lines if x.corrected and x.start >= 0]
        names = self.ctx.names() if hasattr(self.ctx, "names") else None
        author = names.doctor(doc.author) if names is not None and doc.author else ""
        self.text.setHtml(document_html(doc, self._found, self._open_clause, low, picked, corrected, author))

    # --- the page image of a document read with OCR -------------------------------------------------
    def _show_pages(self, doc: Document, found) -> None:
        from feijian.casework.record_pages import first_page_with, mention_lines, page_lines, pages_of

        self._page_lines = page_lines(doc) if doc.read_by_ocr else []
        if not self._page_lines:
            self.page_pane.hide()
            self._page_mentions = {}
            return
        shown = [m for m in found if not m.negated] or list(found)
        self._page_mentions = mention_lines(self._page_lines, [(m.start, m.end) for m in shown])
        pages = pages_of(self._page_lines)
        start = first_page_with(self._page_lines, self._page_mentions) or pages[0]
        self.page_choice.blockSignals(True)
        self.page_choice.clear()
        for n in pages:
            self.page_choice.addItem(self.tr("第 %1 页").replace("%1", str(n)), n)
        self.page_choice.setCurrentIndex(pages.index(start))
        self.page_choice.blockSignals(False)
        if self.page_pane.isHidden():
            self.page_pane.show()
            total = max(500, self.middle.width())
            self.middle.setSizes([total * 2 // 5, total - total * 2 // 5])  # the page gets the larger part
        self._draw_page(doc, start)

    def current_page(self) -> int:
        return int(self.page_choice.currentData() or 1)

    def _page_chosen(self, *_args) -> None:
        doc = self.document(self._current_doc)
        if doc is not None and self._page_lines:
            self._draw_page(doc, self.current_page())

    def _draw_page(self, doc: Document, page: int) -> None:
        from feijian.casework.record_pages import page_image
        from feijian.domain.errors import FeijianError

        key = (doc.page_evidence, page)
        shown = self._page_cache.get(key)
        if shown is None:
            try:
                shown = page_image(self.ctx.store, doc, page)
            except FeijianError as exc:
                self.page_view.set_page(None, 1.0, [], {})
                self.page_note.setText(str(exc))
                return
            if len(self._page_cache) >= 4:  # a few decoded pages in memory, never on disk
                self._page_cache.pop(next(iter(self._page_cache)))
            self._page_cache[key] = shown
        lines = [x for x in self._page_lines if x.page == page]
        low = sum(x.low for x in lines)
        fixed = sum(x.corrected for x in lines)
        self.page_note.setText(
            self.tr("识别 %1 行").replace("%1", str(len(lines)))
            + (self.tr("，低置信度 %1 行（橙色虚线框）").replace("%1", str(low)) if low else "")
            + (self.tr("，已更正 %1 行（绿框）").replace("%1", str(fixed)) if fixed else "")
            + (self.tr("；红框为所选项目的提及") if any(x.index in self._page_mentions for x in lines) else ""))
        self.page_view.set_page(shown.image, shown.scale, lines, self._page_mentions, self._picked)

    def pick_line(self, index: int) -> None:
        """A line picked on the page: shaded in the text too."""
        self._picked = index
        doc = self.document(self._current_doc)
        if doc is not None:
            self._show_text(doc)
            self.text.scrollToAnchor("picked")
        self.page_view.canvas.selected = index
        self.page_view.canvas.update()

    # --- correcting a recognised line --------------------------------------------------------------
    def correct_line(self, index: Optional[int] = None, text: Optional[str] = None) -> bool:
        """Correct line ``index`` (the selected one when None) of the open document: ``text`` given, or asked
        for in the dialog. The correction is a decision (logged, undone); ``documents_changed`` follows."""
        from feijian.casework.ocr_corrections import correct_line, original_line
        from feijian.domain.errors import FeijianError
        from feijian.gui import dialogs

        index = self._picked if index is None else index
        doc = self.document(self._current_doc)
        line = next((x for x in self._page_lines if x.index == index), None)
        row = self._rows.get(doc.doc_id) if doc is not None else None
        if line is None or row is None:
            return False
        try:
            original = original_line(row, index)
        except FeijianError as exc:
            dialogs.error(self, self.tr("更正识别行"), str(exc))
            return False
        if text is None:
            from feijian.gui.line_correction_dialog import LineCorrectionDialog

            canvas = self.page_view.canvas
            dialog = LineCorrectionDialog(line, original, canvas.image, canvas.unit, self)
            self.last_dialog = dialog
            if dialog.exec() != LineCorrectionDialog.DialogCode.Accepted:
                return False
            text = dialog.text()
        label = self.tr("更正识别行“%1”").replace("%1", str(text).strip())
        try:
            self.ctx.decide(label, lambda: correct_line(self.ctx.store, row, index, text))
        except FeijianError as exc:
            dialogs.error(self, self.tr("更正识别行"), str(exc))
            return False
        self._picked = index
        self.documents_changed.emit()
        self.ask_rescreen(self.tr("已更正识别行，请“重新筛查”"))
        return True

    def ask_rescreen(self, message: str) -> None:
        self.rescreen_hint.setText(message)
        self.rescreen_hint.show()
        self.rescreen_button.setStyleSheet("QPushButton{background:#e65100;color:white;font-weight:bold}")

    def reload_documents(self, rows, select: Optional[str] = None) -> None:
        """The encounter's rows again (a correction, a capture, an undo): the open document (or ``select``),
        its page and the picked line stay."""
        keep = select or self._current_doc
        page, picked, deciding = self.current_page(), self._picked, self._deciding
        self._rows = {str(r.get("doc_id") or ""): r for r in rows or ()}
        self.docs = encounter_documents(rows)
        has = bool(self.docs)
        self.empty.setVisible(not has)
        for w in (self.item, self.tree, self.text, self.similar, self.add_term_button):
            w.setEnabled(has)
        if not has:
            self.page_pane.hide()
            self._page_lines = []
        self._deciding = None
        self._current_doc = keep
        self._fill_tree()
        self._fill_similar()
        self._deciding = deciding
        node = self._node_of(keep)
        if node is not None and self.tree.currentItem() is not node:
            self.tree.setCurrentItem(node)
        if self._current_doc == keep and self._page_lines:
            at = self.page_choice.findData(page)
            if at >= 0 and at != self.page_choice.currentIndex():
                self.page_choice.setCurrentIndex(at)
            if picked is not None and any(x.index == picked for x in self._page_lines):
                self.pick_line(picked)

    def _node_of(self, doc_id: str):
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.ItemDataRole.UserRole) == doc_id:
                    return group.child(j)
        return None

    def _fill_similar(self) -> None:
        self.similar.clear()
        reading = self.reading
        if reading is None or reading.code == "":
            self.similar_label.setText(self.tr("相近语句"))
            return
        found_any = any(n for n, _ in mention_counts(self.docs, reading).values())
        self.similar_label.setText(self.tr("相近语句（文书中没有该项目用语的提及）") if not found_any
                                   else self.tr("相近语句"))
        for s in similar_clauses(self.docs, reading):
            doc = self.document(s.key[0])
            when = doc.time.strftime("%m-%d %H:%M") if doc and doc.time else ""
            item = QListWidgetItem(f"{s.score:.2f}　{doc.type_name if doc else ''} {when}\n{s.clause.strip()}")
            item.setData(Qt.ItemDataRole.UserRole, s.key)
            self.similar.addItem(item)

    def _similar_chosen(self, item: QListWidgetItem) -> None:
        doc_id, clause_no = item.data(Qt.ItemDataRole.UserRole)
        doc = self.document(doc_id)
        if doc is None:
            return
        self._current_doc = doc_id
        self.open_document(doc, clause_no)

    # --- acting -------------------------------------------------------------------------------------
    def add_term(self, phrase: Optional[str] = None) -> bool:
        """Add ``phrase`` (asked for, prefilled with the selected text, when None) as a term of the selected
        item in this case; the marks are redrawn with it."""
        from feijian.casework.case_terms import add_item_term
        from feijian.domain.errors import FeijianError
        from feijian.gui import dialogs

        reading = self.reading
        if reading is None or not reading.code:
            dialogs.error(self, self.tr("添加用语"), self.tr("请先选择一个收费项目"))
            return False
        if phrase is None:
            selected = self.text.textCursor().selectedText().strip()
            phrase = dialogs.ask_text(self, self.tr("添加用语"),
                                      self.tr("项目 %1 在本院病历中的写法：").replace("%1", reading.code), selected)
            if phrase is None:
                return False
        doc = self.document(self._current_doc)
        doc_types = () if reading.doc_types else ((doc.doc_type,) if doc else ())
        text = self.tr("添加用语“%1”").replace("%1", phrase.strip())
        try:
            self.ctx.decide(text, lambda: add_item_term(self.ctx.store, reading.code, phrase, doc_types=doc_types))
        except FeijianError as exc:
            dialogs.error(self, self.tr("添加用语"), str(exc))
            return False
        self._kb = None
        self.term_added.emit(reading.code, phrase.strip())
        self._item_changed()
        return True

    def refresh_terms(self) -> None:
        """After an undo or a merge: read the case's phrases again."""
        self._kb = None
        if self.docs:
            self._item_changed()

    def rescreen(self):
        from feijian.casework.screening import screen_case
        from feijian.gui.tasks import run_with_progress

        def finished(_result) -> None:
            self.rescreen_hint.hide()
            self.rescreen_button.setStyleSheet("")
            self.ctx.data_changed.emit()

        task = run_with_progress(self.window(), self.ctx.runner, self.tr("运行筛查规则"), screen_case,
                                 self.ctx.store, on_finished=finished, in_process=True)
        self.last_task = task
        return task
