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


LAPTOP = (1366, 700)  # a maximised window on a 1366×768 screen: the title bar and the task bar take ~68 px


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=0.2)
    args = parser.parse_args(argv)
    os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

    from feijian import demodata
    from feijian.gui.app import create_application
    from feijian.gui.case_window import PAGES
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
        print("saved", out / f"gui-{name}.png", f"{widget.width()}×{widget.height()}")

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
        draw_dialog_shot(wb, tmp, shot)
        bureau_shots(wb, tmp, shot)
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
        analysis_shots(window, shot, wait_for)
        window.resize(1560, 960)
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
        # the most common inspector laptop: 1366×768, less the title bar and the task bar, at the default font
        # and two steps larger (Ctrl+= twice)
        from feijian.gui import font_size

        window.resize(*LAPTOP)
        for prefix, size in (("laptop", font_size.DEFAULT_POINT_SIZE), ("laptop-large", font_size.DEFAULT_POINT_SIZE + 2)):
            font_size.set_point_size(size)
            for page, _ in PAGES:
                window.show_page(page)
                if page == "record" and len(r06):
                    window.ctx.open_record.emit(str(r06["mdtrt_id"].iat[0]), str(r06["hit_id"].iat[0]))
                shot(window, f"{prefix}-{page}")
        font_size.set_point_size(font_size.DEFAULT_POINT_SIZE)
        window.show_page("hits").view.table.setFocus()
        window.key_overlay.open(window.tr("疑点") + " — " + window.tr("快捷键"), window.pages["hits"])  # ? / F1
        shot(window, "laptop-keys")
        window.key_overlay.close_overlay()
        window.close()
        wb.show()
        wb.home_page.refresh()
        wb.resize(1200, 520)
        shot(wb, "cases")
        wb.shutdown()
        wb.close()
    return 0


def draw_dialog_shot(wb, tmp: Path, shot) -> None:
    """The 双随机 draw dialog at 1366×768 after a draw of the demo institution list (bureau keys made in ``tmp``)."""
    from feijian.demodata import draw_inputs
    from feijian.gui.tasks import wait_for
    from feijian.store.identities import BureauStore

    BureauStore(wb.home).init("bureau-passphrase", "演示省医疗保障局", fast=True)
    inst, pool = draw_inputs.write(tmp / "draw-inputs")
    dialog = wb.open_draw()
    dialog.set_inputs(inst, pool)
    dialog.n.setValue(6)
    dialog.team_size.setValue(3)
    dialog.strata["type"].setChecked(True)
    dialog.weighted.setChecked(True)
    dialog.authority.setText("演示省医疗保障局")
    dialog.passphrase.setText("bureau-passphrase")
    dialog.out_dir.setText(str(tmp / "draws"))
    wait_for(dialog.commit(), 120)
    wait_for(dialog.run_draw(), 120)
    dialog.table.selectRow(0)
    dialog.resize(1366, 768)
    shot(dialog, "draw")
    dialog.close()


def bureau_shots(wb, tmp: Path, shot) -> None:
    """The 医保局 window at 1366×768: the intake queue (three demo institutions' packages, a tampered copy, a
    replay) and the model run with its hits and regions (bureau keys from ``draw_dialog_shot``)."""
    from feijian.demoprovince import build_province, write_packages
    from feijian.crypto.identity import create_identity
    from feijian.gui.tasks import wait_for
    from feijian.store.identities import BureauStore

    store = BureauStore(wb.home)
    keys = store.unlock("bureau-passphrase")
    inspector = create_identity("周检查", "YB-2026-011")
    store.enroll(keys, inspector.public)
    province = build_province(tmp / "province", 3, scale=0.02, seed=7)
    pkgs = [p.path for p in write_packages(province, tmp / "pkgs", inspector, keys.public().intake_public)]
    data = bytearray(pkgs[2].read_bytes())
    data[data.find(b"age-encryption.org") + 200] ^= 1
    tampered = tmp / "pkgs" / "篡改-副本.fjpkg"
    tampered.write_bytes(bytes(data))
    w = wb.open_bureau()
    w.archive_edit.setText(str(tmp / "bureau-archive.sqlite"))
    w.passphrase.setText("bureau-passphrase")
    wait_for(w.connect_archive(), 120)
    wait_for(w.intake([tampered, *pkgs, pkgs[0]]), 300)
    wait_for(w.refresh(), 120)
    w.resize(1366, 768)
    shot(w, "bureau-intake")
    w.tabs.setCurrentIndex(2)
    wait_for(w.run_models(), 300)
    shot(w, "bureau-models")
    w.close()


def analysis_shots(window, shot, wait_for) -> None:
    """The 分析 page at a laptop's 1366×768: Benford's chart, a stratification, a query, the command log."""
    window.resize(1366, 768)
    page = window.show_page("analysis")
    page.select_analysis("benford", "fees")
    wait_for(page.run_form(), 300)
    shot(window, "analysis-benford")
    page.select_analysis("stratify", "fees")
    page.set_param("edges", "0, 10, 50, 100, 500, 1000, 5000")
    wait_for(page.run_form(), 300)
    shot(window, "analysis-stratify")
    page.tabs.setCurrentIndex(1)
    page.editor.setPlainText("SELECT v.adm_dept_codg, v.adm_dept_name, count(*) AS n, sum(f.det_item_fee_sumamt) AS total\n"
                             "FROM fees f JOIN visits v USING (mdtrt_id)\nGROUP BY 1, 2\nORDER BY total DESC")
    wait_for(page.run_sql(), 300)
    shot(window, "analysis-sql")
    page.editor.setPlainText("DELETE FROM fees WHERE det_item_fee_sumamt > 1000")
    page.run_sql()
    shot(window, "analysis-refused")
    page.tabs.setCurrentIndex(2)
    page.history_view.selectRow(1)
    wait_for(page.rerun_selected(), 300)
    shot(window, "analysis-history")


if __name__ == "__main__":
    sys.exit(main())
