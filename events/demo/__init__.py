"""The demo case: the article that started Vigil (shared/seed-article.txt), recorded whole.

Two North Korean soldiers captured by Ukraine in Russia's Kursk region ask to
be transferred to South Korea; Seoul will accept them once their intentions
are verified; the transfer is stalled. Every fact of the article has its
field: names in three scripts, the healed jaw injury, the self-harm reports,
where they are held, each request and its story, the four governments and
their positions, the events from the deployment to this week's meeting, and
the sources the article rests on.

The article does not name the men: the names here are illustrative. It is
undated: "this week" is recorded as Q4 2025, a quarter, not a made-up day.

The article's 20 facts, and the fields that hold each (tests/events/test_demo_case.py
and tests/events/test_seed_article_api.py read them back):

 1. two North Korean POWs captured in Ukraine: ``Person`` (nationality KP, legal_status
    prisoner_of_war, status in_detention), two of them, ``CaseSubject``, ``Detention.authority`` Ukraine
 2. they plead to be transferred to South Korea: ``StatedRequest`` (category transfer,
    destination_country KR, addressed_to Ukraine)
 3. both in their 20s: ``Person.birth_year_earliest``/``birth_year_latest`` (1995 to 2005) and
    ``age_estimate``
 4. the request was made during a meeting with a South Korean documentary producer:
    ``Event`` (kind interview) with ``EventActor`` (the producer, an ``Actor``: "met them");
    ``StatedRequest.channel`` meeting
 5. this week, at a detention facility near Kyiv: that event's ``occurred_on`` (Q4 2025) and
    ``place``; ``Detention.locality``
 6. according to Jang Se-yul, head of a defectors' group in Seoul: ``Source.author`` = the
    ``Actor`` Jang Se-yul (role head, ``organisation`` the defectors' group); ``EventActor``
    ("relayed the request")
 7. they tearfully begged: ``StatedRequest.words``; ``RequestUpdate`` (a reaffirmation)
 8. in February only one wanted to go: ``StatedRequest.first_stated_on`` February 2025, the
    ``RequestUpdate`` story, ``Event`` (detainee_statement, February 2025)
 9. January: Zelenskyy revealed their capture in Russia's Kursk region: ``Event`` (capture,
    place, country RU) and ``Event`` (government_statement) citing a ``Source`` whose
    ``author`` is the ``Actor`` Volodymyr Zelenskyy (``government`` Ukraine)
10. they fought alongside Russian troops: ``Involvement`` Russia (belligerent_ally);
    ``Person.depends_on`` North Korea
11. since late 2024 North Korea sent about 15,000 troops: ``Event`` (Q4 2024, governments
    North Korea and Russia)
12. a healed jaw injury with visible deformity: ``Person.identifying_features``; a sensitive
    ``Event`` (medical)
13. clean and fed, but emotional distress: ``Detention.conditions``, ``Person.welfare_notes``
14. self-harm attempts (Ukrainian officials): ``Event`` (welfare_incident, sensitive) citing a
    ``Source`` whose ``author`` is the ``Actor`` "Ukrainian officials"
15. they asked for medicine, warm clothes, cigarettes and books: 8 ``StatedRequest`` of minor
    categories (waiting supplies)
16. portraits of Kim Jong-un in their quarters, "loyalty or fear": ``Event`` (kind observation)
    with ``interpretation`` and ``interpretation_confidence`` possible
17. South Korea will accept them if their intentions are verified: ``PositionStatement``
    (conditional, condition, ``condition_request``), ``Event`` (diplomatic_contact)
18. the transfer is stalled, no official agreement: ``RequestUpdate`` (status stalled),
    ``Case.status`` stalled
19. advocates warn of execution and argue asylum aligns with South Korea's humanitarian
    obligations: ``Person.risk_level``/``risk_reason``; ``LegalArgument`` (basis "Humanitarian
    obligations of the receiving state", and "Non-refoulement") ``argued_by`` the ``Actor``
    "human rights advocates"
20. both countries weigh legal and political consequences: ``PositionStatement`` (stance
    under_consideration) of Ukraine, ``spoken_by`` the Ukrainian officials

And what the team does about it: an ``Intervention`` addressed to the ICRC
(``addressed_to_actor``), asking it to confirm their free will, resting on GC III
Art. 118 (a ``LegalArgument``).
"""

from events.demo.case import demo_lead, load_demo
from events.demo.parts import DEMO_TITLE, demo_loaded

__all__ = ["DEMO_TITLE", "demo_lead", "demo_loaded", "load_demo"]
