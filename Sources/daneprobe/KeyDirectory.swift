import DNSCore
import DNSSEC
import Foundation

/// The key files of one zone in a folder, as dnssec-signzone's `-K` reads them: every
/// `K<zone>+<alg>+<tag>.key` with its `.private`. Reading and writing only; the text formats
/// are `BINDKeyFile`'s.
struct KeyDirectory {
    let path: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The zone's keys, sorted by file name, or every problem found.
    func load(zone: DomainName) throws(Failure) -> [BINDKeyFile.Pair] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw Failure(description: "\(path): cannot list the key folder: \(error.localizedDescription)")
        }
        var pairs: [BINDKeyFile.Pair] = []
        var problems: [String] = []
        for name in names where name.hasSuffix(".key") {
            guard let parsed = BINDKeyFile.parseBaseName(name),
                  let owner = try? DomainName(parsing: parsed.owner), owner == zone else { continue }
            let base = String(name.dropLast(4))
            let publicPath = file(base + ".key"), privatePath = file(base + ".private")
            do {
                let pair = try BINDKeyFile.Pair.parse(publicText: try read(publicPath), publicFile: publicPath,
                                                      privateText: try read(privatePath), privateFile: privatePath)
                guard pair.owner == zone, pair.key.keyTag == parsed.keyTag, pair.key.algorithm == parsed.algorithm else {
                    problems.append("\(publicPath): holds a key of \(pair.owner), algorithm \(pair.key.algorithm.rawValue), tag \(pair.key.keyTag), not what its name says")
                    continue
                }
                pairs.append(pair)
            } catch let error as KeyFileError {
                problems.append(error.description)
            } catch {
                problems.append("\(error)")
            }
        }
        if !problems.isEmpty { throw Failure(description: problems.joined(separator: "\n")) }
        return pairs
    }

    /// Writes `pair`'s two files (the private one readable by its owner only, as BIND does);
    /// returns the base path.
    func write(_ pair: BINDKeyFile.Pair, created: UInt32) throws(Failure) -> String {
        let base = file(pair.baseName)
        let manager = FileManager.default
        guard !manager.fileExists(atPath: base + ".key"), !manager.fileExists(atPath: base + ".private") else {
            throw Failure(description: "\(base): key files already exist")
        }
        guard manager.createFile(atPath: base + ".private", contents: Data(pair.privateText(created: created).utf8),
                                 attributes: [.posixPermissions: 0o600]),
              manager.createFile(atPath: base + ".key", contents: Data(pair.publicText(created: created).utf8),
                                 attributes: [.posixPermissions: 0o644])
        else {
            throw Failure(description: "\(base): cannot write the key files")
        }
        return base
    }

    private func file(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    private func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(description: "\(path): cannot read: \(error.localizedDescription)")
        }
    }
}
