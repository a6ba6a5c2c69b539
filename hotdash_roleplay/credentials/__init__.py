"""Verifiable certificates: the award as an Open Badges 3.0 credential with an eddsa-jcs-2022
Data Integrity proof, the issuer's key, the revocation list and the offline verifier
(docs/certification.md, "Verifiable certificates")."""
