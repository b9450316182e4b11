"""The raw-bytes connections honour the environment's proxy settings, as the API calls do."""

from __future__ import annotations

import pytest

from colab_ext.drive.client.media import https_proxy


def test_https_proxy_with_credentials_and_bypass(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert https_proxy("www.googleapis.com") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://ada:p%40ss@proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    address, headers = https_proxy("www.googleapis.com") or ("", {})
    assert address == "proxy.example:3128"
    assert headers == {"Proxy-Authorization": "Basic YWRhOnBAc3M="}  # ada:p@ss
    assert https_proxy("drive.internal.example:443") is None
