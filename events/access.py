"""The events app's access policy (its models come with the events issue).

Registered with the gate (``technopark.access``) by ``EventsConfig.ready()``.
"""

from technopark import access

access.declare("events")
