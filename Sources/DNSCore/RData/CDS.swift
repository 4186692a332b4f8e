/// A child DS (RFC 7344 §3.1): the DS the child zone wants its parent to publish, in exactly
/// the DS layout (RFC 4034 §5). Records of type CDS decode to `DS` values; wrap one as
/// `RData(value, type: .cds)`, since `RData(value)` would say DS. The delete form `0 0 0 00`
/// (RFC 8078 §4) is `DS.delete`.
public typealias CDS = DS
