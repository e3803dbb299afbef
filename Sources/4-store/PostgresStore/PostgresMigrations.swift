import PostgresNIO

/// The PostgreSQL schema, as an ordered list of named migrations kept in `rct_migrations`. A migration,
/// once released, is never edited; later ones go at the end. They run in one transaction under an
/// advisory lock, so several server processes starting at once migrate the database once.
///
/// | migration | tables |
/// |---|---|
/// | `v1_enrolment` | `trial`, `runs`, `cohort`, `screening`, `assignments` (+ append-only triggers), `assignment_imports` |
/// | `v2_service` | `users`, `api_tokens`, `sessions`, `audit_log` (+ append-only triggers), `audit_head`, `enrolment_pauses` |
/// | `v3_chain_coverage` | `assignments.screening_sha256`, `assignments.run_screening_sha256`; `cohort` and `screening` append-only |
///
/// The tables are those of the SQLite store's enrolment side (`StoreMigrations`), with the same column
/// names and the same text forms of dates and instants; `ord` columns keep the order of arrival that
/// SQLite's `rowid` gives. No table ever holds a real national number.
enum PostgresMigrations {
    static let migrations: [(name: String, statements: [String])] = [
        ("v1_enrolment", [
            """
            CREATE TABLE trial (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                trial_id TEXT NOT NULL,
                design_file TEXT NOT NULL,
                design_sha256 TEXT NOT NULL,
                created_at TEXT NOT NULL,
                head_seq INTEGER NOT NULL DEFAULT 0,
                head_hash TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE runs (
                run_id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                started_at TEXT NOT NULL,
                design_sha256 TEXT NOT NULL,
                screened INTEGER NOT NULL,
                assigned INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE cohort (
                unit_id TEXT PRIMARY KEY,
                link_key TEXT,
                line INTEGER NOT NULL,
                attributes TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(run_id),
                ord BIGSERIAL
            )
            """,
            """
            CREATE TABLE screening (
                unit_id TEXT PRIMARY KEY REFERENCES cohort(unit_id),
                eligible BOOLEAN NOT NULL,
                rule_id TEXT,
                reason TEXT,
                run_id INTEGER NOT NULL REFERENCES runs(run_id),
                ord BIGSERIAL
            )
            """,
            """
            CREATE TABLE assignments (
                seq INTEGER PRIMARY KEY,
                unit_id TEXT NOT NULL UNIQUE REFERENCES cohort(unit_id),
                link_key TEXT,
                arm TEXT NOT NULL,
                assigned_on TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                stratum TEXT,
                block TEXT,
                block_size INTEGER,
                cluster TEXT,
                probability DOUBLE PRECISION NOT NULL,
                procedure TEXT NOT NULL,
                seed BIGINT NOT NULL,
                generator TEXT NOT NULL,
                case_manager TEXT,
                capacity_status TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(run_id),
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                source_sha256 TEXT
            )
            """,
            """
            CREATE TABLE assignment_imports (
                run_id INTEGER PRIMARY KEY REFERENCES runs(run_id),
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                assigned INTEGER NOT NULL,
                probabilities TEXT NOT NULL CHECK (probabilities IN ('given', 'derived'))
            )
            """,
            """
            CREATE FUNCTION rct_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END
            $$
            """,
            """
            CREATE TRIGGER assignments_append_only_update BEFORE UPDATE ON assignments
                FOR EACH ROW EXECUTE FUNCTION rct_append_only()
            """,
            """
            CREATE TRIGGER assignments_append_only_delete BEFORE DELETE ON assignments
                FOR EACH ROW EXECUTE FUNCTION rct_append_only()
            """,
        ]),
        ("v2_service", [
            """
            CREATE TABLE users (
                id SERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('enroller', 'manager', 'statistician', 'auditor')),
                site TEXT,
                password_hash TEXT,
                disabled BOOLEAN NOT NULL DEFAULT false,
                created_at TEXT NOT NULL,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT
            )
            """,
            """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                created_at TEXT NOT NULL,
                revoked BOOLEAN NOT NULL DEFAULT false
            )
            """,
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT,
                remote TEXT,
                outcome TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE enrolment_pauses (
                seq SERIAL PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                paused BOOLEAN NOT NULL,
                reason TEXT
            )
            """,
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT)",
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, NULL)",
            """
            CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION rct_append_only()
            """,
            """
            CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION rct_append_only()
            """,
        ]),
        // The screening inputs in the chain, as `v8_chain_coverage` of the SQLite store (`ScreeningDigest`).
        ("v3_chain_coverage", [
            "ALTER TABLE assignments ADD COLUMN screening_sha256 TEXT",
            "ALTER TABLE assignments ADD COLUMN run_screening_sha256 TEXT",
        ] + ["cohort", "screening"].flatMap { table in
            ["update", "delete"].map { action in
                "CREATE TRIGGER \(table)_append_only_\(action) BEFORE \(action.uppercased()) ON \(table) FOR EACH ROW EXECUTE FUNCTION rct_append_only()"
            }
        }),
        // Later migrations go here, in order.
    ]

    /// The names of the triggers `verify` expects.
    static let appendOnlyTriggers = ["assignments", "cohort", "screening"].flatMap { ["\($0)_append_only_update", "\($0)_append_only_delete"] }

    /// Applies the migrations not yet applied, inside the caller's transaction.
    static func migrate(_ c: PostgresConnection, logger: Logger) async throws {
        try await c.query("SELECT pg_advisory_xact_lock(27862017)", logger: logger)
        try await c.query("CREATE TABLE IF NOT EXISTS rct_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                          logger: logger)
        var applied: Set<String> = []
        for try await name in try await c.query("SELECT name FROM rct_migrations", logger: logger).decode(String.self) {
            applied.insert(name)
        }
        for migration in migrations where !applied.contains(migration.name) {
            for statement in migration.statements {
                try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await c.query("INSERT INTO rct_migrations (name) VALUES (\(migration.name))", logger: logger)
        }
    }
}
