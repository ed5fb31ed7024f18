"""When a hold on a sore spot counts as having reached its target (about ten seconds).

One rule for everyone who says it: the processing's ``hold_end`` event, the coach, the live
view, ``analyze`` and the report. The coach says "release" at the target; half a second of
slack covers the user's reaction to that cue, so a hold released on the cue is not called
short. Imports nothing, so the coach stays free of numpy.
"""

from __future__ import annotations

HOLD_TARGET_S = 10.0
SLACK_S = 0.5


def reached_target(duration_s: float, target_s: float = HOLD_TARGET_S) -> bool:
    return duration_s >= target_s - SLACK_S
