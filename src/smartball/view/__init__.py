"""The live coaching view and the session report.

``buffer.LiveBuffer`` (a Session listener the device thread fills), ``live.LiveView`` (the
blitted figure), ``app.run_live_view`` (window or headless), ``report`` (one figure for a
finished session). Nothing here imports matplotlib at package import time.
"""
