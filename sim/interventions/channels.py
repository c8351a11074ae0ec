"""Channels: how residents' wish to contact reaches government under a regime, and how loudly the regime
publicises 12345.

The hotline takes the contacts of the residents aware of it (ODD 7.10, awareness by Bass diffusion); the regime
sets the media rate `publicity` (Bass p): complaint-response publicised the hotline heavily, whistle-blowing hardly
(behaviour.publicity_hotline, publicity_whistle). Under whistle-blowing some residents walk into the community
office instead, whether or not they know the hotline (regimes.whistle.walk_in_share).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channels:
    publicity: float = 0.0  # Bass innovation rate p: share of the unaware who learn of 12345 each day from the media
    walk_in_share: float = 0.0  # contacts made by walking into the community office, relative to a fully aware hotline's
