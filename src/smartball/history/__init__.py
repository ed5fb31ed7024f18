"""The kept sessions: every ``live`` and ``record`` session's recording under
``$SMARTBALL_HOME/sessions/`` and one row per session in ``$SMARTBALL_HOME/history.sqlite3``.

The modules here import nothing heavy (stdlib ``sqlite3`` only), so ``smartball history``
answers quickly; the trends figure (matplotlib) lives in :mod:`smartball.view.trends`.

What the history owns: the database and the recordings under ``sessions/``. Files a user
named (``--record FILE``, ``history import FILE``) are referenced or copied, never moved or
deleted.
"""
