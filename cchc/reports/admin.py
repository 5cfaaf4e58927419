"""The reports app has no tables of its own: the index is computed from the dossiers, the
catalogue and the complaints, and its weights live in the setting CCHC_SERVICE_INDEX."""
