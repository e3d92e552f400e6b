"""Import every model so that SQLAlchemy and Alembic see the whole schema."""
from lms.accounts.models import ActivationCode, LoginSession, LoginThrottle, Organisation, Role, User  # noqa: F401
from lms.assessment.models import Attempt, EssayReview, EssayReviewHistory, Quiz, QuizVersion  # noqa: F401
from lms.certification.models import Certificate, CertificationRules, PrintedName  # noqa: F401
from lms.cohorts.models import (  # noqa: F401
                                Attendance,
                                Cohort,
                                CohortFacilitator,
                                Enrollment,
                                TrainingSession,
)
from lms.core.audit import AuditEntry  # noqa: F401
from lms.core.page_stamps import SiteStamp  # noqa: F401
from lms.learning.models import Module, ModuleProgress, Track  # noqa: F401
from lms.practice.models import ActionPlan, PracticeEntry  # noqa: F401
from lms.roleplays.models import (  # noqa: F401
                                RolePlay,
                                RolePlayRun,
                                RolePlayVersion,
                                RunObservation,
                                RunParticipant,
)
