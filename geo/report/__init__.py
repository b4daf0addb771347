"""Stage 4, one report end to end (``pipeline``): its text read and cleaned, its county decided
(with the manifest beside it, ``manifest``), its site mentions found."""
