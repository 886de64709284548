"""Potential scoring: a plain library (no Flask, no database); filled by the scoring issue."""
