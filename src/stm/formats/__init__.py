"""Importers and exporters: CSV and vCard for actors, iCalendar for events; the Markdown
and PDF that documents are written in (`markdown`, `pdf`).

Readers stream their input (a record at a time, never the whole file) and hand plain
values to the services, which validate them; writers take plain records from services.
Heavy libraries (vobject, icalendar) are imported inside the functions that use them.
"""
