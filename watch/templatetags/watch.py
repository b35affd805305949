"""Watch pieces other apps' templates show: "At risk now", the follow button."""

from django import template

from watch import selectors

register = template.Library()


@register.inclusion_tag("watch/_at_risk_now.html", takes_context=True)
def at_risk_now(context):
    request = context["request"]
    return {
        "alerts": selectors.at_risk_now(user=request.user),
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("watch/_follow_button.html", takes_context=True)
def follow_button(context, case):
    return {
        "case": case,
        "following": selectors.is_following(user=context["request"].user, case=case),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("watch/_follow_person_button.html", takes_context=True)
def follow_person_button(context, person):
    return {
        "person": person,
        "following": selectors.is_following(user=context["request"].user, person=person),
        "csrf_token": context.get("csrf_token"),
    }
