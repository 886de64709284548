"""`flask crm import PATH` (placeholder until written)."""

import click


@click.command("import")
def import_command() -> None:
    raise NotImplementedError
