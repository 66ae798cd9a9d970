"""The 医保局 window on the bureau's encrypted SQLite archive and on a real PostgreSQL server (``tests/pg_server.py``,
the archive tests' server): intake of the demo province's packages shows each
verdict (accepted; a tampered, a replayed and an unknown signer's package rejected with the reason code), the
archive's institutions, the models' hits and regions, and the signed clue lists written to a folder."""

import re

import pytest

from feijian.demoprovince import write_packages
from feijian.crypto.identity import create_identity
from feijian.gui import dialogs
from feijian.gui.main_window import Workbench
from feijian.gui.tasks import wait_for
from feijian.store.identities import BureauStore


@pytest.fixture()
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: out.append(("error", text)))
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_target(request, tmp_path):
    """Where the window's archive lives: a SQLite file, or a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.sqlite")
    from pg_server import create_database

    return create_database(request.getfixturevalue("pg_server"), f"gui_{tmp_path.name.lower()}"[:60])


@pytest.fixture()
def bureau(qtbot, tmp_path, monkeypatch, province_of_two):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    home = tmp_path / "home"
    store = BureauStore(home)
    keys = store.init("bureau-pass", "某省医疗保障局", fast=True)
    inspector = create_identity("检查员", "J-9")
    store.enroll(keys, inspector.public)
    province = province_of_two
    pkgs = [p.path for p in write_packages(province, tmp_path / "pkgs", inspector, keys.public().intake_public)]
    stranger = create_identity("陌生人", "X-1")
    odd = [p.path for p in write_packages(province, tmp_path / "odd", stranger, keys.public().intake_public)][:1]
    data = bytearray(pkgs[1].read_bytes())
    i = data.find(b"age-encryption.org") + 200
    data[i] ^= 1
    tampered = tmp_path / "tampered.fjpkg"
    tampered.write_bytes(bytes(data))
    wb = Workbench(home)
    qtbot.addWidget(wb)
    yield wb, tmp_path, pkgs, tampered, odd[0], province
    wb.shutdown()


def test_bureau_window_intake_models_clues(bureau, shown, archive_target):
    wb, tmp, pkgs, tampered, odd, province = bureau
    w = wb.open_bureau()
    assert not w.intake_button.isEnabled()
    w.archive_edit.setText(archive_target)
    w.passphrase.setText("wrong")
    wait_for(w.connect_archive(), 60)
    assert shown and w.keys is None and not w.intake_button.isEnabled()
    shown.clear()
    w.passphrase.setText("bureau-pass")
    wait_for(w.connect_archive(), 60)
    assert w.keys is not None and w.intake_button.isEnabled() and not shown

    # the tampered copy first (its case must still come in from the good one), then both, then a replay
    wait_for(w.intake([tampered, pkgs[0], pkgs[1], pkgs[0], odd]), 120)
    t = w.verdict_table
    got = [(t.item(r, 0).text(), t.item(r, 1).text(), t.item(r, 2).text()) for r in range(t.rowCount())]
    assert [g[1] for g in got] == ["拒收", "已接收", "已接收", "拒收", "拒收"]
    assert got[0][2] in ("CRC_MISMATCH", "HASH_MISMATCH") and "tampered.fjpkg" in t.item(0, 4).text()
    assert got[3][2] == "REPLAY" and got[4][2] == "SIGNER_UNKNOWN"
    assert "不在局方信任名单" in t.item(4, 4).text()
    assert "接收 2，拒收 3" in w.intake_note.text()
    wait_for(w.refresh(), 60)

    inst = w.institution_table
    codes = {inst.item(r, 0).text() for r in range(inst.rowCount())}
    assert codes == {i.medins_code for i in province.institutions}
    for r in range(inst.rowCount()):
        assert inst.item(r, 3).text() == "1" and int(inst.item(r, 4).text().replace(",", "")) > 100
        # the region code with its whole name (resources/regions), never bare
        assert re.fullmatch(r"4403\d\d 广东省深圳市\S+区|4401\d\d 广东省广州市\S+区", inst.item(r, 2).text())

    wait_for(w.run_models(), 120)
    assert not shown
    m = w.model_table
    counts = {m.item(r, 0).text(): int(m.item(r, 2).text().replace(",", "")) for r in range(m.rowCount())}
    assert counts["M01"] > 0 and counts["M02"] > 0 and counts["M03"] > 0 and counts["M04"] == 0  # one city
    hits = w.hits
    assert hits.rowCount() == sum(counts.values()) == len(w.run.hits)
    assert hits.data(hits.index(0, 6)) == "300.00"  # an M01 stay's amount, as formatting.amount writes it
    coded = [hits.data(hits.index(r, 4)) for r in range(hits.rowCount()) if hits.data(hits.index(r, 4))]
    assert coded and all(re.fullmatch(r"X\w+ \S.*", c) for c in coded)  # each item code with its name
    m.selectRow(0)
    assert hits.rowCount() == counts["M01"]
    assert {hits.data(hits.index(r, 0)) for r in range(hits.rowCount())} == {"M01"}
    reg = w.region_table
    assert reg.rowCount() >= 1
    assert all(re.fullmatch(r"44\d{4} 广东省\S+", reg.item(r, 0).text()) for r in range(reg.rowCount()))
    assert sum(int(reg.item(r, 3).text().replace(",", "")) for r in range(reg.rowCount())) == sum(counts.values())

    w.clue_dir.setText(str(tmp / "lists"))
    wait_for(w.write_clues(), 60)
    assert not shown
    assert w.sent_table.rowCount() == 2
    for i in province.institutions:
        assert (tmp / "lists" / f"{i.medins_code}.clues.csv").exists()
        assert (tmp / "lists" / f"{i.medins_code}.clues.csv.minisig").exists()
    assert (tmp / "lists" / "bureau.pub").exists()
    fb = w.feedback_table
    sent = {fb.item(r, 0).text(): int(fb.item(r, 1).text()) for r in range(fb.rowCount())}
    assert sent == {k: v for k, v in counts.items() if v}
    assert all(fb.item(r, 9).text() == "—" for r in range(fb.rowCount()))
    w.close()


def test_cancelled_intake_keeps_what_came_in_and_says_so(bureau):
    """A cancel after the first package: it stays archived and shows accepted, the rest show not received,
    and a later intake of the rest goes through (nothing half-loaded)."""
    from feijian.gui.pages.bureau_page import intake_task

    wb, tmp, pkgs, _tampered, _odd, _province = bureau
    store = BureauStore(wb.home)
    keys = store.unlock("bureau-pass")
    seen = []
    archive = str(tmp / "cancel.sqlite")
    verdicts = intake_task(pkgs, archive, keys, store.trust_list(), progress=lambda d, t, m="": seen.append(d),
                           cancelled=lambda: len(seen) >= 1)  # reported before the 1st
    assert [(v.accepted, v.message) for v in verdicts] == [(True, ""), (False, "已取消，未接收")]
    again = intake_task(pkgs, archive, keys, store.trust_list())
    assert [v.code for v in again] == ["REPLAY", ""] and again[1].accepted
