"""Benchmarks (printed tables, not timed tests) and the minimal reference provider they measure against."""
