"""What every app's REST API stands on: access, permissions, pagination,
serializers that keep the models' rules, errors, and the schema.

Each app's ``api/`` package (serializers, views, filters, urls) builds on these,
so a reader who knows one app's API knows them all.
"""
