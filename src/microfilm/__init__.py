"""microfilm: an open-source studio for the AI-era micro film (微电影)."""

__version__ = "0.1.0"
