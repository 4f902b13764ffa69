"""Certificate drafts: Socialstyrelsen's forms filled from the trainee's records, as PDF."""
