"""Keys: environment first, then a private keys file; never shown in text."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from microfilm.errors import ProviderError
from microfilm.providers import keys


@pytest.fixture()
def cfg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MF_TEST_KEY", raising=False)
    return tmp_path / "xdg" / "microfilm" / "keys.toml"


def test_env_wins_then_file_with_xdg_honoured(cfg, monkeypatch):
    assert keys.keys_file() == cfg
    assert keys.get("MF_TEST_KEY") is None
    keys.save("MF_TEST_KEY", "file-secret-abcdef123")
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert keys.get("MF_TEST_KEY") == "file-secret-abcdef123"
    monkeypatch.setenv("MF_TEST_KEY", "env-secret-abcdef123")
    assert keys.get("MF_TEST_KEY") == "env-secret-abcdef123"


def test_group_readable_file_is_tightened_with_a_warning(cfg):
    keys.save("MF_TEST_KEY", "file-secret-abcdef123")
    os.chmod(cfg, 0o644)
    with pytest.warns(UserWarning, match="now 0600"):
        assert keys.get("MF_TEST_KEY") == "file-secret-abcdef123"
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600


def test_missing_key_error_names_the_variable_not_a_value(cfg):
    with pytest.raises(ProviderError, match="set MF_TEST_KEY"):
        keys.require("MF_TEST_KEY", provider="demo")


def test_bad_toml_error_does_not_quote_the_file(cfg):
    cfg.parent.mkdir(parents=True)
    cfg.write_text('MF_TEST_KEY = "sk-leaky-secret-value-123\n')
    os.chmod(cfg, 0o600)
    with pytest.raises(ProviderError) as info:
        keys.get("MF_TEST_KEY")
    assert "leaky" not in str(info.value) and str(cfg) in str(info.value)


def test_redaction_of_known_keys_and_header_shapes(cfg, monkeypatch):
    monkeypatch.setenv("MF_TEST_KEY", "plain-looking-value-42")
    keys.get("MF_TEST_KEY")
    text = ("call failed with plain-looking-value-42; headers {'Authorization': 'Bearer abc.def-123456', "
            "'xi-api-key': 'el_secret_999', 'x-goog-api-key': 'AIzaSyA1234567890abcdefghij'} "
            "url https://x/y?key=querysecret123&alt=media, token sk-proj-ABCDEFGH12345678, "
            "replicate r8_abcdefgh12345678")
    clean = keys.redact(text)
    for secret in ("plain-looking-value-42", "abc.def-123456", "el_secret_999", "AIzaSyA1234567890",
                   "querysecret123", "sk-proj-ABCDEFGH", "r8_abcdefgh"):
        assert secret not in clean, secret
    assert "alt=media" in clean and "call failed" in clean


def test_log_records_are_scrubbed(cfg, monkeypatch, caplog):
    monkeypatch.setenv("MF_TEST_KEY", "log-secret-value-77")
    keys.get("MF_TEST_KEY")
    logger = logging.getLogger("microfilm.test.keys")
    keys.install_log_redaction(logging.getLogger("microfilm"))
    logger.addFilter(keys.RedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("sending with %s", "log-secret-value-77")
    assert "log-secret-value-77" not in caplog.text and keys.MASK in caplog.text


def test_a_key_saved_after_the_registry_loaded_is_seen(cfg, monkeypatch):
    """The registry loads provider classes once; a key added later (keys.toml, the studio's
    settings page) must make the provider usable without a restart, and removing it must
    make it unusable again."""
    pytest.importorskip("runwayml")
    from microfilm.providers import registry

    monkeypatch.delenv("RUNWAYML_API_SECRET", raising=False)
    monkeypatch.delenv("RUNWAY_API_KEY", raising=False)
    entry = registry.entries()["runway-gen4"]
    assert not entry.usable and any("RUNWAYML_API_SECRET" in m for m in entry.missing)
    with pytest.raises(ProviderError, match="RUNWAYML_API_SECRET"):
        registry.get("runway-gen4", "animator")
    keys.save("RUNWAYML_API_SECRET", "key_file_secret_0123456789")
    assert registry.entries()["runway-gen4"].usable
    assert registry.get("runway-gen4", "animator") is not None
    cfg.unlink()
    assert not registry.entries()["runway-gen4"].usable
