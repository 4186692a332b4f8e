/// A child DNSKEY (RFC 7344 §3.2): the key the child zone wants its parent to make a DS for, in
/// exactly the DNSKEY layout (RFC 4034 §2). Records of type CDNSKEY decode to `DNSKEY` values;
/// wrap one as `RData(value, type: .cdnskey)`, since `RData(value)` would say DNSKEY. The delete
/// form `0 3 0 AA==` (RFC 8078 §4) is `DNSKEY.delete`.
public typealias CDNSKEY = DNSKEY
