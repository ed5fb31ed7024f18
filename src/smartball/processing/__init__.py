"""The processing core: pressure to force, zones, holds, rolling, the too-hard warning.

Pure: no I/O anywhere in this package. Samples come in as :class:`~smartball.block.SampleBlock`
and results go out as arrays and :class:`~smartball.events.Event` objects; state is carried
between calls so chunked and whole-input processing agree.
"""

from smartball.processing.calibration import REFERENCE_PA_PER_N, Calibration
from smartball.processing.config import ProcessingConfig
from smartball.processing.holds import Hold
from smartball.processing.processor import Processor, ProcessResult

__all__ = [
    "REFERENCE_PA_PER_N",
    "Calibration",
    "Hold",
    "ProcessResult",
    "ProcessingConfig",
    "Processor",
]
