"""The county a report is about: evidence from its text (``text``), evidence beside it
(``beside``: manifest, folder, file name, source address, title line), and the decision that
weighs them (``decide``)."""

from geo.locate.county.text import CountyGuess, detect_county, load_index, resolve_county

__all__ = ["CountyGuess", "detect_county", "load_index", "resolve_county"]
