"""The project: building the layers from its reports, and what is kept between builds."""
