"""The dashboard's pages that join several apps: the home page, search, the case list and page, the
dossier, the person page, and the case page's quick actions that cite a source.

The top of the ladder (tests/project/test_layers.py): it imports the apps, none imports it. Each app's own
pages (people's search, evidence's files, the watch, imports and exports) stay in its views.
"""
