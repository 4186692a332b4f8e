import ScanStorePostgres
import Testing

/// `--db postgres://…` as libpq's URI form (PostgreSQL manual §34.1.1), and its errors.
@Suite struct PostgresURLTests {
    @Test func parsesUserPasswordHostPortDatabaseAndTLSMode() throws {
        let url = try PostgresURL(parsing: "postgresql://scan%40ops:s%3Acret@db.example:6543/mail%20scan?sslmode=require")
        #expect(url.user == "scan@ops")
        #expect(url.password == "s:cret")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "mail scan")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://scan@ops:***@db.example:6543/mail scan?sslmode=require")
        #expect(!url.description.contains("cret"))
    }

    @Test func defaultsAndIPv6() throws {
        let url = try PostgresURL(parsing: "postgres://daneprobe@[::1]/scans")
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.password == nil)
        #expect(url.tls == .disable)
        #expect(url.description == "postgres://daneprobe@[::1]:5432/scans")
    }

    @Test(arguments: [
        ("scan.sqlite", "expected postgres://"),
        ("postgres://db.example/scans", "no user"),
        ("postgres://u@db.example", "one database name"),
        ("postgres://u@db.example/a/b", "one database name"),
        ("postgres://u@db.example:0/db", "out of range"),
        ("postgres://u@db.example/db?sslmode=sometimes", "sslmode sometimes"),
        ("postgres://u@db.example/db?application=x", "unknown parameter application"),
    ])
    func badURLsSayWhatIsWrong(text: String, message: String) {
        #expect(throws: PostgresURLError.self) { try PostgresURL(parsing: text) }
        do { _ = try PostgresURL(parsing: text) } catch { #expect(error.description.contains(message), "\(error)") }
    }

    @Test func aMissingPasswordComesFromPGPASSWORDAsWithLibpq() throws {
        let bare = try PostgresURL(parsing: "postgres://u@db.example/scans")
        #expect(bare.withPasswordFromEnvironment(["PGPASSWORD": "s3"]).password == "s3")
        #expect(bare.withPasswordFromEnvironment([:]).password == nil)
        let given = try PostgresURL(parsing: "postgres://u:mine@db.example/scans")
        #expect(given.withPasswordFromEnvironment(["PGPASSWORD": "s3"]).password == "mine")
    }

    @Test func errorsNeverShowThePassword() {
        do { _ = try PostgresURL(parsing: "postgres://u:hunter2@db.example/a/b") } catch { #expect(!error.description.contains("hunter2"), "\(error)") }
    }
}
