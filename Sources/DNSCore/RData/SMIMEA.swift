/// An S/MIME certificate association (RFC 8162 §2): the TLSA layout (RFC 6698 §2) under the
/// type SMIMEA, published (RFC 8162 §3) at `<the SHA2-256 of the local part, truncated to 28
/// octets, in hex>._smimecert.<domain>`.
/// Records of type SMIMEA decode to `TLSA` values; wrap one as `RData(value, type: .smimea)`,
/// since `RData(value)` would say TLSA.
public typealias SMIMEA = TLSA
