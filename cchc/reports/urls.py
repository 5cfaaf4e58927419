from . import views, views_statutory

app_name = "reports"

urlpatterns = views.urlpatterns + views_statutory.urlpatterns
