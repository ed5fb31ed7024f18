"""People who share a ball: who is pressing (a user name), on which body part, and the zones
that person measured for it (``smartball zones``).

- :mod:`.parts`: the body parts and their default thresholds (DESIGN.md);
- :mod:`.names`: user names, ``--user`` / ``SMARTBALL_USER``, the default person;
- :mod:`.store`: every measurement of a person's zones, per part, with its date;
- :mod:`.feel`: thresholds from a feel session (forces at the moments the person marked);
- :mod:`.zones`: the zones a session uses for a person and part, in one place.
"""
