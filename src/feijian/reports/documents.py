"""The documents feijian issues, by name, and rendering one from a context to PDF bytes."""

from __future__ import annotations

import importlib

from feijian.domain.errors import InputError
from feijian.reports.context import ReportContext
from feijian.reports.layout import build_pdf

# name -> (module, 中文名)
DOCUMENTS: dict[str, tuple[str, str]] = {
    "notice": ("notice", "飞行检查通知书（含送达回证）"),
    "data-confirmation": ("data_confirmation", "数据调取确认单"),
    "onsite-record": ("onsite_record", "现场检查笔录"),
    "interview": ("interview", "询问笔录"),
    "hit-list": ("hit_list", "疑点清单"),
    "problem-list": ("problem_list", "违规问题清单及确认书"),
    "report": ("inspection_report", "飞行检查报告"),
    "self-report": ("self_report", "自查自纠报告（被检机构自查）"),
    "self-comparison": ("self_comparison", "自查自纠情况比对表"),
    "transfer": ("transfer_letter", "移送书（公安机关、卫生健康、纪检监察）"),
}

# Documents of a 自查自纠 case only (they need its self-inspection, or an imported self-inspection package).
SELF_INSPECTION_DOCUMENTS = frozenset({"self-report", "self-comparison"})
# The documents every inspection case can issue without more input; besides the above, the transfer letter
# needs a chosen authority.
CASE_DOCUMENTS = tuple(d for d in DOCUMENTS if d not in SELF_INSPECTION_DOCUMENTS | {"transfer"})


class UnknownDocument(InputError):
    pass


def document_module(doc: str):
    try:
        mod, _ = DOCUMENTS[doc]
    except KeyError:
        names = ", ".join(DOCUMENTS)
        raise UnknownDocument(f"没有这种文书 / unknown document {doc!r} (one of: {names})") from None
    return importlib.import_module(f"feijian.reports.{mod}")


def render_bytes(doc: str, ctx: ReportContext) -> bytes:
    """The PDF of document ``doc`` for ``ctx``: deterministic for the same context."""
    spec, story = document_module(doc).build(ctx)
    if ctx.options.get("analysis_log") is not None:  # 附件：命令日志, on request
        from feijian.reports.analysis_annex import annex
        from feijian.reports.layout import content_width

        title = "附件4：数据查询与分析命令日志" if doc == "report" else "附件：数据查询与分析命令日志"
        story = [*story, *annex(ctx, content_width(spec), title=title)]
    return build_pdf(spec, ctx, story)
