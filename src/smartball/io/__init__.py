"""Reading and writing session files: CSV samples, raw serial captures, calibrations.

Everything that touches the file system for a session lives here, so the processing core
stays pure.
"""
