"""SmartBall: pressure-feedback coaching for a sensing foot-massage ball.

Importing this package must stay cheap: nothing heavy (numpy, matplotlib, bleak,
pyserial) is imported here, so that ``smartball --help`` answers at once.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
