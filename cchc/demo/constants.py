"""Names the demo modules share (the loader and the dossier generator build on them, not on each other)."""

DEMO_AGENCY_CODE = "000.00.12.H99"  # the department of transport: the suite's single agency
