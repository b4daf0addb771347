"""The things the pipeline passes along, in one place: what each stage hands to the next.

Types only, no behaviour beyond what a value needs: frozen, so a value read from one stage
cannot be changed under another.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    """A county-level division."""

    name: str  # official name, e.g. "永康市"
    short: str  # e.g. "永康"
    city: str  # prefecture, e.g. "金华市"
    province: str  # e.g. "浙江省"
    adcode: str  # 6 digits
