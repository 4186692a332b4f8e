import DANE

extension LabScenario {
    /// The scenario broken on purpose, its expectation kept: every TLSA record's data is
    /// corrupted (a DANE scenario then fails where it expected a match); one without TLSA gets
    /// a wrong expectation instead. The lab must report the disagreement — the check that a
    /// run of `daneprobe lab` can fail at all.
    public func sabotaged() -> LabScenario {
        var copy = self
        let hasTLSA = zones.contains { !$0.tlsa.isEmpty }
        if hasTLSA {
            copy.zones = zones.map { zone in
                var zone = zone
                zone.tlsa = zone.tlsa.map { record in
                    var record = record
                    record.subject = .corrupted(record.subject)
                    return record
                }
                return zone
            }
        } else {
            let wrong: DANEVerdict = expected.dane == .verified ? .daneFailed : .verified
            copy.expected = Expectation(dane: wrong, may: wrong)
        }
        copy.story += " (sabotaged)"
        return copy
    }
}
