"""The dashboard's casework pages: the cases export and the case page's quick actions on notes and
follow-ups (with ``CaseFormAction``, which every quick action builds on). The case page itself, like
every page that joins several apps, is in dashboard/views/.
"""
