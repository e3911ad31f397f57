#!/usr/bin/env bash
# Regenerates the committed key inputs of the fixture generator with the OpenSSL CLI (3.0).
#
# These are the only inputs `cargo run --example gen_testdata` cannot make cheaply: RSA keys
# (prime generation), keys of algorithms the crate does not support, and password-protected keys.
# EC (P-256, P-384, P-521, SM2) and Ed25519 keys are derived by the generator from fixed seeds
# and are not committed.
#
# Usage: testdata/keys/make.sh   (existing files are kept: delete a file to make it again). After regenerating, run `cargo run --example gen_testdata`.
# Regenerating gives new random keys: every generated fixture that uses them changes.
# rsa16384.pem takes several minutes.
set -euo pipefail
cd "$(dirname "$0")"

make_key() {
	local name=$1
	shift
	if [[ -s $name ]]; then
		return 0
	fi
	echo "making $name" >&2
	"$@"
}

# --- RSA keys (PKCS#8 `PRIVATE KEY`, e = 65537 unless stated) -------------------------------
rsa() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -out "$2"; }
make_key rsa1024.pem rsa 1024 rsa1024.pem
make_key rsa2048.pem rsa 2048 rsa2048.pem
make_key rsa2048-b.pem rsa 2048 rsa2048-b.pem
make_key rsa4096.pem rsa 4096 rsa4096.pem
make_key rsa8192.pem rsa 8192 rsa8192.pem
make_key rsa-e3.pem openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-pkeyopt rsa_keygen_pubexp:3 -out rsa-e3.pem
# Multi-prime RSA (RFC 8017 otherPrimeInfos): 3 primes of ~683 bits.
make_key rsa-3prime.pem openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-pkeyopt rsa_keygen_primes:3 -out rsa-3prime.pem
# Certificate authorities of the RSA hierarchy.
make_key ca-rsa-root.pem rsa 4096 ca-rsa-root.pem
make_key ca-rsa-intermediate.pem rsa 2048 ca-rsa-intermediate.pem

# --- Unsupported algorithms --------------------------------------------------------------------
make_key dsa2048.pem bash -c 'openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa2048.params.tmp && openssl genpkey -paramfile dsa2048.params.tmp -out dsa2048.pem; rm -f dsa2048.params.tmp'
make_key x25519.pem openssl genpkey -algorithm X25519 -out x25519.pem
make_key x448.pem openssl genpkey -algorithm X448 -out x448.pem
make_key ed448.pem openssl genpkey -algorithm ED448 -out ed448.pem
make_key secp256k1.pem openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 \
	-out secp256k1.pem
make_key secp256k1.sec1.pem openssl ecparam -name secp256k1 -genkey -noout -out secp256k1.sec1.pem
make_key brainpoolP256r1.pem openssl genpkey -algorithm EC \
	-pkeyopt ec_paramgen_curve:brainpoolP256r1 -out brainpoolP256r1.pem
# P-256 with explicit curve parameters instead of the named-curve OID: SEC1 and PKCS#8.
make_key p256-explicit.sec1.pem openssl ecparam -name prime256v1 -genkey -noout \
	-param_enc explicit -out p256-explicit.sec1.pem
make_key p256-explicit.pkcs8.pem openssl pkcs8 -topk8 -nocrypt -in p256-explicit.sec1.pem \
	-out p256-explicit.pkcs8.pem
make_key rsa-pss.pem openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
	-out rsa-pss.pem

# --- Password-protected copies of rsa2048.pem (password: test) --------------------------------
make_key rsa2048.encrypted-pkcs8.pem openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:test \
	-in rsa2048.pem -out rsa2048.encrypted-pkcs8.pem
make_key rsa2048.encrypted-pkcs1.pem openssl rsa -aes256 -traditional -passout pass:test \
	-in rsa2048.pem -out rsa2048.encrypted-pkcs1.pem

# Last, because it takes minutes.
make_key rsa16384.pem rsa 16384 rsa16384.pem
