"""Sample rows for the ingest tests (a unique module name: test folders have no __init__)."""

FEE_HEADER = "feedetl_sn,mdtrt_id,init_feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt"


def fee_row(sn, mdtrt="M1", init="", time="2024-01-05 08:30:00", code="X01", cnt="2", pric="1.5", amt="3.00"):
    return f"{sn},{mdtrt},{init},{time},{code},{cnt},{pric},{amt}"
