"""C2PA content credentials for the master: a signed manifest saying the film is AI-made.

China's labelling rules ask for a visible label and an implicit one in the metadata (see
media.master); docs/architecture.md asks C2PA content credentials "where available": a manifest,
signed with the producer's certificate, embedded in the MP4, that any C2PA reader (Adobe's
Content Authenticity tools, platforms that check provenance) can verify. It holds one
`c2pa.actions` assertion, `c2pa.created` with IPTC digital source type
`trainedAlgorithmicMedia` (or `digitalCreation` for a film not made by a model), the film's
title and "microfilm" as the claim generator.

Signing is offline: c2pa-python's wheel carries the native c2pa-rs library, no time-stamp
authority is asked (`ta_url` None) and nothing is fetched. It runs only when a key is
configured (the master calls it then, never otherwise). The key and certificate chain are
PEM files: the signing (leaf) certificate first, then its intermediates; an EC P-256 key
signs with ES256, P-384 with ES384, P-521 with ES512, Ed25519 with Ed25519, RSA with PS256.
C2PA wants the leaf to be an end-entity certificate (not a CA) with the digitalSignature
key usage and an extended key usage such as emailProtection, documentSigning or the C2PA
claim-signing EKU; c2pa-rs refuses others, and the error says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from microfilm.errors import MediaError
from microfilm.fsutil import atomic_output

CLAIM_GENERATOR = "microfilm"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SOURCE_AI = IPTC + "trainedAlgorithmicMedia"
SOURCE_HUMAN = IPTC + "digitalCreation"
MP4_MIME = "video/mp4"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("microfilm")
    except Exception:  # not installed as a distribution (a source checkout)
        return "0"


def manifest_definition(*, title: str, producer: str, ai_generated: bool = True) -> dict:
    """The manifest microfilm signs: claim generator, title, one c2pa.actions assertion."""
    if not title.strip():
        raise ValueError("C2PA manifest: title must not be empty")
    action: dict[str, Any] = {
        "action": "c2pa.created",
        "digitalSourceType": SOURCE_AI if ai_generated else SOURCE_HUMAN,
        "softwareAgent": {"name": CLAIM_GENERATOR, "version": _version()},
    }
    if producer.strip():
        action["parameters"] = {"producer": producer}
    return {
        "claim_generator_info": [{"name": CLAIM_GENERATOR, "version": _version()}],
        "title": title,
        "format": MP4_MIME,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [action]}}],
    }


def _read_pem(path: Path, what: str) -> bytes:
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"C2PA signing: the {what} file {path} does not exist")
    data = path.read_bytes()
    if b"-----BEGIN" not in data:
        raise MediaError(f"C2PA signing: {path} is not a PEM file (expected the {what} as "
                         "PEM text starting with -----BEGIN)")
    return data


def _load_chain(path: Path) -> list[Any]:
    from cryptography import x509

    data = _read_pem(path, "certificate chain")
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise MediaError(f"C2PA signing: {path} holds no readable PEM certificate "
                         f"({exc})") from None
    return certs


def _load_key(path: Path) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    data = _read_pem(path, "private key")
    try:
        return load_pem_private_key(data, password=None)
    except TypeError:
        raise MediaError(f"C2PA signing: the private key {path} is encrypted; give an "
                         "unencrypted PEM key (keep the file readable only by you)") from None
    except ValueError as exc:
        raise MediaError(f"C2PA signing: {path} is not a readable PEM private key "
                         f"({exc})") from None


def signing_algorithm(key: Any, key_path: Path) -> str:
    """The C2PA algorithm name for a private key (see the module docstring)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        alg = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}.get(
            key.curve.name)
        if alg is None:
            raise MediaError(f"C2PA signing: {key_path}: EC curve {key.curve.name} is not "
                             "allowed (use P-256, P-384 or P-521)")
        return alg
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    raise MediaError(f"C2PA signing: {key_path}: unsupported key type "
                     f"{type(key).__name__} (use EC P-256, Ed25519 or RSA)")


SIGNING_EKUS = {
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.36": "documentSigning",
    "1.3.6.1.4.1.62558.2.1": "c2pa claimSigning",
}
"""Extended key usages C2PA accepts on a claim-signing certificate."""


def check_signing_certificate(cert: Any, path: Path) -> None:
    """Refuse, with the reason, a leaf certificate c2pa-rs would refuse as "invalid"."""
    from cryptography import x509

    where = f"C2PA signing: {path}: the signing certificate (the first in the chain)"
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise MediaError(f"{where} is a CA certificate; sign with an end-entity "
                             "certificate issued by the CA, followed by the CA")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.digital_signature:
            raise MediaError(f"{where} lacks the digitalSignature key usage")
    except x509.ExtensionNotFound:
        pass
    try:
        ekus = {o.dotted_string for o in
                cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value}
    except x509.ExtensionNotFound:
        ekus = set()
    if not ekus & SIGNING_EKUS.keys():
        raise MediaError(f"{where} has no extended key usage C2PA accepts; it needs one of "
                         + ", ".join(SIGNING_EKUS.values()))


def _same_public_key(key: Any, cert: Any) -> bool:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    def der(pub: Any) -> bytes:
        return pub.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    return der(key.public_key()) == der(cert.public_key())


def sign_mp4(src: Path, out: Path, *, cert_chain: Path, private_key: Path, title: str,
             producer: str, ai_generated: bool = True) -> Path:
    """Embed a signed C2PA manifest in a copy of `src` written to `out` (atomically).

    `src` and `out` may be the same path (the file is replaced only once signing worked).
    Raises MediaError naming the file at fault: a missing or unreadable key or chain, a
    key that does not belong to the chain's first certificate, a certificate C2PA refuses,
    or c2pa-python not installed.
    """
    src, out = Path(src), Path(out)
    if not src.is_file():
        raise MediaError(f"C2PA signing: the film {src} does not exist")
    certs = _load_chain(cert_chain)
    key = _load_key(private_key)
    if not _same_public_key(key, certs[0]):
        raise MediaError(f"C2PA signing: the private key {private_key} does not match the "
                         f"first certificate of {cert_chain} (the chain must start with the "
                         "signing certificate)")
    check_signing_certificate(certs[0], Path(cert_chain))
    alg = signing_algorithm(key, Path(private_key))
    try:
        import c2pa
    except ImportError:
        raise MediaError("C2PA signing needs c2pa-python: pip install 'microfilm[c2pa]' "
                         "(or leave the signing key unset to skip content credentials)") from None

    manifest = manifest_definition(title=title, producer=producer, ai_generated=ai_generated)
    info = c2pa.C2paSignerInfo(alg.encode(), Path(cert_chain).read_bytes(),
                               Path(private_key).read_bytes(), None)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_output(out) as tmp:
            with c2pa.Signer.from_info(info) as signer, \
                    c2pa.Builder.from_json(json.dumps(manifest)) as builder, \
                    open(src, "rb") as source, open(tmp, "w+b") as dest:
                builder.sign(signer, MP4_MIME, source, dest)
    except c2pa.C2paError as exc:
        raise MediaError(f"C2PA signing of {src} with {cert_chain} failed: {exc}. C2PA needs "
                         "an end-entity signing certificate (not a CA) with the "
                         "digitalSignature key usage and an extended key usage such as "
                         "emailProtection or documentSigning, followed by its "
                         "intermediates") from None
    return out


def read_manifest(path: Path) -> dict | None:
    """The active C2PA manifest of `path` (with `validation_state` added), or None."""
    try:
        import c2pa
    except ImportError:
        raise MediaError("reading C2PA credentials needs c2pa-python: "
                         "pip install 'microfilm[c2pa]'") from None
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"C2PA: {path} does not exist")
    try:
        with open(path, "rb") as fh:
            reader = c2pa.Reader.try_create(MP4_MIME, fh)
            if reader is None:
                return None
            with reader:
                manifest = reader.get_active_manifest()
                state = reader.get_validation_state()
    except c2pa.C2paError as exc:
        raise MediaError(f"C2PA: cannot read the credentials of {path}: {exc}") from None
    if manifest is None:
        return None
    return {**manifest, "validation_state": state}

