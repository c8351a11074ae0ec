"""Channels: the share of residents' wish to contact that reaches government, by channel.

Under complaint-response every contact goes to 12345; under whistle-blowing the hotline is one weak channel among
others and some residents walk into the community office instead (regimes.whistle.hotline_reach, walk_in_share).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channels:
    hotline_share: float = 1.0  # share of residents' contacts that reach the hotline
    walk_in_share: float = 0.0  # share made by walking into the community office
