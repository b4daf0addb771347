"""Registry data in, stored tables out: the admin tree, county outlines, jieba's word frequencies
and the county index, built once from the installed packages and mapped from disk."""
