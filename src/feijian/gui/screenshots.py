"""Screenshots of every page for the docs: ``python -m feijian.gui.screenshots OUT_DIR [--scale S]``.

Builds a demo case in a temporary data folder (demo hospital, import, screening, a few decisions, evidence),
then grabs the cases home, the unlock dialog and each page of the case window as ``gui-<page>.png``. Run it
under a real X server (``xvfb-run -s "-screen 0 1600x1000x24" …``) so fonts and styles are the real ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=0.2)
    args = parser.parse_args(argv)
    os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

    from feijian import demodata
    from feijian.gui.app import create_application
    from feijian.gui.main_window import Workbench
    from feijian.gui.new_case_wizard import NewCaseWizard
    from feijian.gui.tasks import wait_for
    from feijian.gui.unlock_dialog import UnlockDialog

    app = create_application()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    def shot(widget, name: str) -> None:
        for _ in range(5):
            app.processEvents()
        widget.grab().save(str(out / f"gui-{name}.png"))
        print("saved", out / f"gui-{name}.png")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        manifest = demodata.generate(data, scale=args.scale, paper=True)
        wb = Workbench(tmp / "home")
        first = UnlockDialog(wb.session)
        first.name.setText("李检查")
        first.staff_no.setText("YB-2026-007")
        first.show()
        shot(first, "first-run")
        first.passphrase.setText("flight-inspection")
        first.again.setText("flight-inspection")
        first.submit()
        wb.home_page.refresh()  # the first start: the demo case and a new case side by side
        wb.resize(1100, 700)
        wb.show()
        shot(wb, "welcome")
        wb.hide()
        wizard = NewCaseWizard(wb, wb.me())
        wizard.fill(case_name="演示市第一人民医院-2026飞检", medins_code="H32010000001", medins_name="演示市第一人民医院",
                    period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
        wizard.show()
        shot(wizard, "new-case")
        wizard.hide()
        wb.create_case_from(wizard)
        window = wb.case_windows[0]
        window.resize(1560, 960)
        window.show()
        window.show_page("hits")  # a page still empty says what to do next
        shot(window, "empty-hits")
        data_page = window.show_page("data")
        wait_for(data_page.start_import(data), 900)
        wait_for(data_page.start_screening(), 900)
        hits = window.show_page("hits")
        view = hits.view
        # a few decisions, so the pages show confirmed and dismissed hits and findings
        frame = window.ctx.hits()
        from feijian.casework.review import review_hits

        for code, status, reason in (("R06", "confirmed", "死亡后收费，经核对护理记录属实"),
                                     ("R05", "confirmed", "出院后仍有收费，病历无对应记录"),
                                     ("R01", "confirmed", "同一时刻重复计费"), ("R02", "dismissed", "已提供物价批复")):
            ids = list(frame.loc[frame["rule_code"] == code, "hit_id"])[:3]
            if ids:
                window.ctx.decide(f"{status} {code}", lambda ids=ids, s=status, r=reason: review_hits(window.ctx.store, ids, s, r))
        from feijian.casework.findings import findings, link_evidence

        first_finding = next(iter(findings(window.ctx.store)), None)
        for p in sorted((data / "meta" / "evidence").glob("*")):
            item = window.ctx.store.add_evidence(p)
            if first_finding is not None:
                link_evidence(window.ctx.store, item.evidence_id, first_finding.finding_id)
        window.ctx.decisions_changed.emit()
        window.show()
        shot(window, "overview") if window.show_page("overview") else None
        window.show_page("data")
        shot(window, "data")
        window.show_page("hits")
        view.table.selectRow(0)
        shot(window, "hits")
        view.group.setCurrentIndex(2)
        shot(window, "hits-grouped")
        view.group.setCurrentIndex(0)
        r06 = frame.loc[frame["rule_code"] == "R06"]
        if len(r06):
            window.ctx.open_record.emit(str(r06["mdtrt_id"].iat[0]), str(r06["hit_id"].iat[0]))
        shot(window, "record")
        # records.md: a planted R26 hit (material billed above the count in the operation note)
        r26 = frame.loc[(frame["rule_code"] == "R26") & frame["detail"].astype(str).str.contains("「", regex=False)]
        if len(r26):
            window.ctx.open_record.emit(str(r26["mdtrt_id"].iat[0]), str(r26["hit_id"].iat[0]))
            shot(window, "record-documents")
        # issue 20: a planted hit on a photographed page (the first paper document is the mild photo)
        paper = [(doc_id, d) for doc_id, d in manifest.paper_documents.items() if d["kind"] == "photo"]
        if paper:
            docs = window.ctx.store.read_table("emr_docs", columns=["doc_id", "mdtrt_id"]).to_pylist()
            enc = {r["doc_id"]: r["mdtrt_id"] for r in docs}
            for doc_id, d in paper:
                on = frame.loc[(frame["mdtrt_id"].astype(str) == enc.get(doc_id, "")) &
                               (frame["rule_code"] == d["rule_code"])]
                if len(on):
                    window.ctx.open_record.emit(str(on["mdtrt_id"].iat[0]), str(on["hit_id"].iat[0]))
                    shot(window, "record-page")
                    break
        for page in ("findings", "evidence", "documents", "sync"):
            shown = window.show_page(page)
            if page == "evidence" and shown.model.rowCount():
                png = [i for i in range(shown.model.rowCount()) if str(shown.model.value(i, "original_name")).endswith(".png")]
                shown.table.selectRow(png[0] if png else 0)
            shot(window, page)
        from feijian.gui.record_dialog import RecordDialog

        form = RecordDialog("interview", window.ctx.store.info, window, now=dt.datetime(2026, 11, 20, 10, 0))
        w = form.widgets
        w["end"].setDateTime(w["start"].dateTime().addSecs(40 * 60))
        w["place"].setText("医保办会议室")
        w["recorder"].setEditText("记录员")
        for key, value in (("name", "王某"), ("sex", "男"), ("position", "住院医师")):
            edit = w["interviewee"].edits[key]
            edit.setCurrentText(value) if key == "sex" else edit.setText(value)
        w["qa"].setPlainText("问：患者住院期间的床位费是否每日据实收取？\n答：按天自动计费，具体要看护理记录。\n"
                             "问：出院后发生的检查费用是何原因？\n答：可能是系统补记。")
        form.show()
        shot(form, "record-form")
        form.reject()
        window.close()
        wb.show()
        wb.home_page.refresh()
        wb.resize(1200, 520)
        shot(wb, "cases")
        wb.shutdown()
        wb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
