"""Custom-painted widgets (QtCharts is not in PySide6-Essentials)."""
