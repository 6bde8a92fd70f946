"""Benchmarks (not part of the test suite): `python -m bench.run [--quick]`.

See docs/benchmark.md for the rows, the targets and the latest figures."""
