"""End-to-end tests: a real Uvicorn process, driven through the generated Python client."""
