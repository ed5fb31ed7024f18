"""Recordings: the raw chunks of a session with their host receive time and link events.

Readers are iterables of :class:`~smartball.chunk.Received`; writers are listeners
(``on_chunk``). Pacing (replaying in time) lives apart from reading in
:mod:`smartball.recording.sync`. The byte layout is in :mod:`smartball.recording.format`.
"""

from smartball.recording.format import FORMAT_VERSION, RecordingHeader, is_recording
from smartball.recording.reader import RecordingReader, RecordingWarning, TornRecordingWarning
from smartball.recording.writer import RecordingWriter, write_recording

__all__ = [
    "FORMAT_VERSION",
    "RecordingHeader",
    "RecordingReader",
    "RecordingWarning",
    "RecordingWriter",
    "TornRecordingWarning",
    "is_recording",
    "write_recording",
]
