"""Helpers for the ingest tests: fee files built in the test, written to tmp_path."""

import pytest

FEE_HEADER = "feedetl_sn,mdtrt_id,init_feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt"


def fee_row(sn, mdtrt="M1", init="", time="2024-01-05 08:30:00", code="X01", cnt="2", pric="1.5", amt="3.00"):
    return f"{sn},{mdtrt},{init},{time},{code},{cnt},{pric},{amt}"


@pytest.fixture
def write(tmp_path):
    def _write(name, content, encoding="utf-8"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return _write
