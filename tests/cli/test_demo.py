"""`feijian demo` runs the whole job to the end on a small demo hospital and leaves every output behind."""

import json
import sqlite3

from feijian.cli import main


def test_demo_runs_the_whole_job(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "demo", "--scale", "0.02", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    for step in ("导入 import", "筛查 screen", "核查 review", "证据 evidence", "线索核查 clues", "抽样 sampling",
                 "文书 documents", "数据包 package", "医保局接收 bureau intake"):
        assert step in printed, step
    out = tmp_path / "demo" / "out"
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert pdfs == sorted(["notice", "data-confirmation", "onsite-record", "interview", "hit-list", "problem-list", "report"])
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.glob("*.pdf"))
    assert (out / "demo-bureau.fjpkg").stat().st_size > 0
    case_file = tmp_path / "demo" / "demo.fjcase"
    assert not case_file.read_bytes().startswith(b"SQLite format 3")  # encrypted
    with sqlite3.connect(out / "bureau-archive.sqlite") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        assert tables  # the archive was written by intake
    planted = json.loads((tmp_path / "demo" / "data" / "meta" / "planted.json").read_text(encoding="utf-8"))
    assert planted["hits"]
