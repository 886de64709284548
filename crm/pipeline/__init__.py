"""The leaders' pipeline of firms ranked by potential (the scoring library, fed from the CRM)."""
