"""Open Badges 3.0: the certificate as an OpenBadgeCredential with an eddsa-rdfc-2022 proof.

Signing and verifying use openbadgeslib (its [ldp] extra canonicalises with pyld against the
JSON-LD contexts it bundles, never fetching one). The issuer is the cohort's organisation,
`{base}/issuers/<id>`: a Profile served by the site whose `Multikey` verification method holds
the site's Ed25519 public key. Revocation is a Bitstring Status List at
`{base}/verify/status/<organisation id>`; each certificate's bit is its id. The credential is signed
when it is served, with `created` = the time of issue, so the same certificate always gives
the same document (Ed25519 is deterministic) and follows `LMS_BASE_URL`.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_request_context, request

from lms.certification.models import Certificate

STATUS_LIST_SIZE = 131072          # bits: the W3C minimum, a large anonymity set
CONTEXTS = ("https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
SCHEMA_NAME = "achievementcredential.schema.2024-07-30.json"


class SigningKeyMissing(RuntimeError):
    """No signing key is configured (LMS_SIGNING_KEY or LMS_SIGNING_KEY_FILE)."""


class CredentialInvalid(Exception):
    """A credential that does not verify; the message names the problem."""


def base_url() -> str:
    """LMS_BASE_URL, else the address of the request (commands without it: localhost)."""
    configured = current_app.config.get("LMS_BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost:5000"


def verify_url(code: str) -> str:
    return f"{base_url()}/verify/{code}"


def issuer_id(org_id: int) -> str:
    return f"{base_url()}/issuers/{org_id}"


def status_list_url(org_id: int) -> str:
    """The organisation's revocation list (one list per issuer, so its issuer is theirs)."""
    return f"{base_url()}/verify/status/{org_id}"


def private_pem() -> bytes:
    pem = current_app.config.get("LMS_SIGNING_KEY")
    if not pem:
        raise SigningKeyMissing("set LMS_SIGNING_KEY or LMS_SIGNING_KEY_FILE to sign certificates")
    return pem.encode() if isinstance(pem, str) else pem


def public_pem(private: bytes | None = None) -> bytes:
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(private or private_pem(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def public_multikey(pem: bytes | None = None) -> str:
    from openbadgeslib.ob3 import multikey_from_pem
    return multikey_from_pem(pem or public_pem())


def verification_method(org_id: int) -> str:
    return f"{issuer_id(org_id)}#{public_multikey()}"


def issuer_profile(org_id: int, org_name: str) -> dict:
    """The issuer's Profile with its Multikey verification method (served at its id)."""
    ident = issuer_id(org_id)
    key = public_multikey()
    return {
        "@context": [*CONTEXTS, MULTIKEY_CONTEXT],
        "id": ident, "type": "Profile", "name": org_name,
        "verificationMethod": [{"id": f"{ident}#{key}", "type": "Multikey", "controller": ident,
                                "publicKeyMultibase": key}],
        "assertionMethod": [f"{ident}#{key}"],
    }


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC, microsecond=0)


def _credential(cert: Certificate, org_id: int):
    """The OpenBadgeCredential of a certificate (openbadgeslib's model)."""
    from openbadgeslib.ob3 import Achievement, IdentityObject, Issuer, OpenBadgeCredential
    from openbadgeslib.ob3.status_list import status_entry
    modules = "; ".join(cert.modules)
    criteria = (f"Menyelesaikan pelatihan {cert.track_title} ({cert.cohort_name}) "
                f"sesuai aturan sertifikasi versi {cert.rules_version}. Modul: {modules}.")
    credential = OpenBadgeCredential(
        id=f"{base_url()}/verify/{cert.code}.json",
        issuer=Issuer(id=issuer_id(org_id), name=cert.organisation_name, url=base_url()),
        recipient_id=None,
        identifiers=[IdentityObject(identity_hash=cert.printed_name, identity_type="name", hashed=False)],
        achievement=Achievement(
            id=f"{issuer_id(org_id)}/achievements/{cert.track_slug}",
            name=f"Sertifikat Paralegal: {cert.track_title}",
            description=f"Sertifikat pelatihan paralegal {cert.track_title}, {cert.cohort_name}, "
                        f"diterbitkan oleh {cert.organisation_name}.",
            criteria_narrative=criteria, achievement_type="Certificate"),
        name=f"Sertifikat Paralegal: {cert.track_title}",
        issuance_date=_aware(cert.issued_at),
        credential_status=[status_entry(status_list_url(org_id), "revocation", cert.id)],
    )
    return credential


def signed_credential(cert: Certificate, org_id: int) -> dict:
    """The credential with its eddsa-rdfc-2022 proof. The signer refuses to emit a document
    whose JSON its proof would not fully cover."""
    from openbadgeslib.ob3 import OB3LdpSigner
    signer = OB3LdpSigner(private_pem(), verification_method=verification_method(org_id))
    signed = signer.sign(_credential(cert, org_id), created=_aware(cert.issued_at))
    # The 2024-07-30 schema wants a proof set (an array); in JSON-LD both spell the same graph.
    signed["proof"] = [signed["proof"]]
    return signed


def status_list_credential(org_id: int, revoked_ids: list[int]) -> dict:
    """The organisation's signed Bitstring Status List: bit i set = certificate i revoked."""
    from openbadgeslib.ob3 import add_data_integrity_proof, build_status_list_credential
    document = build_status_list_credential(issuer_id(org_id), status_list_url(org_id), "revocation",
                                            revoked_ids, size_bits=STATUS_LIST_SIZE,
                                            issued=datetime.now(UTC).replace(microsecond=0))
    return add_data_integrity_proof(document, private_pem(), verification_method(org_id))


def schema_errors(document: dict, schema_path: Path) -> list[str]:
    """Problems with the document against 1EdTech's JSON schema (empty: valid)."""
    import jsonschema
    schema = json.loads(schema_path.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
            for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))]


def verify(document: dict, pubkey_pem: bytes, schema_path: Path | None = None) -> None:
    """Check a credential offline: schema (when given), proof and issuer key. Raises
    CredentialInvalid naming the problem."""
    from openbadgeslib.ob3 import OB3LdpVerifier, OB3VerificationError
    if not isinstance(document, dict):
        raise CredentialInvalid("not a JSON object")
    if schema_path is not None:
        problems = schema_errors(document, schema_path)
        if problems:
            raise CredentialInvalid("schema: " + problems[0])
    proof = document.get("proof")
    proof = proof[0] if isinstance(proof, list) and len(proof) == 1 else proof
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    vm = proof.get("verificationMethod", "") if isinstance(proof, dict) else ""
    if not isinstance(issuer, str) or vm.partition("#")[0] != issuer:
        raise CredentialInvalid("issuer key: the proof's key does not belong to the issuer")
    if vm.partition("#")[2] != public_multikey(pubkey_pem):
        raise CredentialInvalid("issuer key: the proof names a key other than the one given")
    try:
        OB3LdpVerifier(pubkey_pem=pubkey_pem).verify(document)
    except OB3VerificationError as exc:
        raise CredentialInvalid(f"proof: {exc}") from None
