"""Strokes of a rolled ball, from its gyro and accelerometer (boards that have them).

Pure: samples in, strokes out, no I/O. :mod:`.orientation` keeps the ball's orientation with
the Fusion AHRS (``imufusion``); :mod:`.tracker` turns the rotation, seen from the floor,
into strokes between reversals with their length, speed and direction.
"""

from smartball.strokes.tracker import Stroke, StrokeTracker

__all__ = ["Stroke", "StrokeTracker"]
