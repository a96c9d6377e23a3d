"""Heard: complaints, compliments, comments and service requests for public bodies."""

__version__ = "0.1.0"
