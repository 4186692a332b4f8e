import DNSCore

/// Reads RFC 1035 §5 master files into records.
///
/// The rules, all from RFC 1035 §5.1 unless noted:
/// - Entries are `$ORIGIN name`, `$INCLUDE file [origin]`, `$TTL ttl` (RFC 2308 §4), or a
///   record `[owner] [TTL] [class] type RDATA` with TTL and class in either order.
/// - A line that begins with a blank has the previous record's owner. `@` is the origin; a
///   name without a trailing `.` is relative to the origin.
/// - An omitted class is the previous record's (or `defaultClass`); an omitted TTL is the
///   `$TTL` value (RFC 2308 §4), else the last TTL given explicitly, else — as BIND does — the
///   SOA MINIMUM; with none of these it is an error.
/// - `$INCLUDE` reads another file (resolved against the including file's folder) with the
///   given origin, or the current one, and does not change the including file's origin. It is
///   an error unless an `includeLoader` is given; nesting is limited to 16 files and loops are
///   errors.
/// - Types and classes may be written `TYPEnnn` / `CLASSnnn`, and RDATA of any type as
///   `\# length hex` (RFC 3597 §5).
///
/// Parsing is a pure function of the bytes (and of what the loader returns).
public struct ZoneFileParser: Sendable {
    public var origin: DomainName?
    public var defaultTTL: UInt32?
    public var defaultClass: RRClass
    public var includeLoader: (@Sendable (String) throws -> [UInt8])?

    public static let maxIncludeDepth = 16

    public init(origin: DomainName? = nil, defaultTTL: UInt32? = nil, defaultClass: RRClass = .internet,
                includeLoader: (@Sendable (String) throws -> [UInt8])? = nil) {
        self.origin = origin
        self.defaultTTL = defaultTTL
        self.defaultClass = defaultClass
        self.includeLoader = includeLoader
    }

    /// Parses `bytes` and collects records and errors.
    public func parse(_ bytes: [UInt8], fileName: String) -> ZoneParseResult {
        var records: [ResourceRecord] = []
        var result = ZoneParseResult()
        var state = State(origin: origin, ttl: defaultTTL, lastClass: defaultClass)
        result.errors = parse(bytes, fileName: fileName, state: &state, includeChain: [fileName]) { record, _ in records.append(record) }
        result.records = records
        result.origin = state.origin
        return result
    }

    public func parse(text: String, fileName: String = "<text>") -> ZoneParseResult {
        parse(Array(text.utf8), fileName: fileName)
    }

    /// Streams records to `body` as they are read (no zone is held in memory) and returns the
    /// errors.
    public func parse(_ bytes: [UInt8], fileName: String, onRecord body: (ResourceRecord) -> Void) -> [ZoneFileError] {
        parse(bytes, fileName: fileName) { record, _ in body(record) }
    }

    /// Streams records with the place each was read from.
    public func parse(_ bytes: [UInt8], fileName: String, onLocatedRecord body: (ResourceRecord, ZoneFileLocation) -> Void) -> [ZoneFileError] {
        var state = State(origin: origin, ttl: defaultTTL, lastClass: defaultClass)
        return parse(bytes, fileName: fileName, state: &state, includeChain: [fileName], body)
    }

    struct State {
        var origin: DomainName?
        /// `$TTL`.
        var ttl: UInt32?
        var lastTTL: UInt32?
        var lastClass: RRClass
        var lastOwner: DomainName?
        var soaMinimum: UInt32?
    }

    private func parse(_ bytes: [UInt8], fileName: String, state: inout State, includeChain: [String],
                       _ body: (ResourceRecord, ZoneFileLocation) -> Void) -> [ZoneFileError] {
        var errors: [ZoneFileError] = []
        var lexer = ZoneFileLexer(bytes)
        while let item = lexer.next() {
            switch item {
            case .error(let error):
                errors.append(ZoneFileError(.syntax, file: fileName, line: error.line, column: error.column, error.reason))
            case .entry(let entry):
                do {
                    if !entry.startsWithBlank, let first = entry.tokens.first, !first.isQuoted, first.text.first == UInt8(ascii: "$") {
                        try directive(entry, fileName: fileName, state: &state, includeChain: includeChain, errors: &errors, body)
                    } else if let record = try record(entry, fileName: fileName, state: &state) {
                        body(record, ZoneFileLocation(file: fileName, line: entry.line, column: entry.column))
                    }
                } catch {
                    errors.append(error)
                }
            }
        }
        return errors
    }

    // MARK: Directives

    private func directive(_ entry: ZoneEntry, fileName: String, state: inout State, includeChain: [String],
                           errors: inout [ZoneFileError], _ body: (ResourceRecord, ZoneFileLocation) -> Void) throws(ZoneFileError) {
        let tokens = entry.tokens
        let keyword = tokens[0]
        func fail(_ code: ZoneFileError.Code, _ token: PresentationToken, _ reason: String) -> ZoneFileError {
            ZoneFileError(code, file: fileName, line: token.line, column: token.column, reason)
        }
        func argument(_ index: Int, _ what: String) throws(ZoneFileError) -> PresentationToken {
            guard index < tokens.count else {
                throw ZoneFileError(.badDirective, file: fileName, line: entry.endLine, column: entry.endColumn, "\(keyword.string) needs \(what)")
            }
            return tokens[index]
        }
        switch keyword.string.uppercased() {
        case "$ORIGIN":
            let token = try argument(1, "a domain name")
            guard tokens.count == 2 else { throw fail(.badDirective, tokens[2], "$ORIGIN takes one name") }
            state.origin = try name(token, origin: state.origin, fileName: fileName, what: "$ORIGIN name")
        case "$TTL":
            let token = try argument(1, "a TTL")
            guard tokens.count == 2 else { throw fail(.badDirective, tokens[2], "$TTL takes one value") }
            guard let ttl = PresentationScanner.parseDuration(token.text) else {
                throw fail(.badTTL, token, "$TTL \"\(token.string)\" is not a TTL")
            }
            state.ttl = ttl
        case "$INCLUDE":
            let fileToken = try argument(1, "a file name")
            guard tokens.count <= 3 else { throw fail(.badDirective, tokens[3], "$INCLUDE takes a file name and an optional origin") }
            guard let loader = includeLoader else {
                throw fail(.includeNotAllowed, keyword, "$INCLUDE is not allowed here")
            }
            let path = Self.resolve(String(decoding: fileToken.text, as: UTF8.self), relativeTo: fileName)
            guard !includeChain.contains(path) else { throw fail(.includeLoop, fileToken, "$INCLUDE of \(path) loops back to itself") }
            guard includeChain.count < Self.maxIncludeDepth else {
                throw fail(.includeLoop, fileToken, "$INCLUDE nested deeper than \(Self.maxIncludeDepth) files")
            }
            var inner = state
            if tokens.count == 3 {
                inner.origin = try name(tokens[2], origin: state.origin, fileName: fileName, what: "$INCLUDE origin")
            }
            let bytes: [UInt8]
            do {
                bytes = try loader(path)
            } catch {
                throw fail(.io, fileToken, "cannot read \(path): \(error)")
            }
            errors += parse(bytes, fileName: path, state: &inner, includeChain: includeChain + [path], body)
            // RFC 1035 §5.1: the included file does not change the including file's origin.
            let savedOrigin = state.origin
            state = inner
            state.origin = savedOrigin
        default:
            throw fail(.badDirective, keyword, "unknown directive \(keyword.string)")
        }
    }

    /// `path` against the folder of `file` unless `path` is absolute.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }

    // MARK: Records

    private func name(_ token: PresentationToken, origin: DomainName?, fileName: String, what: String) throws(ZoneFileError) -> DomainName {
        guard !token.isQuoted else {
            throw ZoneFileError(.badOwner, file: fileName, line: token.line, column: token.column, "\(what) may not be quoted")
        }
        do {
            return try DomainName(presentation: token.text, origin: origin)
        } catch {
            if case .relativeWithoutOrigin = error {
                throw ZoneFileError(.missingOrigin, file: fileName, line: token.line, column: token.column,
                                    "relative \(what) \"\(token.string)\" but no origin is known (use $ORIGIN or --origin)")
            }
            throw ZoneFileError(.badOwner, file: fileName, line: token.line, column: token.column, "bad \(what) \"\(token.string)\": \(error)")
        }
    }

    private func record(_ entry: ZoneEntry, fileName: String, state: inout State) throws(ZoneFileError) -> ResourceRecord? {
        let tokens = entry.tokens
        var index = 0
        let owner: DomainName
        if entry.startsWithBlank {
            guard let last = state.lastOwner else {
                throw ZoneFileError(.badOwner, file: fileName, line: entry.line, column: entry.column,
                                    "record starts with a blank but there is no previous owner")
            }
            owner = last
        } else {
            owner = try name(tokens[0], origin: state.origin, fileName: fileName, what: "owner name")
            index = 1
        }
        state.lastOwner = owner

        var ttl: UInt32?
        var rrClass: RRClass?
        var type: RRType?
        while index < tokens.count, type == nil {
            let token = tokens[index]
            index += 1
            let text = token.string
            if let first = token.text.first, first &- 48 < 10 {
                guard ttl == nil else {
                    throw ZoneFileError(.badTTL, file: fileName, line: token.line, column: token.column, "second TTL \"\(text)\"")
                }
                guard let value = PresentationScanner.parseDuration(token.text) else {
                    throw ZoneFileError(.badTTL, file: fileName, line: token.line, column: token.column, "TTL \"\(text)\" is not a number of seconds (or 1h30m style)")
                }
                ttl = value
            } else if !token.isQuoted, let found = RRClass(mnemonic: text), rrClass == nil, RRType(mnemonic: text) == nil {
                rrClass = found
            } else if !token.isQuoted, let found = RRType(mnemonic: text) {
                type = found
            } else {
                let code: ZoneFileError.Code = rrClass != nil && RRClass(mnemonic: text) != nil ? .badClass : .unknownType
                throw ZoneFileError(code, file: fileName, line: token.line, column: token.column,
                                    code == .badClass ? "second class \"\(text)\"" : "unknown type \"\(text)\" (use TYPEnnn for types without a name)")
            }
        }
        guard let type else {
            throw ZoneFileError(.unknownType, file: fileName, line: entry.endLine, column: entry.endColumn, "record has no type")
        }
        if type.isMetaType {
            let token = tokens[index - 1]
            throw ZoneFileError(.unknownType, file: fileName, line: token.line, column: token.column, "\(type) is a meta type and cannot appear in a zone")
        }
        let recordClass = rrClass ?? state.lastClass
        state.lastClass = recordClass

        var scanner = PresentationScanner(tokens: Array(tokens[index...]), origin: state.origin,
                                          endLine: entry.endLine, endColumn: entry.endColumn)
        let rdata: RData
        do {
            rdata = try RData(type: type, presentation: &scanner)
        } catch {
            let code: ZoneFileError.Code = error.code == .unknownType ? .unknownType : .badRDATA
            throw ZoneFileError(code, file: fileName, line: error.line, column: error.column, "\(type): \(error.reason)")
        }

        if type == .soa, let soa = rdata.as(SOA.self) { state.soaMinimum = soa.minimum }
        let recordTTL: UInt32
        if let ttl {
            recordTTL = ttl
            state.lastTTL = ttl
        } else if let zoneTTL = state.ttl ?? state.lastTTL ?? state.soaMinimum {
            recordTTL = zoneTTL
        } else {
            throw ZoneFileError(.missingTTL, file: fileName, line: entry.line, column: entry.column,
                                "no TTL given and no $TTL or earlier TTL to inherit")
        }
        return ResourceRecord(owner: owner, rrClass: recordClass, ttl: recordTTL, rdata: rdata)
    }
}
