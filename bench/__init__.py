"""Benchmarks, run by `make bench`: figures and ratios to a baseline measured in the same run."""
