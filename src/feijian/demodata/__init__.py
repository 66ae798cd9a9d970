"""The demo hospital (``feijian demo-data``): deterministic synthetic extracts of one level-3 hospital in the
format of the data contract, the sample knowledge base, and planted violations of every rule.

Layout of ``OUT_DIR``: the case tables directly in it (GBK CSV with Chinese headers for visits, fees and
inventory; UTF-8 CSV with English headers for orders, diagnoses, settlements and trace codes; UTF-8-BOM for
the institution; ``|``-separated operations; the staff list as XLSX — staff is the XLSX table because it
stays small at every scale, so the workbook never limits streaming), ``kb/`` (a copy of
``resources/kb``), and ``meta/`` (``planted.json``, ``clues.csv``, ``evidence/``).
"""

from feijian.demodata.generator import generate
from feijian.demodata.manifest import DemoManifest

__all__ = ["generate", "DemoManifest"]
