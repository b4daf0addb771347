"""A project's own files beside its reports and layers: the manifest, the reports waiting for a county."""
