"""Home: each person's starting page, composed from every domain (the top layer)."""
