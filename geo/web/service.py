"""The app's one door to the stages below: the project (:class:`Project`) and its service, reading
an upload, saving it into the project, placing a site by hand, its placements, geocoder settings,
the credits of the layers.

``streamlit_app.py`` imports ``geo.web`` only; what it needs from ``geo.project``, ``geo.locate``,
``geo.output`` and ``geo.text`` it takes from here, the same functions the command line uses.
The heavier ones load when first used, so the first paint does not wait for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo.errors import GeoError
from geo.output.attribution import features_attribution
from geo.project.project import Project

if TYPE_CHECKING:
    from geo.locate.geocoders.errors import GeocoderConfigError
    from geo.locate.overrides import Overrides
    from geo.project.placement import place, placements, undo
    from geo.project.upload import MAX_UPLOAD_BYTES, process_upload, save_upload
    from geo.text.ingest.messages import format_size

__all__ = ["MAX_UPLOAD_BYTES", "GeoError", "GeocoderConfigError", "Overrides", "Project",
           "features_attribution", "format_size", "place", "placements", "process_upload", "save_upload",
           "undo"]


def __getattr__(name: str) -> Any:
    if name in ("process_upload", "save_upload", "MAX_UPLOAD_BYTES"):
        from geo.project import upload

        return getattr(upload, name)
    if name in ("place", "placements", "undo"):
        from geo.project import placement

        return getattr(placement, name)
    if name == "Overrides":
        from geo.locate.overrides import Overrides

        return Overrides
    if name == "GeocoderConfigError":
        from geo.locate.geocoders.errors import GeocoderConfigError

        return GeocoderConfigError
    if name == "format_size":
        from geo.text.ingest.messages import format_size

        return format_size
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
