from django.conf import settings


def site(request):
    return {"site_name": settings.CCHC_SITE_NAME}
