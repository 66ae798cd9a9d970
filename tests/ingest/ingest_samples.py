"""Sample rows and helpers for the ingest tests (a unique module name: test folders have no __init__)."""

import openpyxl

FEE_HEADER = "feedetl_sn,mdtrt_id,init_feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt"


def fee_row(sn, mdtrt="M1", init="", time="2024-01-05 08:30:00", code="X01", cnt="2", pric="1.5", amt="3.00"):
    return f"{sn},{mdtrt},{init},{time},{code},{cnt},{pric},{amt}"


def balanced(r) -> bool:
    """A file's row accounting adds up: rows = read + refused = rows imported + refused rows reported."""
    return r.file.rows == r.file.read + r.file.refused == r.data.num_rows + len(r.rejected)


def make_workbook(path, sheets):
    """An XLSX file with the given (sheet name, rows) written by openpyxl."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path
