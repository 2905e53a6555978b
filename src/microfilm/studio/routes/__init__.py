"""The studio's routes, one module per area: auth, films, watch, account, api."""
