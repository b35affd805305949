"""The OpenAPI schema: drf-spectacular's, with the error answers every operation can give."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field by field (or query parameter by parameter): a list of messages for each; "
    '"non_field_errors" for the object as a whole; "detail" for a malformed body.',
    "additionalProperties": {},
}

ERRORS = {
    "400": ("Invalid input: a malformed body, a field, or a filter value.", FIELD_ERRORS),
    "401": ("No valid token or session.", DETAIL),
    "403": ("Signed in, but without the permission this needs.", DETAIL),
    "404": ("No such object, or not one you may see.", DETAIL),
    "409": ("Other records still refer to this one (delete), or it changed since the version you sent.", DETAIL),
    "413": ("Request body too large.", DETAIL),
    "415": ("A body that is not JSON.", DETAIL),
    "429": ("Too many attempts: wait a minute.", DETAIL),
}


class VigilAutoSchema(AutoSchema):
    """Adds to each operation the errors it can answer with, so clients (and
    schemathesis) know every status code to expect."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if self.method in ("DELETE", "PUT", "PATCH"):
            codes.append("409")
        for code in codes:
            description, schema = ERRORS[code]
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": schema}}}
            )
        if "429" in responses:  # declared by the view (the token endpoint): give it its body
            description, schema = ERRORS["429"]
            responses["429"] = {"description": description, "content": {"application/json": {"schema": schema}}}
        return responses
