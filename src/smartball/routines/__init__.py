"""Guided routines: the routines of the guides as data (``library/*.json``), their clock and
score (:mod:`.tracker`), and the processing that runs them with the strokes
(:mod:`.processing`). Pure: no I/O beyond reading the routine files."""
