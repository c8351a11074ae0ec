"""Interventions: the building blocks regimes are composed of (sim/regimes/), each one policy a government chooses.

Daily: how contacts reach government (`channels`), grid patrols (`patrols`), where tickets go (`routing`, with the
siphon effect), when streets summon departments (`whistling`), the order of work (`work_order`), co-production.
Monthly: the ranking of streets (`ranking`), streets' rating of departments (`department_rating`), the monthly
topic (`monthly_topics`). On arrival: seasonal anticipation. Each takes its parameters from the scenario schema.
"""
