"""Command-line commands of sim.viz (registered by sim.cli)."""


def register(commands) -> dict:
    """Add this package's sub-commands to the argparse `commands` object; return {name: handler}."""
    return {}
