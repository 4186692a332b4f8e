/// The PostgreSQL scan database's schema, versioned in `daneprobe_schema` (one row: the number
/// of migrations applied). Workers that start together serialize their migration on one
/// transaction-scoped advisory lock; a database of a newer daneprobe is refused, never altered.
///
/// Version 1:
/// - `scan_runs`: one row per run (`--run NAME`): id, name, start, and the configuration
///   that decides results (policy, port, timeout, resolver, trust anchor, time, address
///   map) as JSONB. Every worker of a run must have the same configuration.
/// - `scan_work`: the run's work queue, one row per (run, domain): `pending` → `claimed` (by a
///   worker, with a lease that expires at `lease_until`, database time) → `done`; `attempts`
///   counts claims, so a domain that kills every worker that takes it is given up after
///   `--max-attempts`. The partial index serves the claim query (unfinished rows by lease).
/// - `scan_results`: one row per (run, domain), upserted: the columns reports group by and
///   the whole `DomainReport` as JSON (`check --json`'s schema; `json`, not `jsonb`, so the
///   line is stored as written and a U+0000 in a hostile banner cannot make it unstorable).
public enum PostgresScanSchema {
    /// Arbitrary constant for `pg_advisory_xact_lock`: "daneprob" in ASCII.
    static let migrationLock: Int64 = 0x6461_6e65_7072_6f62

    public static let migrations: [[String]] = [
        [
            """
            CREATE TABLE scan_runs (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                configuration JSONB NOT NULL
            )
            """,
            """
            CREATE TABLE scan_work (
                run_id BIGINT NOT NULL REFERENCES scan_runs (id) ON DELETE CASCADE,
                domain TEXT NOT NULL,
                rank INTEGER,
                line BIGINT,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done')),
                worker TEXT,
                lease_until TIMESTAMPTZ,
                attempts INTEGER NOT NULL DEFAULT 0,
                added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (run_id, domain)
            )
            """,
            "CREATE INDEX scan_work_open ON scan_work (run_id, lease_until NULLS FIRST) WHERE state <> 'done'",
            "CREATE INDEX scan_work_worker ON scan_work (run_id, worker) WHERE state = 'claimed'",
            """
            CREATE TABLE scan_results (
                run_id BIGINT NOT NULL REFERENCES scan_runs (id) ON DELETE CASCADE,
                domain TEXT NOT NULL,
                verdict TEXT NOT NULL,
                mx_status TEXT NOT NULL,
                mx_implicit BOOLEAN NOT NULL,
                null_mx BOOLEAN NOT NULL,
                mx_hosts INTEGER NOT NULL,
                has_tlsa BOOLEAN NOT NULL,
                tlsa_secure BOOLEAN NOT NULL,
                starttls BOOLEAN NOT NULL,
                broken BOOLEAN NOT NULL,
                delivering_host TEXT,
                report JSON NOT NULL,
                worker TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                finished_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (run_id, domain)
            )
            """,
            "CREATE INDEX scan_results_verdict ON scan_results (run_id, verdict)",
        ],
    ]

    public static var currentVersion: Int { migrations.count }
}
