"""After the track: the follow-up action plan (RTL) and field practice (aktualisasi)."""
