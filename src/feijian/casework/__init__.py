"""The workflow of a case: import, screening, review of hits into findings, stages, clue lists, sampling and
extrapolation, amounts and penalty ranges (architecture.md, ``casework/``)."""
