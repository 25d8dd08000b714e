"""Bundled brand kits: package data (roi_in_a_box.brand_kits), read through importlib.resources."""
