"""The HTTP edge (FastAPI): thin views over the domain packages."""
