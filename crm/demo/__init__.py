"""The demo reservoir generator behind `flask crm seed-demo` (bulk rows, no network, no Faker)."""
