"""Web pages for dossiers, one module per audience; each module defines its `urlpatterns`."""
