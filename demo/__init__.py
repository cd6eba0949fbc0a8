"""`make demo`: both frameworks through AIHubMix, end to end, live or from cassettes."""
