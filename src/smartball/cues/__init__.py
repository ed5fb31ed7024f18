"""Cues: coaching that does not need eyes.

:mod:`smartball.cues.logic` decides when a cue is due (a pure listener on the pipeline's
results and events, in device time); :mod:`smartball.cues.sounds` prepares each cue's
samples; :mod:`smartball.cues.player` plays them from an audio callback,
:mod:`smartball.cues.render` writes them to a WAV file in device time, :mod:`smartball.cues.voice`
speaks with the platform's speech and :mod:`smartball.cues.log` writes the ``--cue-log``.
"""

from smartball.cues.logic import CUE_NAMES, Cue, CueMaker

__all__ = ["CUE_NAMES", "Cue", "CueMaker"]
