"""Stage 3, where things are: the admin tree (``admin``), the county a report is about
(``county``), and the chain that gives every site a geometry (``resolver``: placements by hand,
gazetteer, OpenStreetMap, townships, online geocoders, county seat)."""
