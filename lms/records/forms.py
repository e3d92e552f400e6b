"""Forms for a person's data."""
from wtforms import BooleanField
from wtforms.validators import DataRequired

from lms.core.forms import BaseForm
from lms.core.i18n import lazy_gettext as _l


class EraseForm(BaseForm):
    """Erasure cannot be undone: the box must be ticked on the confirmation page."""

    understood = BooleanField(_l("I understand that this cannot be undone."),
                              validators=[DataRequired(message=_l("Tick the box to confirm."))])
