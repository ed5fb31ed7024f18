"""The simulated ball: physics of a sensing massage ball under a foot, scenarios of real use,
the ground truth of each session, and a device that speaks the wire protocol.

It stands in for the hardware in the demo, the tests and the benchmarks, so it must be
realistic enough that what works against it works on a real ball, and it knows the truth
so the processing can be scored.
"""
