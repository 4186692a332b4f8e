import DNSCore
import DNSSEC

/// How a lookup is shown to a person (the chain of trust in words, like `delv +vtrace`) or
/// to a program (one JSON object). Pure: the CLI only prints these strings.
public enum ResolutionReport {
    /// Lines: the answer (or denial), the alias chain with each link's status, then the
    /// reasons in order, from the trust anchor down.
    public static func text(_ result: Validated<Answer>) -> String {
        let answer = result.value
        var lines: [String] = []
        lines.append("; \(answer.question.name) \(answer.question.type): \(result.status), rcode \(answer.rcode)"
                     + (result.extendedError.map { ", EDE \($0)" } ?? ""))
        for link in answer.chain {
            switch link.kind {
            case .cname: lines.append("; \(link.owner) is an alias (CNAME) for \(link.target) [\(link.status), zone \(link.zone)]")
            case .dname: lines.append("; \(link.owner) is redirected by the DNAME at \(link.dnameOwner.map { "\($0)" } ?? "?") to \(link.target) [\(link.status), zone \(link.zone)]")
            }
        }
        switch answer.denial {
        case .nxDomain?: lines.append("; \(answer.chain.last?.target ?? answer.question.name) does not exist (NXDOMAIN)")
        case .noData?: lines.append("; \(answer.chain.last?.target ?? answer.question.name) has no \(answer.question.type) records (NODATA)")
        case nil: break
        }
        for rrset in answer.rrsets {
            for record in rrset.records { lines.append(record.presentation) }
        }
        if !result.reasons.isEmpty {
            lines.append(";; chain of trust:")
            for reason in result.reasons {
                lines.append(";;   \(reason.detail) (\(reason.rule)" + (reason.extendedError.map { ", EDE \($0.rawValue)" } ?? "") + ")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object: status, rcode, answer (presentation lines), denial, chain, reasons
    /// (with code, rule, detail, ede) and the deciding EDE.
    public static func json(_ result: Validated<Answer>) -> String {
        let answer = result.value
        var object: [String: JSONValue] = [
            "name": .string("\(answer.question.name)"),
            "type": .string("\(answer.question.type)"),
            "status": .string(result.status.rawValue),
            "rcode": .string("\(answer.rcode)"),
            "answer": .array(answer.rrsets.flatMap { $0.records.map { .string($0.presentation) } }),
            "chain": .array(answer.chain.map { link in
                .object(["kind": .string(link.kind.rawValue), "owner": .string("\(link.owner)"), "target": .string("\(link.target)"),
                         "status": .string(link.status.rawValue), "zone": .string("\(link.zone)")])
            }),
            "reasons": .array(result.reasons.map { reason in
                var entry: [String: JSONValue] = ["code": .string(reason.code.rawValue), "rule": .string(reason.rule), "detail": .string(reason.detail)]
                if let ede = reason.extendedError { entry["ede"] = .int(Int(ede.rawValue)) }
                return .object(entry)
            }),
        ]
        if let denial = answer.denial { object["denial"] = .string(denial.rawValue) }
        if let ede = result.extendedError { object["ede"] = .int(Int(ede.rawValue)) }
        return JSONValue.object(object).text
    }

    /// A lookup that could not be run, as JSON.
    public static func json(error: ResolutionError, name: DomainName, type: RRType) -> String {
        JSONValue.object(["name": .string("\(name)"), "type": .string("\(type)"), "status": .string("error"), "error": .string(error.code.rawValue),
                          "reason": .string(error.reason), "rcode": .string("SERVFAIL"), "answer": .array([]), "reasons": .array([])]).text
    }
}

extension Resolver {
    /// Resolves many questions with at most `concurrency` in flight (child tasks of one task
    /// group), handing each result to `report` in completion order, with its index.
    public func resolveAll(_ questions: [Question], concurrency: Int,
                           report: (Int, Result<Validated<Answer>, ResolutionError>) -> Void) async {
        await withTaskGroup(of: (Int, Result<Validated<Answer>, ResolutionError>).self) { group in
            var next = 0
            func add() {
                guard next < questions.count else { return }
                let index = next
                let question = questions[index]
                next += 1
                group.addTask {
                    do throws(ResolutionError) { return (index, .success(try await self.resolve(question.name, question.type))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, concurrency) { add() }
            while let (index, result) = await group.next() {
                report(index, result)
                add()
            }
        }
    }

    /// Counts for tests and benchmarks: answer computations, chain evaluations and
    /// delegation (DS + DNSKEY) fetches run.
    package func computationCounts() async -> (answers: Int, chains: Int, delegations: Int) {
        (await answers.computations, await zoneKeys.computations, await delegations.computations)
    }

    /// The answer cache's size and how many answers it evicted for room (tests).
    package func answerCacheState() async -> (entries: Int, evictions: Int) {
        (await answers.count, await answers.evictions)
    }

    /// Secure NSEC records held for aggressive synthesis (RFC 8198; tests).
    package func heldNSECCount() async -> Int {
        await nsecCache.count
    }
}

/// Questions from `NAME TYPE` lines (blank lines and `;`/`#` comments skipped).
public enum BatchFile {
    public static func questions(_ text: String) throws(ResolutionError) -> [Question] {
        var questions: [Question] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, !first.hasPrefix(";"), !first.hasPrefix("#") else { continue }
            guard fields.count == 2, let type = RRType(mnemonic: fields[1]) else {
                throw ResolutionError(.badConfiguration, "line \(number + 1): expected NAME TYPE")
            }
            var text = String(first)
            if !text.hasSuffix(".") { text += "." }
            guard let name = try? DomainName(parsing: text) else {
                throw ResolutionError(.badConfiguration, "line \(number + 1): \"\(first)\" is not a domain name")
            }
            questions.append(Question(name: name, type: type))
        }
        return questions
    }
}
