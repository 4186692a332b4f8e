import Foundation

/// The test PKI: a lab CA and a leaf for `mx.example.test` signed by it, ECDSA P-256, both
/// valid from 2020-01-01T00:00:00Z to 2120-01-01T00:00:00Z. Generated once with OpenSSL 3.0.19
/// and pasted here (the test target declares no resources). Exact commands, in an empty folder
/// holding `ca.cnf` (below), `index.txt` (empty) and `serial` (containing `01`):
///
///     openssl ecparam -name prime256v1 -genkey -noout -out ca.key
///     openssl pkcs8 -topk8 -nocrypt -in ca.key -out ca-key.pem
///     openssl req -new -key ca-key.pem -subj "/CN=daneprobe test CA" -out ca.csr
///     openssl ca -batch -config ca.cnf -selfsign -keyfile ca-key.pem -in ca.csr -out ca.pem \
///         -extensions ca_ext -startdate 20200101000000Z -enddate 21200101000000Z -notext
///     openssl ecparam -name prime256v1 -genkey -noout -out leaf.key
///     openssl pkcs8 -topk8 -nocrypt -in leaf.key -out leaf-key.pem
///     openssl req -new -key leaf-key.pem -subj "/CN=mx.example.test" -out leaf.csr
///     openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca-key.pem -in leaf.csr -out leaf.pem \
///         -extensions leaf_ext -startdate 20200101000000Z -enddate 21200101000000Z -notext
///
/// `ca.cnf`:
///
///     [ ca ]
///     default_ca = lab
///     [ lab ]
///     dir = .
///     database = index.txt
///     new_certs_dir = .
///     serial = serial
///     default_md = sha256
///     policy = any
///     copy_extensions = copy
///     unique_subject = no
///     [ any ]
///     commonName = supplied
///     [ ca_ext ]
///     basicConstraints = critical,CA:true
///     keyUsage = critical,keyCertSign,cRLSign
///     subjectKeyIdentifier = hash
///     [ leaf_ext ]
///     basicConstraints = critical,CA:false
///     keyUsage = critical,digitalSignature
///     extendedKeyUsage = serverAuth
///     subjectAltName = DNS:mx.example.test
///     subjectKeyIdentifier = hash
///     authorityKeyIdentifier = keyid
package enum TestPEM {
    package static let leafPEM = """
-----BEGIN CERTIFICATE-----
MIIBujCCAWCgAwIBAgIBAjAKBggqhkjOPQQDAjAcMRowGAYDVQQDDBFkYW5lcHJv
YmUgdGVzdCBDQTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowGjEY
MBYGA1UEAwwPbXguZXhhbXBsZS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEsw4p3gRwcUMPZ9NT+J3SN7IQnk4LM0S9ycpqVbf5VkDE2tHLU4n0K9s8YuTA
HH1ebWew/ZrEbqD20I7Zt45mRaOBkjCBjzAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB
/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAaBgNVHREEEzARgg9teC5leGFt
cGxlLnRlc3QwHQYDVR0OBBYEFFWuG3lcoyXTjGrwnm6+mBvisfJYMB8GA1UdIwQY
MBaAFLmZDluRyUcmk+7GaQnGOvFfDIYSMAoGCCqGSM49BAMCA0gAMEUCIQDisXgy
+dySnqGxS8k5z37FpaxHOmpKLMel66qaC4erVgIgFn4t2itSoB+QiEiLtA7VBciy
+ADKucOU1m0ZT3Icmm0=
-----END CERTIFICATE-----
"""

    package static let caPEM = """
-----BEGIN CERTIFICATE-----
MIIBazCCARGgAwIBAgIBATAKBggqhkjOPQQDAjAcMRowGAYDVQQDDBFkYW5lcHJv
YmUgdGVzdCBDQTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowHDEa
MBgGA1UEAwwRZGFuZXByb2JlIHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAARjtmPNbnGoCSb04LiZ6CJdI9N7wKbtOsRAF5MRwDkAxKUFE1wyNpzZGYBl
MlkxwVNFG8bVAEDZpF5GJImagTwLo0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud
DwEB/wQEAwIBBjAdBgNVHQ4EFgQUuZkOW5HJRyaT7sZpCcY68V8MhhIwCgYIKoZI
zj0EAwIDSAAwRQIgW9XLDgiU6lr6SLtVEfxMXHFYlj5S+keuTM3ZJQ70+TMCIQDM
0QJiobeFMxnjEwoxvtvymSzSg8Ds6CQXlq2x3NAa6g==
-----END CERTIFICATE-----
"""

    package static let leafKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgig0oSy04dvntJnGE
lUosHEL9dJcUm5qDZiMD+NQsSV2hRANCAASzDineBHBxQw9n01P4ndI3shCeTgsz
RL3JympVt/lWQMTa0ctTifQr2zxi5MAcfV5tZ7D9msRuoPbQjtm3jmZF
-----END PRIVATE KEY-----
"""

    /// Writes the chain and key as PEM files (for peers that read files) into `folder`.
    package static func writeFiles(to folder: URL) throws -> (chain: String, key: String) {
        let chain = folder.appendingPathComponent("chain.pem")
        let key = folder.appendingPathComponent("key.pem")
        try Data((leafPEM + "\n" + caPEM + "\n").utf8).write(to: chain)
        try Data((leafKeyPEM + "\n").utf8).write(to: key)
        return (chain.path, key.path)
    }
}
