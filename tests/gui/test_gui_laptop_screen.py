"""Issue 18, readable on real laptops: at 1366×768 (a maximised window there is about 1366×700) no page of the
case window asks for more room than the screen has — at the default font size and two steps larger
(Ctrl+= twice) — so nothing is cut off or pushed past the screen's edge."""

import pandas as pd
import pytest

from feijian.gui import font_size
from feijian.gui.case_window import PAGES
from feijian.gui.screenshots import LAPTOP


@pytest.fixture()
def sized(case_window):
    yield case_window
    font_size.set_point_size(font_size.DEFAULT_POINT_SIZE)


@pytest.mark.parametrize("step", [0, 2])
def test_every_page_fits_a_1366x768_laptop(qtbot, sized, step):
    window = sized
    font_size.set_point_size(font_size.DEFAULT_POINT_SIZE + step)
    window.resize(*LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    hits = window.ctx.hits()
    # the record view's bar and document panel hold names as long as the data have: a hit of each rule
    samples = hits.assign(n=hits["detail"].astype(str).str.len()).sort_values("n")
    samples = pd.concat([samples.groupby("rule_code").tail(1), samples.groupby("rule_code").head(1)])
    shown = [(key, None) for key, _ in PAGES] + [("record", row) for row in samples.itertuples()]
    too_big = {}
    for key, hit in shown:
        window.show_page(key)
        if hit is not None:
            window.ctx.open_record.emit(str(hit.mdtrt_id), str(hit.hit_id))
            key = f"record {hit.rule_code}"
        page = window.stack.currentWidget()
        # the page's least size plus what the window around it takes (navigation, menu, status bar)
        hint = window.minimumSizeHint()
        room = window.stack.size()
        need = page.minimumSizeHint()
        if hint.width() > LAPTOP[0] or hint.height() > LAPTOP[1] or need.width() > room.width() \
                or need.height() > room.height() or window.width() > LAPTOP[0] or window.height() > LAPTOP[1]:
            too_big[key] = (need.width(), need.height(), room.width(), room.height(), window.width(), window.height())
    assert not too_big, too_big
