"""The dashboard's casework pages: home, cases list, case page and its quick actions.

One module per page family (home.py, cases.py, actions.py); URLs in casework/urls.py.
"""
