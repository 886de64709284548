"""Showing a service's InvalidInputError on the form that sent the input."""

from flask import flash
from flask_wtf import FlaskForm

from crm.errors import InvalidInputError


def attach_errors(form: FlaskForm, invalid: InvalidInputError) -> None:
    """Each message goes under its field; one about no field of the form is flashed."""
    for field_name, messages in invalid.errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
        else:
            flash(" ".join(messages), "danger")
