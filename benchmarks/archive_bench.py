"""The bureau's archive on a real PostgreSQL (issue 15): loading case tables with COPY against a plain pandas
``to_sql`` baseline, whole-package intake, and the models M01–M05; the encrypted SQLite archive beside it.

Starts its own PostgreSQL server (``tests/pg_server.py``: initdb in a temporary folder, fsync on), builds
a demo province (``feijian/demoprovince``: N institutions, shared persons planted), writes one signed package
per institution, then measures:

- load: the same institution's archive rows (every case table) through ``COPY … FROM STDIN`` (the archive's
  path) and through ``DataFrame.to_sql`` (SQLAlchemy + psycopg, pandas' default inserts), into the same
  partitioned tables: rows per second and the ratio;
- intake: every package verified, decrypted and archived (COPY), packages per minute and rows per second;
- models: each model's time over the whole archive, with its rows: on the statistics intake's ANALYZE of
  the loaded partitions left, after ANALYZE of every table (the parents too), and on a second archive
  loaded without ANALYZE (no statistics; a statement timeout bounds it); the same on the SQLite archive.

    .venv/bin/python benchmarks/archive_bench.py --quick          # 3 institutions
    .venv/bin/python benchmarks/archive_bench.py                  # 10 institutions
    .venv/bin/python benchmarks/archive_bench.py --institutions 50
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
os.environ.setdefault("FEIJIAN_KDF_FAST", "1")

from pg_server import available, conf_settings, create_database, postgres_server  # noqa: E402

from feijian.demoprovince import build_province, write_packages  # noqa: E402
from feijian.crypto.identity import create_identity  # noqa: E402
from feijian.crypto.trust import BureauKeys, TrustList  # noqa: E402
from feijian.sync.archive import Archive  # noqa: E402
from feijian.sync.bureau_models import MODELS, load_config, run_models, run_statement  # noqa: E402
from feijian.sync.case_archive import load_frame  # noqa: E402
from feijian.sync.intake import intake  # noqa: E402

CACHE_PASSPHRASE = "feijian archive benchmark cache"  # demo keys of synthetic data, kept between runs


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class _First:
    """What the load comparison needs of the first institution: its code (its partitions)."""

    def __init__(self, frames: dict) -> None:
        self.medins_code = frames["institution"].column("medins_code")[0].as_py()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - no getloadavg on this platform
        return "-"


def packages_for(n: int, scale: float, work: Path, cache: Path | None):
    """The bureau's keys, the inspector, n signed packages, each package's case rows and the first
    institution's archive frames. Generating a province at scale 1 takes minutes per ten institutions and is
    not what the benchmark measures: with ``cache`` the packages (encrypted to the bureau, as they travel)
    and the keys (sealed, a fixed passphrase) are kept there and the first n of them reused. The first n
    institutions of a larger demo province are the n-institution province: the generator's seeds are per
    institution and every planted pair lies among the first seven (``feijian/demoprovince``)."""
    from feijian.crypto.identity import seal_identity, unseal_identity
    from feijian.sync.verify import open_verified

    meta_path = cache / "meta.json" if cache else None
    if meta_path and meta_path.exists() and json.loads(meta_path.read_text())["institutions"] >= n:
        meta = json.loads(meta_path.read_text())
        bureau = BureauKeys.unseal((cache / "bureau.sealed").read_bytes(), CACHE_PASSPHRASE)
        inspector = unseal_identity((cache / "inspector.sealed").read_bytes(), CACHE_PASSPHRASE)
        pkgs = [cache / f for f in meta["packages"][:n]]
        rows = meta["rows"][:n]
        how = f"packages from the cache {cache}"
    else:
        bureau = BureauKeys.generate("基准医保局")
        inspector = create_identity("检查员", "B-1")
        out = cache or work
        if cache:
            shutil.rmtree(cache / "packages", ignore_errors=True)
            cache.mkdir(parents=True, exist_ok=True)
        t_build, province = timed(lambda: build_province(work / "province", n, scale=scale, seed=1))
        t_pack, infos = timed(lambda: write_packages(province, out / "packages", inspector,
                                                     bureau.public().intake_public))
        pkgs = [i.path for i in infos]
        rows = [sum(t.num_rows for t in inst.tables.values()) for inst in province.institutions]
        how = f"built {t_build:.0f} s, packed {t_pack:.0f} s"
        del province
        shutil.rmtree(work / "province", ignore_errors=True)  # the generator's plaintext extracts
        if cache:
            (cache / "bureau.sealed").write_bytes(bureau.seal(CACHE_PASSPHRASE, fast=True))
            (cache / "inspector.sealed").write_bytes(seal_identity(inspector, CACHE_PASSPHRASE, fast=True))
            meta_path.write_text(json.dumps({"institutions": n, "scale": scale, "rows": rows,
                                             "packages": [str(p.relative_to(cache)) for p in pkgs]}))
            how += f", cached in {cache}"
    trust = TrustList(bureau=bureau.public()).add(inspector.public).sign(bureau)
    key = bureau.intake_key
    with open_verified(pkgs[0], trust, recipient_public=bureau.public().intake_public, decrypt_key=key) as pkg:
        data = {t: pkg.table(t, key) for t in pkg.table_names()}
        medins = data["institution"].column("medins_code")[0].as_py()
        frames = {t: load_frame(t, d, medins_code=medins, case_id=pkg.manifest["case_id"], package_id="bench")
                  for t, d in data.items()}
    return bureau, inspector, pkgs, rows, frames, how


def load_copy(url: str, inst, frames: dict) -> float:
    with Archive.open(url) as a:
        def go():
            for t, frame in frames.items():
                a.cases._ensure_partition(t, inst.medins_code)
                a.cases._load(t, frame)
            a.commit()
        return timed(go)[0]


def load_to_sql(url: str, inst, frames: dict) -> float:
    import sqlalchemy

    with Archive.open(url) as a:  # the same schema and partitions, then pandas inserts
        for t in frames:
            a.cases._ensure_partition(t, inst.medins_code)
        a.commit()
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    import pyarrow as pa

    pandas_frames = {t: f.to_pandas() for t, f in frames.items()}
    # decimals arrive in pandas as objects, which to_sql would send as text: say they are numeric
    dtypes = {t: {c.name: sqlalchemy.Numeric(18, 4) for c in f.schema if pa.types.is_decimal(c.type)}
              for t, f in frames.items()}
    try:
        def go():
            with engine.begin() as conn:
                for t, df in pandas_frames.items():
                    df.to_sql(f"archive_{t}", conn, if_exists="append", index=False, chunksize=10_000,
                              dtype=dtypes[t])
        return timed(go)[0]
    finally:
        engine.dispose()


def bounded_models(a, timeout: float) -> dict[str, str]:
    """Each model's seconds as text, or ">timeout" when the session's statement timeout stopped it."""
    out = {}
    cfg = load_config()
    for m in MODELS:
        t0 = time.perf_counter()
        try:
            run_statement(a, m, cfg)
            out[m] = f"{time.perf_counter() - t0:.2f}"
        except Exception as exc:  # psycopg's QueryCanceled for the statement timeout
            a.rollback()
            out[m] = f">{timeout:.0f}" if "timeout" in str(exc) else "error"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 institutions")
    ap.add_argument("--institutions", type=int, default=None)
    ap.add_argument("--scale", type=float, default=0.02, help="demo generator scale per institution")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite comparison")
    ap.add_argument("--cache", default=None, metavar="DIR",
                    help="keep the generated packages here between runs (default: the temp folder, per scale)")
    ap.add_argument("--no-cache", action="store_true", help="generate the packages afresh in a temporary folder")
    ap.add_argument("--no-stats-compare", action="store_true",
                    help="skip the second PostgreSQL archive loaded without ANALYZE")
    ap.add_argument("--server-defaults", action="store_true",
                    help="start PostgreSQL with its defaults, not resources/bureau/postgresql.conf")
    ap.add_argument("--no-stats-timeout", type=float, default=60.0, metavar="S",
                    help="statement timeout of a model on no statistics (default 60 s)")
    args = ap.parse_args()
    n = args.institutions or (3 if args.quick else 10)
    if not available():
        print("archive_bench: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): skipped")
        return 0
    try:
        import sqlalchemy  # noqa: F401
        have_sqlalchemy = True
    except ImportError:
        have_sqlalchemy = False

    work = Path(tempfile.mkdtemp(prefix="feijian-archive-bench-"))
    cache = None if args.no_cache else Path(args.cache or Path(tempfile.gettempdir()) /
                                            f"feijian-archive-bench-cache-s{args.scale:g}")
    bureau, inspector, pkgs, rows, frames, how = packages_for(n, args.scale, work, cache)
    trust = TrustList(bureau=bureau.public()).add(inspector.public).sign(bureau)
    rows_total = sum(rows)
    print(f"province: {n} institutions x scale {args.scale:g}, {rows_total:,} case rows ({how}; not measured)")
    print(f"load average at start: {load_average()}")

    from feijian.paths import resource

    settings = None if args.server_defaults else conf_settings(resource("bureau", "postgresql.conf"))
    print(f"server settings: {'PostgreSQL defaults' if settings is None else settings}")
    with postgres_server(fsync=True, settings=settings) as server:
        # --- load: COPY vs to_sql, the same rows of one institution ---
        inst = _First(frames)
        rows_one = sum(f.num_rows for f in frames.values())
        t_copy = load_copy(create_database(server, "bench_copy_load"), inst, frames)
        print(f"\nload of one institution ({rows_one:,} rows, {len(frames)} tables):")
        print(f"  COPY          {t_copy:8.2f} s  {rows_one / t_copy:12,.0f} rows/s")
        if have_sqlalchemy:
            t_sql = load_to_sql(create_database(server, "bench_to_sql"), inst, frames)
            print(f"  pandas to_sql {t_sql:8.2f} s  {rows_one / t_sql:12,.0f} rows/s")
            print(f"  ratio COPY / to_sql: {t_sql / t_copy:.1f}x faster")
        else:
            print("  pandas to_sql: skipped (needs SQLAlchemy: pip install sqlalchemy)")

        # --- intake: every package, verified and archived, then ANALYZE of what went stale ---
        url = create_database(server, "bench_archive")
        t_intake, _ = timed(lambda: intake(pkgs, url, bureau_keys=bureau, trust=trust))
        print(f"\nintake into PostgreSQL: {n} packages in {t_intake:.1f} s = {n / t_intake * 60:.1f} packages/min, "
              f"{rows_total / t_intake:,.0f} rows/s (verify + decrypt + COPY + ANALYZE)")

        # --- models: on the statistics intake left ---
        with Archive.open(url) as a:
            t_models, run = timed(lambda: run_models(a, analyze=False))
            pg_seconds = run.seconds
            pg_counts = {m: run.count(m) for m in MODELS}
            print(f"models on PostgreSQL, statistics from intake: {t_models:.1f} s (with storing the run)")
            t_all, run_all = timed(lambda: run_models(a, analyze="all"))
            all_seconds = run_all.seconds
            print(f"models after ANALYZE of every archive table (parents too): {t_all:.1f} s "
                  f"(ANALYZE {t_all - sum(all_seconds.values()):.1f} s of it)")

        # --- the same archive loaded without ANALYZE: what the models cost on no statistics ---
        none_seconds: dict = {}
        part_seconds: dict = {}
        t_plain = None
        if not args.no_stats_compare:
            url2 = create_database(server, "bench_archive_no_analyze")
            t_plain, _ = timed(lambda: intake(pkgs, url2, bureau_keys=bureau, trust=trust,
                                              analyze=False))
            print(f"intake without ANALYZE: {t_plain:.1f} s (ANALYZE at intake costs {t_intake - t_plain:+.1f} s, "
                  f"{(t_intake - t_plain) / n:+.2f} s per package)")
            with Archive.open(url2) as a:
                a._exec(f"SET statement_timeout = '{int(args.no_stats_timeout * 1000)}'")
                a.commit()
                none_seconds = bounded_models(a, args.no_stats_timeout)
                # the partitions analyzed, the partitioned parents not
                for name, _ in a.cases._reltuples()[1].values():
                    a._exec(f"ANALYZE {name}")
                a.commit()
                part_seconds = bounded_models(a, args.no_stats_timeout)

    lite_seconds: dict = {}
    lite_counts: dict = {}
    if not args.no_sqlite:
        path = work / "archive.sqlite"
        t_lite, _ = timed(lambda: intake(pkgs, path, bureau_keys=bureau, trust=trust))
        print(f"intake into SQLite (SQLCipher): {t_lite:.1f} s = {n / t_lite * 60:.1f} packages/min, "
              f"{rows_total / t_lite:,.0f} rows/s; PostgreSQL/SQLite time ratio {t_intake / t_lite:.2f}")
        with Archive.open(path, bureau_keys=bureau) as a:
            run = run_models(a)
        lite_seconds, lite_counts = run.seconds, {m: run.count(m) for m in MODELS}

    print("\nseconds per model on PostgreSQL: no statistics; partitions analyzed, parents not; intake's ANALYZE "
          "(once per batch, what went stale); after ANALYZE of every table; then SQLite")
    print(f"{'model':6} {'rows':>6} {'no stats':>9} {'parts':>8} {'intake':>8} {'all':>8} {'ratio':>7} {'SQLite':>8}")
    for m in MODELS:
        lite = f"{lite_seconds[m]:8.2f}" if m in lite_seconds else f"{'-':>8}"
        same = "" if not lite_counts or lite_counts[m] == pg_counts[m] else f"  (SQLite rows {lite_counts[m]})"
        ratio = f"{all_seconds[m] / pg_seconds[m]:7.2f}" if pg_seconds[m] else f"{'-':>7}"
        print(f"{m:6} {pg_counts[m]:6d} {none_seconds.get(m, '-'):>9} {part_seconds.get(m, '-'):>8} "
              f"{pg_seconds[m]:8.2f} {all_seconds[m]:8.2f} "
              f"{ratio} {lite}{same}")
    print("(ratio: after ANALYZE of every table / on intake's statistics)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
