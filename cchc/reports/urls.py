from . import views, views_dashboards, views_statutory

app_name = "reports"

urlpatterns = views.urlpatterns + views_statutory.urlpatterns + views_dashboards.urlpatterns
