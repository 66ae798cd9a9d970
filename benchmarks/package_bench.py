"""Export + verify of a package holding N MB of evidence, against the stock tools on the same bytes.

Baseline (what a clerk's shell pipeline does for the same guarantees): ``sha256sum`` of the plaintext,
``age -e`` to the bureau key, ``sha256sum`` of the ciphertext, ``age -d``. Ours: export (hash at packing,
age encryption, ZIP, SHA256SUMS, minisign) + full verify with the bureau key (ZIP structure, CRC, signature,
every SHA-256, streaming decryption and the plaintext hash of each evidence item).

    .venv/bin/python benchmarks/package_bench.py --mb 1024        # target: ratio <= 2.0
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from feijian.crypto import age
from feijian.crypto.identity import create_identity, raw_private
from feijian.crypto.trust import BureauKeys, TrustList
from feijian.domain.events import make_event
from feijian.sync.package import EvidenceSource, PackageContent, write_package
from feijian.sync.verify import verify_package

CHUNK = 1 << 20


def file_chunks(path: Path):
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                return
            yield b


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=1024, help="evidence size in MiB (default 1024)")
    ap.add_argument("--files", type=int, default=4, help="number of evidence items the size is split into")
    args = ap.parse_args()
    for tool in ("sha256sum", "age"):
        if shutil.which(tool) is None:
            print(f"{tool} not installed", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="feijian-bench-"))
    try:
        bureau = BureauKeys.generate("bench")
        author = create_identity("bench", "B1")
        trust = TrustList(bureau=bureau.public()).add(author.public).sign(bureau)
        intake_pub = bureau.public().intake_public
        per = args.mb // args.files
        items, paths = [], []
        block = os.urandom(CHUNK)  # synthetic, not patient data
        for i in range(args.files):
            p = work / f"e{i}.bin"
            h = hashlib.sha256()
            with open(p, "wb") as f:
                for j in range(per):
                    b = block[j % 251:] + block[: j % 251]
                    f.write(b)
                    h.update(b)
            items.append(EvidenceSource(f"E{i}", h.hexdigest(), per * CHUNK, lambda p=p: file_chunks(p)))
            paths.append(p)
        ev = make_event(case_id="BENCH", author=author.key_id, device=author.device_id, lamport=1, type="case.created",
                        payload={}, prev_hash="")
        content = PackageContent("BENCH", [ev], None, items)
        t_export, info = timed(lambda: write_package(work / "p.fjpkg", content, author, kind="bureau",
                                                    recipients={"bureau": intake_pub}, seq=1, prev=""))
        t_verify, verdict = timed(lambda: verify_package(info.path, trust, recipient_public=intake_pub,
                                                         decrypt_key=bureau.intake_key))
        assert verdict.ok, verdict.message
        (work / "key.txt").write_text(age.identity_file(raw_private(bureau.intake_key)))
        rcpt = age.recipient(intake_pub)

        def baseline():
            for p in paths:
                subprocess.run(["sha256sum", str(p)], check=True, capture_output=True)
                subprocess.run(["age", "-e", "-r", rcpt, "-o", str(p) + ".age", str(p)], check=True)
                subprocess.run(["sha256sum", str(p) + ".age"], check=True, capture_output=True)
                subprocess.run(["age", "-d", "-i", str(work / "key.txt"), "-o", str(p) + ".out", str(p) + ".age"],
                               check=True)
                os.unlink(str(p) + ".out")

        t_base, _ = timed(baseline)
        ours = t_export + t_verify
        mb = per * args.files
        print(f"evidence: {mb} MiB in {args.files} items; package {info.path.stat().st_size / CHUNK:.0f} MiB")
        print(f"export  {t_export:7.2f} s  ({mb / t_export:6.0f} MiB/s)")
        print(f"verify  {t_verify:7.2f} s  ({mb / t_verify:6.0f} MiB/s)  (with decryption and plaintext hashes)")
        print(f"stock   {t_base:7.2f} s  (sha256sum + age -e + sha256sum + age -d)")
        print(f"ratio   {ours / t_base:7.2f}  (target <= 2.0)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
