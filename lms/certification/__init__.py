"""Certification: each cohort's rules, who meets them and why, certificates anyone can verify."""
