"""Every form refuses an over-long value with a message naming the limit (never a crash)."""
import importlib
import inspect
import pkgutil

import pytest
from wtforms.validators import Length

import lms
from lms.core.forms import BaseForm


def _form_classes():
    for info in pkgutil.walk_packages(lms.__path__, "lms."):
        if info.name.endswith("forms"):
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, BaseForm) and cls is not BaseForm and cls.__module__ == module.__name__:
                    yield cls


def _limited_fields(cls):
    for name, unbound in vars(cls).items():
        for validator in getattr(unbound, "kwargs", {}).get("validators", []) or []:
            if isinstance(validator, Length) and validator.max and validator.max > 0:
                yield name, validator.max


CASES = [(cls, name, limit) for cls in _form_classes() for name, limit in _limited_fields(cls)]


def test_the_walk_finds_the_forms():
    assert len(CASES) >= 8


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("cls, field, limit", CASES,
                         ids=[f"{c.__name__}.{f}" for c, f, _ in CASES])
def test_too_long_values_are_refused_with_the_limit_named(app, cls, field, limit, lang):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        with app.test_request_context(method="POST", data={field: "x" * (limit + 1)}):
            from flask import session
            session["lang"] = lang
            form = cls()
            for bound in form:  # choices are filled in by the views
                if hasattr(bound, "choices") and bound.choices is None:
                    bound.choices = []
            form.validate()
            messages = form.errors.get(field, [])
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert any(str(limit) in message for message in messages), messages


def test_long_text_fields_show_their_limit_on_the_page(app, client):
    from tests.factories import world
    from tests.test_cohorts import sign_in
    ids = world(app)
    sign_in(client, "trainee-a1")
    rtl = client.get(f"/cohorts/{ids['cohort_a']}/rtl").get_data(as_text=True)
    practice = client.get(f"/cohorts/{ids['cohort_a']}/practice").get_data(as_text=True)
    assert rtl.count("Paling banyak 5.000 karakter.") == 4
    assert "Paling banyak 2.000 karakter." in practice
    login = app.test_client().get("/login").get_data(as_text=True)
    assert 'maxlength="64"' in login  # one-line fields hold to the limit as they are typed
