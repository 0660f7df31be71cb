"""Read: the content folder's files, parsed into digests with resolved dates."""
