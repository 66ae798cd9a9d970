"""Inspection documents as PDF with reportlab and the bundled CJK font: ``render(doc, store, out)`` in
:mod:`feijian.reports.issue`; one module per document; shared layout, fonts and charts."""
