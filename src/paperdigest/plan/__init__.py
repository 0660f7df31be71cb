"""Plan: every output of the site as a record of what it shows, with its derived key."""
