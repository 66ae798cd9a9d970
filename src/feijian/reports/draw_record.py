"""双随机抽查记录: the public record of a draw — inputs' hashes, algorithm, seed and commitment, strata, result.

Built from a :class:`feijian.casework.draw.DrawRecord`; nothing in it is patient data, so a public page can
show it. The record's own hash is printed so a reader can match the PDF to the signed JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feijian.casework.draw import DrawRecord
from feijian.crypto.canonical import canonical_json
from feijian.domain.records import CaseInfo
from feijian.domain.regions import region_or_text
from feijian.reports.context import ReportContext
from feijian.reports.layout import DocSpec, build_pdf, content_width, data_table, field_table, p, styles
from feijian.reports.parts import date_zh

SPEC = DocSpec("draw-record", "双随机抽查记录")
STRATA_NAMES = {"type": "机构类型", "level": "等级", "region": "地区"}


def _when(record: DrawRecord) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(record.drawn_at.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def build(record: DrawRecord):
    st = styles()
    width = content_width(SPEC)
    prm = record.params
    story = [p(SPEC.title, st["title"]), p(f"承诺值 {record.commitment[:16]}…", st["subtitle"])]
    strata = "、".join(STRATA_NAMES.get(k, k) for k in prm.stratify) or "不分层"
    pairs = [
        ("组织机关", record.authority or "（未填写）"),
        ("抽取时间（UTC）", record.drawn_at or "（未记录）"),
        ("抽取方法", f"{record.algorithm.get('name', '')} 第 {record.algorithm.get('version', '')} 版："
                    f"SHA-256 计数器随机流，按{strata}分层（最大余数法分配），"
                    f"{'按风险评分加权（权重 = 1 + 风险评分×100，四舍五入）' if prm.weighted else '等概率'}不放回抽取；"
                    "每个机构随机抽取检查组，回避同单位、同地区及申报利害关系人员，每人仅入一组"),
        ("抽取数量", f"机构 {prm.n} 家，每组检查人员 {prm.team_size} 名"),
        ("种子承诺值 SHA-256（事前公布）", record.commitment),
        ("种子（事后公开）", record.seed),
    ]
    for key, label in (("institutions", "机构名录"), ("inspectors", "检查人员库")):
        e = record.inputs.get(key, {})
        pairs.append((f"{label}（{e.get('rows', '')} 条）", f"{e.get('file', '')}\nSHA-256 {e.get('sha256', '')}"))
    record_hash = hashlib.sha256(canonical_json(record.to_dict())).hexdigest()
    pairs.append(("本记录 SHA-256", record_hash))
    story.append(field_table(pairs, width, label_w=48 * mm))
    story.append(p("一、分层情况", st["h2"]))
    story.append(data_table(["层", "机构数", "抽取数"],
                            [[s or "（全部）", v["population"], v["drawn"]] for s, v in record.strata.items()],
                            [width * 0.6, width * 0.2, width * 0.2], center_cols=(1, 2)))
    story.append(p("二、抽取结果", st["h2"]))
    rows = [[r.order, r.institution.code, r.institution.name, r.institution.type, r.institution.level,
             region_or_text(r.institution.region), str(r.institution.risk), "、".join(r.team)] for r in record.result]
    story.append(data_table(["序号", "机构编码", "机构名称", "类型", "等级", "地区", "风险", "检查组（首位为组长）"], rows,
                            [w * width for w in (0.06, 0.13, 0.22, 0.1, 0.07, 0.1, 0.07, 0.25)],
                            center_cols=(0, 4, 6)))
    story.append(Spacer(1, 4 * mm))
    story.append(p("三、验证方法", st["h2"]))
    story.append(p(
        "任何人可用本记录（签名的 JSON 文件）和上述两个输入文件独立重算：先核对两个文件的 SHA-256 和种子的 SHA-256 "
        "（须等于事前公布的承诺值），再运行 `feijian draw verify 记录文件 --institutions 机构名录 --inspectors "
        "检查人员库 --pubkey 医保局公钥`，结果须与本记录完全一致，记录的医保局签名须有效。", st["indent"]))
    story.append(Spacer(1, 8 * mm))
    story.append(p(f"{record.authority or '（组织机关）'}（盖章）", st["right"]))
    story.append(p(date_zh(_when(record)), st["right"]))
    return story


def render(record: DrawRecord) -> bytes:
    info = CaseInfo(case_id=f"抽查 {record.commitment[:16]}", name="draw", medins_code="", medins_name="", medins_lv="")
    ctx = ReportContext(info=info, generated_at=_when(record).replace(tzinfo=None), authority=record.authority)
    return build_pdf(SPEC, ctx, build(record))
