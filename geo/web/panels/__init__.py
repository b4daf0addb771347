"""The app's panels: Streamlit widgets laid out and wired to the plain functions of ``geo.web``.

Each module draws one part of the page; the data logic they call is tested without Streamlit.
"""
