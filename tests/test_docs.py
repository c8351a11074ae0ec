"""Generated documentation matches the code it documents."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_generated_docs_are_up_to_date():
    done = subprocess.run([sys.executable, "scripts/make_docs.py", "--check"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr + done.stdout


def test_every_field_has_a_description():
    from pydantic import BaseModel

    from sim.scenario import schema

    undocumented = [
        f"{model.__name__}.{name}"
        for model in vars(schema).values()
        if isinstance(model, type) and issubclass(model, BaseModel) and model is not schema.Frozen and model.__module__ == schema.__name__
        for name, field in model.model_fields.items()
        if not field.description
    ]
    assert undocumented == []
