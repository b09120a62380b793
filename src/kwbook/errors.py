"""Errors that stop a build for a reason the user can act on (not bugs): reported without a traceback."""


class BuildError(Exception):
    """A build could not finish: missing font or style file, a refused resource, a tool that failed."""
