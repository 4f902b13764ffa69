"""A small, real OpenID Connect identity provider for the tests, served over HTTP in a thread.

It implements what allauth's openid_connect provider uses: discovery, the
authorization endpoint (which approves at once, as the person the test chose),
the token endpoint (code + PKCE, client_secret_basic), userinfo and a JWKS
with the RSA key that signs the RS256 ID tokens. Nothing of allauth is mocked:
the test client follows the redirect to this server and back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "stprogram"
CLIENT_SECRET = "hemligt-test"
KID = "test-key-1"


@dataclass
class Grant:
    claims: dict[str, Any]
    redirect_uri: str
    challenge: str
    nonce: str | None


@dataclass
class IdentityProvider:
    """The running provider; set `person` to the claims of whoever 'logs in' next."""

    url: str = ""
    person: dict[str, Any] = field(default_factory=dict)
    key: Any = None
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            **grant.claims,
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    idp: IdentityProvider

    def log_message(self, *args: Any) -> None:
        """Quiet: the test output is for the tests."""

    def _json(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        self.idp.requests.append(f"GET {url.path}")
        if url.path == "/.well-known/openid-configuration":
            return self._json(self.idp.discovery())
        if url.path == "/jwks":
            return self._json(self.idp.jwks())
        if url.path == "/authorize":
            return self._authorize(parse_qs(url.query))
        if url.path == "/userinfo":
            return self._userinfo()
        return self._json({"error": "not_found"}, 404)

    def do_POST(self) -> None:
        self.idp.requests.append(f"POST {urlparse(self.path).path}")
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlparse(self.path).path != "/token":
            return self._json({"error": "not_found"}, 404)
        return self._token(form)

    def _authorize(self, query: dict[str, list[str]]) -> None:
        q = {k: v[0] for k, v in query.items()}
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
            return self._json({"error": "unauthorized_client"}, 400)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self._json({"error": "invalid_request"}, 400)
        code = secrets.token_urlsafe(16)
        self.idp.codes[code] = Grant(
            dict(self.idp.person), q["redirect_uri"], q["code_challenge"], q.get("nonce")
        )
        location = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}"
        self.send_response(302)
        self.send_header("Location", location)
        self.end_headers()

    def _token(self, form: dict[str, str]) -> None:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}":
            return self._json({"error": "invalid_client"}, 401)
        grant = self.idp.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant.redirect_uri
            or _challenge(form.get("code_verifier", "")) != grant.challenge
        ):
            return self._json({"error": "invalid_grant"}, 400)
        access = secrets.token_urlsafe(16)
        self.idp.tokens[access] = grant.claims
        body = {"access_token": access, "token_type": "Bearer", "expires_in": 300}
        return self._json({**body, "id_token": self.idp.id_token(grant)})

    def _userinfo(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = self.idp.tokens.get(token)
        if claims is None:
            return self._json({"error": "invalid_token"}, 401)
        return self._json(claims)


def start() -> tuple[IdentityProvider, ThreadingHTTPServer]:
    """Start the provider on a free local port; the caller shuts the server down."""
    idp = IdentityProvider(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    handler = type("Handler", (_Handler,), {"idp": idp})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    idp.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return idp, server
