"""Helpers the tests import: request builders, app and client set-up, problem checks.

Fixtures stay in the conftest.py files; what a test module imports lives here.
"""
