from .views import citizen, documents, office, tracking

app_name = "dossiers"

urlpatterns = citizen.urlpatterns + office.urlpatterns + tracking.urlpatterns + documents.urlpatterns
