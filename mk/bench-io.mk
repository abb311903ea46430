# io benchmarks
