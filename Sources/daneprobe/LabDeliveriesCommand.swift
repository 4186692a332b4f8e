import ArgumentParser
import DANELab
import Foundation

/// `daneprobe lab deliveries`: what the mail servers of a running (or finished) `lab serve`
/// received, from its deliveries file.
struct LabDeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "List the messages lab serve's mail servers received, with their TLS facts.",
        discussion: """
        Reads the deliveries file `lab serve` writes (named in its --manifest, or \
        DIR/deliveries.jsonl for --deliveries DIR) and prints one line per message: which \
        scenario host got it, from and to whom, over what TLS and SNI, whether that host is \
        the scenario's MITM, and whether the catalogue expects no delivery at all.
        """
    )

    @Option(help: ArgumentHelp("The manifest lab serve wrote.", valueName: "FILE"))
    var manifest: String?

    @Option(help: ArgumentHelp("The folder given to lab serve --deliveries.", valueName: "DIR"))
    var deliveries: String?

    @Flag(help: "Print the records as JSON lines.")
    var json = false

    func validate() throws {
        guard (manifest == nil) != (deliveries == nil) else { throw ValidationError("give one of --manifest FILE or --deliveries DIR") }
    }

    func run() async throws {
        let records: [LabDelivery]
        do {
            let file: URL
            if let manifest {
                let read = try LabManifest.read(URL(fileURLWithPath: manifest))
                guard let path = read.deliveries else {
                    printError("daneprobe lab deliveries: \(manifest) names no deliveries file (lab serve recorded none)")
                    throw ExitCode(2)
                }
                file = URL(fileURLWithPath: path)
            } else {
                file = URL(fileURLWithPath: deliveries ?? ".").appendingPathComponent(LabDelivery.fileName)
            }
            records = try LabDelivery.read(file)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("daneprobe lab deliveries: \(error)")
            throw ExitCode(2)
        }
        var out = StandardOutput()
        if json {
            for record in records { out.write((try record.jsonLine()) + "\n") }
        } else {
            for record in records { out.write(record.text + "\n") }
            let mitm = records.filter(\.mitm).count
            let unexpected = records.filter { !$0.unexpectedUnder.isEmpty }.count
            out.write("\(records.count) deliveries, \(mitm) to a MITM, \(unexpected) where the catalogue expects none\n")
        }
        out.flush()
    }
}
