"""The machinery of bench/run.py: timing processes (measure), the local AWS
and its environments (lab), seeding it (seed), the curl floor (floor), and
the report (report)."""
