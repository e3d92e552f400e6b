"""Trainee records: what each trainee of a cohort has done, gathered from every domain."""
