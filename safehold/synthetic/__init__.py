"""Synthetic borough generator: a believable, reproducible local authority for demos, tests and benchmarks.

``generator`` simulates children's journeys in plain Python (rows as dicts, ids assigned here, deterministic
from the seed); ``loader`` writes them with ``bulk_create`` inside one service; ``rates`` holds the national
figures the simulation is calibrated on; ``measure`` reads rates and code coverage back from the rows.
"""
