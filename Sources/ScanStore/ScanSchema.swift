/// The results database's own schema, versioned by SQLite's `PRAGMA user_version` (the
/// version is the number of migrations applied). A database written by a newer daneprobe
/// (a higher version than `migrations.count`) is refused, never altered.
///
/// Version 1:
/// - `domains`: one row per input domain (primary key: the absolute, lower-case name),
///   `status` `pending` or `done`, the input line and rank, and once done the verdict, the
///   columns reports group by (MX status, TLSA, STARTTLS, broken) and the whole
///   `DomainReport` JSON (`check --json`'s schema), with start/finish times.
/// - `scan_meta`: key/value facts about the runs (first and last start).
public enum ScanSchema {
    /// Each migration is a list of statements run in one transaction; index + 1 is the
    /// version it produces. Append only: a released migration is never edited.
    public static let migrations: [[String]] = [
        [
            """
            CREATE TABLE domains (
                domain TEXT PRIMARY KEY NOT NULL,
                rank INTEGER,
                line INTEGER,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
                verdict TEXT,
                mx_status TEXT,
                mx_implicit INTEGER,
                null_mx INTEGER,
                mx_hosts INTEGER,
                has_tlsa INTEGER,
                tlsa_secure INTEGER,
                starttls INTEGER,
                broken INTEGER,
                delivering_host TEXT,
                report TEXT,
                added_at REAL NOT NULL,
                started_at REAL,
                finished_at REAL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX domains_status ON domains (status)",
            "CREATE INDEX domains_verdict ON domains (verdict)",
            "CREATE INDEX domains_mx_status ON domains (mx_status)",
            "CREATE INDEX domains_has_tlsa ON domains (has_tlsa, tlsa_secure)",
            "CREATE TABLE scan_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID",
        ],
    ]

    public static var currentVersion: Int { migrations.count }
}
