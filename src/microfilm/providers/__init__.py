"""Providers: one module per service, the embedded house ones under `house/`."""
