"""One module per page family (home.py, cases.py, person.py...); URLs in dashboard/urls.py."""
