#!/usr/bin/env bash
# Makes throwaway TLS material for tests in directory $1 with the openssl command:
#   ca.pem/ca.key             a CA
#   server.pem/server.key     rectifyd's certificate, signed by the CA, SAN IP:127.0.0.1 and
#                             DNS:localhost
#   client.pem/client.key     a client certificate signed by the CA (mutual TLS)
#   other_ca.pem/other_ca.key an unrelated CA (the "wrong CA" of the tests)
# Keys are unencrypted EC P-256; certificates last one day. Never use these outside tests.
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"

ca() {  # name, subject
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$1.key" -out "$1.pem" -days 1 -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    2>/dev/null
}

leaf() {  # name, subject, extension lines
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%b' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out "$1.pem" -days 1 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "/CN=Rectify Test CA"
ca other_ca "/CN=Some Other CA"
leaf server "/CN=localhost" \
  "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE"
leaf client "/CN=rectify-test-client" \
  "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE"
