"""The project: the manifest beside its reports, the reports waiting for a county, and the results
kept between builds."""
