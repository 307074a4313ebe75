"""Everything Qt: app bootstrap, models, widgets, windows."""
