"""Hits of R24–R29 before and after a change to the record rules' engine (issue 14): the demo generated and
imported into an encrypted case (temporary folder, removed afterwards), screened on its documents and on a
mutated copy of them (negated and re-mentioned terms, spaced and full-width terms, counts in Chinese
numerals across line breaks, absence phrases with and without cues, shifted dates, empty, null and dropped
documents; seeded, so the same copy every run). Writes digests (hit id, rule, SHA-256 of detail, amount,
date, item, line; one digest of all hit lines) to ``--digests``, or compares with the file when it exists.
No text leaves the process: the file holds hashes only.

    .venv/bin/python benchmarks/record_equivalence.py --scale 10 --digests /tmp/before.json   # old commit
    .venv/bin/python benchmarks/record_equivalence.py --scale 10 --digests /tmp/before.json   # new: SAME?

``--data FOLDER`` imports an already generated demo folder instead (the same data for both runs, faster).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))
from screen_bench import load_case  # noqa: E402

from feijian.casework.screening import case_sources, load_kb  # noqa: E402
from feijian.rules import screen  # noqa: E402
from feijian.rules.record_text import DEFAULT_ABSENCE_TERMS, NEGATION_CUES, split_list  # noqa: E402


def mutated(docs: pa.Table, kb) -> pa.Table:
    terms = sorted({t for r in kb.item_terms.to_pylist() for t in split_list(r["terms"])}, key=lambda t: (-len(t), t))
    rng = random.Random(11)
    texts, times, keep, kinds = docs.column("text").to_pylist(), docs.column("doc_time").to_pylist(), [], Counter()
    for i, t in enumerate(texts):
        x = rng.random()
        keep.append(x >= 0.01)
        term = next((w for w in terms if w in t), None) if t and x >= 0.01 else None
        if term and x < 0.05:
            texts[i], kind = t.replace(term, rng.choice(NEGATION_CUES) + term, 1), "negated"
        elif term and x < 0.07:
            texts[i], kind = t.replace(term, rng.choice(NEGATION_CUES) + term, 1) + "。复查" + term + "两枚", "again"
        elif term and x < 0.09:
            texts[i], kind = t.replace(term, term[0] + " \u3000" + term[1:], 1), "spaced"
        elif term and x < 0.10:
            texts[i] = t.replace(term, "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term), 1)
            kind = "full-width"
        elif term and x < 0.11:
            texts[i], kind = t + "\r\n" + term + "十二枚，" + term + "3根", "counts"
        elif 0.01 <= x < 0.13:
            texts[i] = (t or "") + "；" + rng.choice(("", "取消", "拒绝")) + rng.choice(DEFAULT_ABSENCE_TERMS) + "，当日返院"
            kind = "absence"
        elif 0.01 <= x < 0.15:
            times[i], kind = (times[i] + dt.timedelta(days=rng.choice((-1, 1, 2))) if times[i] else None), "shifted"
        elif 0.01 <= x < 0.16:
            texts[i], kind = (None if rng.random() < 0.5 else ""), "empty"
        else:
            kind = "dropped" if x < 0.01 else "kept"
        kinds[kind] += 1
    print("mutations:", dict(kinds))
    return pa.table({"doc_id": docs.column("doc_id"), "mdtrt_id": docs.column("mdtrt_id"),
                     "doc_type": docs.column("doc_type"), "doc_time": pa.array(times, docs.schema.field("doc_time").type),
                     "text": pa.array(texts, pa.string()), "_ocr_confidence": docs.column("_ocr_confidence")}
                    ).filter(pa.array(keep))


def digests(res) -> dict:
    rows = sorted([r.hit_id, r.rule_code, hashlib.sha256(f"{r.detail}|{r.amount}|{r.date}|{r.med_list_codg}|"
                                                         f"{r.feedetl_sn}".encode()).hexdigest()[:16]]
                  for r in res.hits.itertuples())
    lines = res.hit_lines
    key = sorted(zip(*(lines[c].astype(str) for c in ("hit_id", "mdtrt_id", "feedetl_sn", "amount"))))
    print("  R24-R29 hits:", dict(sorted(Counter(r[1] for r in rows if "R24" <= r[1] <= "R29").items())),
          f"all hits {len(rows):,}")
    return {"hits": rows, "lines": hashlib.sha256(str(key).encode()).hexdigest()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=10.0)
    ap.add_argument("--digests", type=Path, required=True)
    ap.add_argument("--data", type=Path, help="an already generated demo folder (feijian demo-data) to import "
                                               "instead of generating one")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="record_equivalence_"))
    try:
        store, _ = load_case(args.scale, work, args.data)
        kb = load_kb()
        now = {}
        for name in ("demo", "mutated"):
            src = case_sources(store)
            if name == "mutated":
                src["emr_docs"] = mutated(store.read_table(
                    "emr_docs", ["doc_id", "mdtrt_id", "doc_type", "doc_time", "text", "_ocr_confidence"]), kb)
            print(name)
            now[name] = digests(screen(src, kb))
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.digests.exists():
        args.digests.write_text(json.dumps(now))
        print("digests written to", args.digests)
        return
    before = json.loads(args.digests.read_text())
    for name in now:
        a, b = {tuple(x) for x in before[name]["hits"]}, {tuple(x) for x in now[name]["hits"]}
        same = a == b and before[name]["lines"] == now[name]["lines"]
        print(f"{name}: {'SAME' if same else 'DIFFERENT'}" + ("" if same else
              f" (only before {len(a - b)}, only now {len(b - a)}, lines same {before[name]['lines'] == now[name]['lines']})"))


if __name__ == "__main__":
    main()
