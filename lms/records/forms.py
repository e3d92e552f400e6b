"""Forms for a person's data."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from lms.core.forms import BaseForm


class EraseForm(BaseForm):
    """Erasure cannot be undone: the box must be ticked on the confirmation page."""

    understood = BooleanField(_l("I understand that this cannot be undone."),
                              validators=[DataRequired(message=_l("Tick the box to confirm."))])
