"""ROI-in-a-Box: analyst-verified ROI deliverables from YAML study specs."""

__version__ = "0.1.0"
