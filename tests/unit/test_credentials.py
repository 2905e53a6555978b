"""C2PA content credentials: sign a tiny real MP4 with a throwaway CA chain, read it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("c2pa", reason="c2pa-python is not installed")

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

from microfilm import form  # noqa: E402
from microfilm.errors import MediaError  # noqa: E402
from microfilm.media import ffmpeg  # noqa: E402
from microfilm.media.credentials import (SOURCE_AI, SOURCE_HUMAN, read_manifest,  # noqa: E402
                                         sign_mp4)
from microfilm.media.master import AIGC_KEY, label_metadata, mux  # noqa: E402
from microfilm.media.probe import probe  # noqa: E402
from microfilm.media.qc import top_level_boxes  # noqa: E402


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "microfilm tests")])


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_chain(d: Path, *, leaf_eku: bool = True, leaf_is_ca: bool = False) -> dict[str, Path]:
    """A CA and an ES256 signing certificate with the extensions C2PA asks for."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Test Root CA"))
          .issuer_name(_name("Test Root CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("microfilm signer"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=10))
            .add_extension(x509.BasicConstraints(ca=leaf_is_ca, path_length=None),
                           critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=leaf_is_ca,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False))
    if leaf_eku:
        leaf = leaf.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                                  critical=False)
    leaf = leaf.sign(ca_key, hashes.SHA256())
    pem = serialization.Encoding.PEM
    chain = d / "chain.pem"
    chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    key_path = d / "signer.key"
    key_path.write_bytes(_pem_key(key))
    return {"chain": chain, "key": key_path, "ca_key": d / "ca.key"}


@pytest.fixture(scope="module")
def film(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("c2pa")
    video, sound = d / "v.mp4", d / "a.wav"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc2=s=96x160:r=30:d=1", "-an",
                *ffmpeg.video_encode_args(form.FPS), str(video)], what="video")
    ffmpeg.run(["-f", "lavfi", "-i", "sine=f=440:r=48000:d=1", "-ac", "2", str(sound)],
               what="audio")
    return mux(video, sound, d / "film.mp4", label_metadata(
        title="雨后 After the Rain", producer="microfilm", produce_id="test-c2pa"))


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> dict[str, Path]:
    return make_chain(tmp_path_factory.mktemp("keys"))


def test_sign_and_read_back(film, chain, tmp_path):
    out = sign_mp4(film, tmp_path / "signed.mp4", cert_chain=chain["chain"],
                   private_key=chain["key"], title="雨后 After the Rain",
                   producer="Studio Test")
    m = read_manifest(out)
    assert m is not None
    assert m["title"] == "雨后 After the Rain"
    assert m["claim_generator_info"][0]["name"] == "microfilm"
    actions = [a for a in m["assertions"] if a["label"].startswith("c2pa.actions")]
    assert actions, m["assertions"]
    created = actions[0]["data"]["actions"][0]
    assert created["action"] == "c2pa.created"
    assert created["digitalSourceType"] == SOURCE_AI
    assert created["parameters"]["producer"] == "Studio Test"
    sig = m["signature_info"]
    assert sig["alg"].lower() == "es256" and "microfilm tests" in sig["issuer"]
    # the data hash binds: the reader found no tampering (a test CA is merely untrusted)
    assert m["validation_state"] in ("Valid", "Trusted")
    # still the same film: plays, faststart kept, the GB 45438 label kept
    info = probe(out)
    assert info.video is not None and info.audio is not None
    assert abs(info.duration - probe(film).duration) < 0.05
    boxes = top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    import av

    with av.open(str(out)) as c:
        assert AIGC_KEY in c.metadata


def test_sign_in_place_and_human_source(film, chain, tmp_path):
    copy = tmp_path / "inplace.mp4"
    copy.write_bytes(film.read_bytes())
    assert read_manifest(copy) is None  # unsigned: no manifest, no error
    sign_mp4(copy, copy, cert_chain=chain["chain"], private_key=chain["key"],
             title="t", producer="", ai_generated=False)
    created = [a for a in read_manifest(copy)["assertions"]
               if a["label"].startswith("c2pa.actions")][0]["data"]["actions"][0]
    assert created["digitalSourceType"] == SOURCE_HUMAN


def test_tampering_is_detected(film, chain, tmp_path):
    out = sign_mp4(film, tmp_path / "s.mp4", cert_chain=chain["chain"],
                   private_key=chain["key"], title="t", producer="p")
    data = bytearray(out.read_bytes())
    pos = bytes(data).rindex(b"mdat") + 200  # a byte of the picture
    data[pos] ^= 0xFF
    bad = tmp_path / "tampered.mp4"
    bad.write_bytes(bytes(data))
    state = read_manifest(bad)["validation_state"]
    assert state == "Invalid"


def test_missing_key_names_the_file(film, chain, tmp_path):
    missing = tmp_path / "nope.key"
    with pytest.raises(MediaError, match=r"private key file .*nope\.key does not exist"):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=chain["chain"], private_key=missing,
                 title="t", producer="p")
    assert not (tmp_path / "o.mp4").exists()


def test_garbage_key_and_chain_name_the_file(film, chain, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n")
    with pytest.raises(MediaError, match=r"junk\.pem is not a readable PEM private key"):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=chain["chain"], private_key=junk,
                 title="t", producer="p")
    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    with pytest.raises(MediaError, match=r"plain\.txt is not a PEM file"):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=plain, private_key=chain["key"],
                 title="t", producer="p")


def test_key_not_matching_the_certificate(film, chain, tmp_path):
    other = tmp_path / "other.key"
    other.write_bytes(_pem_key(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(MediaError, match=r"other\.key does not match the first certificate"):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=chain["chain"], private_key=other,
                 title="t", producer="p")


@pytest.mark.parametrize("kind,message", [
    ("no_eku", r"chain\.pem: the signing certificate .* has no extended key usage C2PA "
               r"accepts; it needs one of emailProtection"),
    ("ca_leaf", r"chain\.pem: the signing certificate .* is a CA certificate"),
])
def test_certificate_c2pa_refuses_gives_a_clear_error(film, tmp_path, kind, message):
    bad = make_chain(tmp_path, leaf_eku=kind != "no_eku", leaf_is_ca=kind == "ca_leaf")
    with pytest.raises(MediaError, match=message):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=bad["chain"], private_key=bad["key"],
                 title="t", producer="p")
    assert not (tmp_path / "o.mp4").exists()


def test_c2pa_own_refusal_is_wrapped(film, tmp_path, monkeypatch):
    """What c2pa-rs refuses past our checks still comes back as one MediaError naming
    the film and the chain (here: a leaf without an extended key usage, with our own check bypassed)."""
    import microfilm.media.credentials as cred

    bad = make_chain(tmp_path, leaf_eku=False)
    monkeypatch.setattr(cred, "check_signing_certificate", lambda cert, path: None)
    with pytest.raises(MediaError, match=r"C2PA signing of .*film\.mp4 with .*chain\.pem "
                                         r"failed: .*certificate"):
        sign_mp4(film, tmp_path / "o.mp4", cert_chain=bad["chain"], private_key=bad["key"],
                 title="t", producer="p")
    assert not (tmp_path / "o.mp4").exists()
