"""The simulated ball: a stand-in for the hardware in demos, tests and benchmarks."""
