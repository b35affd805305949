"""The OpenAPI schema: drf-spectacular's, with the error answers every operation can give."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.api.preconditions import UNSAFE, ETagMixin
from core.internals import ResponseBodiesHook

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": _(
        "Field by field (or query parameter by parameter): a list of messages for each; "
        '"non_field_errors" for the object as a whole; "detail" for a malformed body.'
    ),
    "additionalProperties": {},
}

ERRORS = {
    "400": (_("Invalid input: a malformed body, a field, or a filter value."), FIELD_ERRORS),
    "401": (_("No valid token or session."), DETAIL),
    "403": (_("Signed in, but without the permission this needs."), DETAIL),
    "404": (_("No such object, or not one you may see."), DETAIL),
    "409": (_("Other records still refer to this one: remove or re-link those first."), DETAIL),
    "412": (_("The object changed since the ETag in If-Match: nothing was saved. GET it again and retry."), DETAIL),
    "413": (_("Request body too large."), DETAIL),
    "415": (_("A body that is not JSON."), DETAIL),
    "428": (_("If-Match is missing (or `*`): send the ETag of your last GET of the object."), DETAIL),
    "429": (_("Too many requests: wait the seconds Retry-After says."), DETAIL),
}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        'The ETag of your last GET of this object (`"casework.case-12-v3"`): '
        "without it 428, when the object changed since 412."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description=_("This version of the object: send it back in If-Match to change or delete it."),
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds to wait before the next request."),
)


class VigilAutoSchema(ResponseBodiesHook, AutoSchema):
    """Adds to each operation the errors it can answer with, so clients (and
    schemathesis) know every status code to expect, and the ETag and If-Match
    headers of objects (core/api/preconditions.py); describes each operation in
    the reader's language."""

    def get_description(self):
        """The view's ``api_description`` (a lazy string, so in the language of the request
        for the schema; a docstring never reaches the catalogue), or an action's own
        ``extend_schema(description=_(...))``, which drf-spectacular puts first."""
        described = getattr(self.view, "api_description", None)
        return str(described) if described else super().get_description()

    def _uses_etags(self) -> bool:
        return isinstance(self.view, ETagMixin) and getattr(self.view, "action", None) in ETagMixin.OBJECT_ACTIONS

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), RETRY_AFTER]
        if isinstance(self.view, ETagMixin) and self.method in UNSAFE:
            parameters.append(IF_MATCH)
        if self._uses_etags():
            parameters.append(ETAG)
        return parameters

    def error_responses(self, responses: dict) -> dict:
        """Each operation's answers (core.internals.ResponseBodiesHook), with the errors it can give."""
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if self.method == "DELETE":
            codes.append("409")
        if isinstance(self.view, ETagMixin) and self.method in UNSAFE:
            codes += ["412", "428"]
        for code in codes:
            description, schema = ERRORS[code]
            answer = {"description": str(description), "content": {"application/json": {"schema": schema}}}
            if code == "429":  # throttled, anywhere (the token endpoint declares it: give it its body)
                responses[code] = {**answer, "headers": self._get_response_headers_for_code("429")}
            responses.setdefault(code, answer)
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <token>`` in the schema (core.api.authentication, knox's
    tokens), under the name DRF's token scheme had, so clients built on it keep working."""

    target_class = "core.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
