"""`flask crm seed-demo`: a deterministic demo reservoir (placeholder until written)."""

import click

DEMO_PASSWORD = "demo1234"  # noqa: S105 -- documented demo password, only with demo data


def seed_demo(firm_count: int, seed: int) -> None:
    raise NotImplementedError


def demo_logins() -> list[str]:
    return []


@click.command("seed-demo")
def seed_demo_command() -> None:
    raise NotImplementedError
