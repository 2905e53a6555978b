"""Local fake provider servers (127.0.0.1 only) for the provider tests."""
