import pytest


@pytest.fixture(autouse=True)
def _only_the_dossier_core(monkeypatch):
    """These tests exercise the dossier core alone: the guards that apps above it register
    (the fee before reception, …) are tested in those apps, and the whole journey end to end."""
    from cchc.dossiers import hooks

    monkeypatch.setattr(hooks, "_guards", [])
