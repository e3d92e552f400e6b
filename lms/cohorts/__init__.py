"""Organisations, cohorts (angkatan) and who belongs to them."""
