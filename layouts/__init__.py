"""Bundled layouts: package data (roi_in_a_box.layouts), read through importlib.resources."""
