"""The same seed and scale give byte-identical files; another seed gives other data."""

from __future__ import annotations

import zipfile
from pathlib import Path

from feijian.cli import main
from feijian.demodata import generate
from feijian.demodata.writers import FIXED_TIME

from demodata_scale import SMALL


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_through_the_cli(demo, tmp_path, capsys):
    out, _ = demo
    again = tmp_path / "again"
    assert main(["demo-data", str(again), "--seed", "7", "--scale", str(SMALL)]) == 0
    assert "planted hits" in capsys.readouterr().out
    first, second = tree(out), tree(again)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_xlsx_has_fixed_dates_inside_and_out(demo):
    out, _ = demo
    with zipfile.ZipFile(out / "医务人员.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME.timetuple()[:6]}
        core = z.read("docProps/core.xml").decode()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core


def test_another_seed_other_patients(tmp_path, demo):
    out, _ = demo
    other = tmp_path / "seed8"
    generate(other, seed=8, scale=SMALL)
    assert (other / "费用明细.csv").read_bytes() != (out / "费用明细.csv").read_bytes()
    assert (other / "就诊信息.csv").read_bytes() != (out / "就诊信息.csv").read_bytes()
    # the hospital itself (knowledge base, institution) does not depend on the seed
    assert (other / "kb" / "kb_items.csv").read_bytes() == (out / "kb" / "kb_items.csv").read_bytes()
    assert (other / "被检机构.csv").read_bytes() == (out / "被检机构.csv").read_bytes()
