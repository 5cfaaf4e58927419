from django.utils.functional import SimpleLazyObject


def site(request):
    from cchc.accounts.selectors import installation, portal_name

    # Lazy, and one query for both: the name of the portal and who runs it come from the data.
    about = SimpleLazyObject(installation)
    return {"site_name": SimpleLazyObject(lambda: portal_name(about)), "installation": about}
