"""Janus signed tokens, minted the way the Tandem server mints them.

Used by the bench and by hand-run publishers/subscribers against a Janus node of our
own; a Tandem participant never mints tokens, it gets them in `SfuAccess`.

Formats (Janus 1.1 `token_auth_secret`; expiry in Unix seconds):
- core:  "<expiry>,janus,janus.plugin.videoroom:" + base64(HMAC-SHA1(secret, <before ':'>))
- room:  "<expiry>,janus.plugin.videoroom,room=<room>:" + the same kind of signature
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from janus_client import VIDEOROOM


def _signed(secret: str, descriptor: str) -> str:
    digest = hmac.new(secret.encode(), descriptor.encode(), hashlib.sha1).digest()
    return f"{descriptor}:{base64.b64encode(digest).decode()}"


def core_token(secret: str, ttl_seconds: int = 3600, *, now: float | None = None) -> str:
    """A core API token for the VideoRoom plugin (sent as `token` in every request)."""
    expiry = int((now if now is not None else time.time()) + ttl_seconds)
    return _signed(secret, f"{expiry},janus,{VIDEOROOM}")


def room_token(secret: str, room: str, ttl_seconds: int = 3600, *, now: float | None = None) -> str:
    """A room token (sent as `token` in the VideoRoom `join` of a `signed_tokens` room)."""
    expiry = int((now if now is not None else time.time()) + ttl_seconds)
    return _signed(secret, f"{expiry},{VIDEOROOM},room={room}")
