"""Pydantic models of what goes over the wire; decoupled from the ORM models."""
