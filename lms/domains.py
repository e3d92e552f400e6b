"""Import every domain's registrations (content kinds, gates) and models.

Imported by the package itself, so anything that uses `lms` sees the same registries,
whether it starts through `create_app()` or imports a loader directly (tests, scripts).
"""
from lms import models  # noqa: F401  (every table)
from lms.assessment import content as _quizzes  # noqa: F401
from lms.certification import privacy as _certification_privacy  # noqa: F401  (export, erasure)
from lms.certification import summary as _certification_summary  # noqa: F401  (the cohort summary)
from lms.cohorts import requirements as _requirements  # noqa: F401  (the post-test gate)
from lms.learning import content as _learning  # noqa: F401
from lms.roleplays import content as _roleplays  # noqa: F401
