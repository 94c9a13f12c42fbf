// The HTTP benchmark client lands here next (see Benchmarks/README.md).
