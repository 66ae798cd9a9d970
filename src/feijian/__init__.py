"""feijian (飞检): an offline workbench for medical-insurance fund flight inspections.

Layers depend downward only (see ../shared/docs/architecture.md):
``domain`` ← ``ingest``, ``rules``, ``store``, ``crypto`` ← ``casework``, ``sync``, ``reports`` ← ``cli``, ``gui``.
Nothing below ``gui`` imports Qt.
"""

__version__ = "0.1.0"
