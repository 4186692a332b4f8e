/// The HTTPS record (RFC 9460 §9): SVCB's layout for the "https" and "http" schemes, type 65.
/// `RData` keeps the type, so `RData(type: .https, …)` decodes and prints through `SVCB`.
public typealias HTTPS = SVCB
