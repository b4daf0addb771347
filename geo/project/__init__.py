"""The project: the files it names (``project``), its build, saves and hand placements, the manifest
beside its reports, the reports waiting for a county, and the results kept between builds."""
