"""Plain data types shared by every layer: the data contract, records, events and their projection.

Only the standard library is imported here.
"""
