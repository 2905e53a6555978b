"""The embedded defaults: no key, no network, the whole pipeline on a laptop."""
