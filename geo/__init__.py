"""Find urban-renewal sites in Chinese government reports and put them on a map.

Data flows one way: ``data/`` (reports, gazetteer) → ``geo`` (stage packages: ``text``,
``extract``, ``locate``, ``report``, ``output``, ``project``; see ARCHITECTURE.md) → ``layers/``
(one GeoJSON file per category).
Heavy libraries are imported lazily so that ``python -m geo --help`` is instant.
"""

__version__ = "0.1.0"
