import GRDB

/// The store's schema, as an ordered list of named migrations (GRDB `DatabaseMigrator`). A migration,
/// once released, is never edited: later modules add their own migrations to the END of this list, each
/// creating its own tables, so an older store is brought up to date on open.
///
/// | migration | tables | owner |
/// |---|---|---|
/// | `v1_trial` | `trial`, `runs`, `cohort`, `screening`, `assignments` (+ append-only triggers) | TrialStore (assignment) |
/// | `v2_imports` | `imports`, `quarantine`, `registry_records`, `survey_responses` | TrialStore (import, `TrialStore+Imports.swift`) |
/// | `v3_assignment_import` | `assignments.source_sha256` (new column), `assignment_imports` | `rct import-assignment` |
/// | `v4_set_aside` | `imports.voided` (new column), `set_aside` | TrialStore (import: records voided or superseded) |
/// | `v5_service` | `users`, `api_tokens`, `sessions`, `audit_log` (+ append-only triggers), `audit_head`, `enrolment_pauses` | the service (`rct serve`, `rct users`) |
/// | `v9_key_rotation` | `key_rotations`, `link_key_map` (+ append-only triggers) | `rct key rotate` (`TrialStore+KeyRotation.swift`) |
/// | `v10_registry_without_participant_index` | drops `registry_records_participant` | TrialStore (import) |
///
/// Conventions for later migrations: tables refer to families by `cohort.unit_id`; dates are text
/// `YYYY-MM-DD`, instants text ISO 8601 UTC; no table ever holds a real national number.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_trial", migrate: v1Trial)
        migrator.registerMigration("v2_imports", migrate: v2Imports)
        migrator.registerMigration("v3_assignment_import", migrate: v3AssignmentImport)
        migrator.registerMigration("v4_set_aside", migrate: v4SetAside)
        migrator.registerMigration("v5_amendments", migrate: v5Amendments)
        migrator.registerMigration("v6_link_key", migrate: v6LinkKey)
        migrator.registerMigration("v7_service", migrate: v7Service)
        migrator.registerMigration("v8_chain_coverage", migrate: v8ChainCoverage)
        migrator.registerMigration("v9_key_rotation", migrate: v9KeyRotation)
        migrator.registerMigration("v10_registry_without_participant_index", migrate: v10RegistryWithoutParticipantIndex)
        // Later migrations go here, in order.
        return migrator
    }

    /// The trial, its runs, the pseudonymised cohort, screening outcomes and the hash-chained
    /// assignment records.
    @Sendable static func v1Trial(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE trial (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                trial_id TEXT NOT NULL,
                design_file TEXT NOT NULL,
                design_sha256 TEXT NOT NULL,
                created_at TEXT NOT NULL,
                head_seq INTEGER NOT NULL DEFAULT 0,
                head_hash TEXT NOT NULL
            );
            CREATE TABLE runs (
                run_id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                started_at TEXT NOT NULL,
                design_sha256 TEXT NOT NULL,
                screened INTEGER NOT NULL,
                assigned INTEGER NOT NULL
            );
            CREATE TABLE cohort (
                unit_id TEXT PRIMARY KEY,
                link_key TEXT,
                line INTEGER NOT NULL,
                attributes TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(run_id)
            );
            CREATE TABLE screening (
                unit_id TEXT PRIMARY KEY REFERENCES cohort(unit_id),
                eligible INTEGER NOT NULL,
                rule_id TEXT,
                reason TEXT,
                run_id INTEGER NOT NULL REFERENCES runs(run_id)
            );
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
                probability REAL NOT NULL,
                procedure TEXT NOT NULL,
                seed INTEGER NOT NULL,
                generator TEXT NOT NULL,
                case_manager TEXT,
                capacity_status TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(run_id),
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE TRIGGER assignments_append_only_update BEFORE UPDATE ON assignments
                BEGIN SELECT RAISE(ABORT, 'assignment records are append-only'); END;
            CREATE TRIGGER assignments_append_only_delete BEFORE DELETE ON assignments
                BEGIN SELECT RAISE(ABORT, 'assignment records are append-only'); END;
            """)
    }

    /// Imported extracts (docs/import.md, "Importing into the trial store"). One `imports` row per import
    /// of a source file; at most one import per source is active (`replaced_by IS NULL`), an earlier one is
    /// kept with `replaced_by` naming the import that replaced it. Its rows stay in `registry_records` /
    /// `survey_responses` / `quarantine` but are no longer read back. `superseded` counts the corrected
    /// decisions the file's later decisions replaced (`ocmw_aid`), so
    /// `rows_accepted − superseded` = the import's registry_records + survey_responses rows.
    /// `participants_fingerprint` is SHA-256 of the sorted participant ids the rows were linked against,
    /// `key_fingerprint` that of the pseudonymisation key (never the key). `merge_report` is the merge
    /// report as JSON. Dates are `YYYY-MM-DD`; `attributes`, `numbers` and `answers` are JSON objects.
    /// `quarantine` holds every rejected row with a non-identifying excerpt — never a national number.
    @Sendable static func v2Imports(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                source_id TEXT NOT NULL,
                file TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                key_fingerprint TEXT,
                participants_fingerprint TEXT,
                imported_at TEXT NOT NULL,
                rows_read INTEGER NOT NULL,
                rows_accepted INTEGER NOT NULL,
                rows_rejected INTEGER NOT NULL,
                superseded INTEGER NOT NULL DEFAULT 0,
                replaced_by INTEGER REFERENCES imports(id) DEFERRABLE INITIALLY DEFERRED,
                merge_report TEXT,
                CHECK (rows_read = rows_accepted + rows_rejected)
            );
            CREATE UNIQUE INDEX imports_active_source ON imports(source_id) WHERE replaced_by IS NULL;
            CREATE TABLE quarantine (
                import_id INTEGER NOT NULL REFERENCES imports(id),
                line INTEGER NOT NULL,
                column_name TEXT,
                reason TEXT NOT NULL,
                message TEXT NOT NULL,
                excerpt TEXT NOT NULL
            );
            CREATE INDEX quarantine_import ON quarantine(import_id);
            CREATE TABLE registry_records (
                import_id INTEGER NOT NULL REFERENCES imports(id),
                source_id TEXT NOT NULL,
                participant TEXT NOT NULL,
                line INTEGER NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT,
                attributes TEXT NOT NULL,
                numbers TEXT NOT NULL
            );
            CREATE INDEX registry_records_participant ON registry_records(participant);
            CREATE INDEX registry_records_import ON registry_records(import_id);
            CREATE TABLE survey_responses (
                import_id INTEGER NOT NULL REFERENCES imports(id),
                source_id TEXT NOT NULL,
                wave TEXT NOT NULL,
                participant TEXT NOT NULL,
                line INTEGER NOT NULL,
                interview_date TEXT,
                answers TEXT NOT NULL
            );
            CREATE INDEX survey_responses_participant ON survey_responses(participant);
            CREATE INDEX survey_responses_import ON survey_responses(import_id);
            """)
    }

    /// The names of the triggers `verify` expects.
    static let appendOnlyTriggers = ["assignments_append_only_update", "assignments_append_only_delete",
                                     "amendments_append_only_update", "amendments_append_only_delete"]
        + coverageTriggers + rotationTriggers

    /// The triggers `v8_chain_coverage` adds: the screening inputs, the imports and their rows are written
    /// once and never changed or deleted (an import's `replaced_by` is the one column set later).
    static let coverageTriggers = ["cohort", "screening", "registry_records", "survey_responses", "quarantine", "set_aside"]
        .flatMap { ["\($0)_append_only_update", "\($0)_append_only_delete"] } + ["imports_chained_update", "imports_append_only_delete"]

    /// Assignments made elsewhere (`rct import-assignment`): each imported record carries the SHA-256 of
    /// the file it came from (`source_sha256`, NULL for assignments drawn here, and part of the record's
    /// hash when present), and `assignment_imports` keeps one row per imported file: the run, the file's
    /// name and fingerprint, how many families it assigned and whether the assignment probabilities were
    /// `given` in the file or `derived` from the counts per stratum. Both are append-only.
    @Sendable static func v3AssignmentImport(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE assignments ADD COLUMN source_sha256 TEXT;
            CREATE TABLE assignment_imports (
                run_id INTEGER PRIMARY KEY REFERENCES runs(run_id),
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                assigned INTEGER NOT NULL,
                probabilities TEXT NOT NULL CHECK (probabilities IN ('given', 'derived'))
            );
            CREATE TRIGGER assignment_imports_append_only_update BEFORE UPDATE ON assignment_imports
                BEGIN SELECT RAISE(ABORT, 'assignment imports are append-only'); END;
            CREATE TRIGGER assignment_imports_append_only_delete BEFORE DELETE ON assignment_imports
                BEGIN SELECT RAISE(ABORT, 'assignment imports are append-only'); END;
            """)
    }

    /// Rows that were read and valid but do not count: voided by the source's status column, or
    /// superseded by a later correction. They are kept (with the participant, so that one family's can be
    /// shown) but never read as records; `imports.voided` counts the voided ones (`superseded` already
    /// counts the others).
    @Sendable static func v4SetAside(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE imports ADD COLUMN voided INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE set_aside (
                import_id INTEGER NOT NULL REFERENCES imports(id),
                line INTEGER NOT NULL,
                participant TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (reason IN ('void', 'superseded')),
                message TEXT NOT NULL
            );
            CREATE INDEX set_aside_import ON set_aside(import_id);
            CREATE INDEX set_aside_participant ON set_aside(participant);
            """)
    }

    /// Amendments of the design's locked part (`rct amend`, `docs/design-format.md` "What is locked").
    /// `trial_design` keeps the design's text as it was when the store was made (filled in for older
    /// stores the first time they are opened with the same design); a table of its own, so that the
    /// trial row, rewritten at every assignment, stays small. Each amendment keeps the amended design's
    /// text, its SHA-256 and that of its locked part, the changed keys (JSON `[{path, before, after}]`),
    /// who, when, why, how many assignment records there were and the chain's head then, and whether
    /// outcome data had been imported; amendments are hash-chained (`AmendmentChain`), anchored to the
    /// design's SHA-256, and append-only.
    @Sendable static func v5Amendments(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE trial_design (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                design_text TEXT NOT NULL
            );
            CREATE TABLE amendments (
                seq INTEGER PRIMARY KEY,
                recorded_at TEXT NOT NULL,
                author TEXT NOT NULL,
                reason TEXT NOT NULL,
                design_sha256 TEXT NOT NULL,
                lock_sha256 TEXT NOT NULL,
                design_text TEXT NOT NULL,
                changes TEXT NOT NULL,
                assignments INTEGER NOT NULL,
                assignment_head TEXT NOT NULL,
                outcome_data INTEGER NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE TRIGGER amendments_append_only_update BEFORE UPDATE ON amendments
                BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
            CREATE TRIGGER amendments_append_only_delete BEFORE DELETE ON amendments
                BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
            """)
    }

    /// The pseudonymisation key's fingerprint from the first assignment that used it (`link_key`), so
    /// that an import or enrolment with another key is refused instead of linking nothing.
    @Sendable static func v6LinkKey(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE link_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                key_fingerprint TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            );
            CREATE TRIGGER link_key_append_only_update BEFORE UPDATE ON link_key
                BEGIN SELECT RAISE(ABORT, 'the key fingerprint is kept once'); END;
            """)
    }

    /// The names of the audit log's append-only triggers.
    static let auditTriggers = ["audit_log_append_only_update", "audit_log_append_only_delete"]

    /// The central service (`rct serve`): users with a role (and an enroller's site), bcrypt password
    /// hashes, failed logins and a lock; API tokens and browser sessions kept as SHA-256 hashes of the
    /// secret only; the audit log, append-only and hash-chained like the assignments (its head in
    /// `audit_head`, its first entry anchored to the design's SHA-256).
    @Sendable static func v7Service(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT);
            INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, NULL);
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('enroller', 'manager', 'statistician', 'auditor')),
                site TEXT,
                password_hash TEXT,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT
            );
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                created_at TEXT NOT NULL,
                revoked INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
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
            );
            CREATE TABLE enrolment_pauses (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                paused INTEGER NOT NULL,
                reason TEXT
            );
            CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """)
    }

    /// The chain covers what the analysis trusts (`ScreeningDigest`, `ImportChain`): each assignment record
    /// carries the digests of its family's screening row and of its run's screened set; each import keeps
    /// the assignment head it followed, the import it replaced, how many rows it wrote into each table and
    /// their digest, and its own hash chained to the import before (the first to the design's SHA-256). Rows written before
    /// this migration carry none of these, and `verify` checks what they carry. The screening inputs, the
    /// imports and their rows become append-only.
    @Sendable static func v8ChainCoverage(_ db: Database) throws {
        var sql = """
            ALTER TABLE assignments ADD COLUMN screening_sha256 TEXT;
            ALTER TABLE assignments ADD COLUMN run_screening_sha256 TEXT;
            ALTER TABLE imports ADD COLUMN replaces INTEGER;
            ALTER TABLE imports ADD COLUMN assignment_seq INTEGER;
            ALTER TABLE imports ADD COLUMN assignment_head TEXT;
            ALTER TABLE imports ADD COLUMN written TEXT;
            ALTER TABLE imports ADD COLUMN rows_sha256 TEXT;
            ALTER TABLE imports ADD COLUMN prev_hash TEXT;
            ALTER TABLE imports ADD COLUMN hash TEXT;
            CREATE TRIGGER imports_chained_update BEFORE UPDATE OF id, source_id, file, fingerprint, key_fingerprint,
                participants_fingerprint, imported_at, rows_read, rows_accepted, rows_rejected, superseded, voided, merge_report,
                replaces, assignment_seq, assignment_head, written, rows_sha256, prev_hash, hash ON imports WHEN OLD.hash IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'a chained import is kept as it was written'); END;
            CREATE TRIGGER imports_append_only_delete BEFORE DELETE ON imports
                BEGIN SELECT RAISE(ABORT, 'imports are append-only'); END;

            """
        for table in ["cohort", "screening", "registry_records", "survey_responses", "quarantine", "set_aside"] {
            sql += """
                CREATE TRIGGER \(table)_append_only_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) rows are append-only'); END;
                CREATE TRIGGER \(table)_append_only_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) rows are append-only'); END;

                """
        }
        try db.execute(sql: sql)
    }

    /// The triggers `v9_key_rotation` adds.
    static let rotationTriggers = ["key_rotations_append_only_update", "key_rotations_append_only_delete",
                                   "link_key_map_append_only_update", "link_key_map_append_only_delete",
                                   "link_key_append_only_delete"]

    /// Rotations of the pseudonymisation key (`rct key rotate`, `TrialStore+KeyRotation.swift`): one chained
    /// row per rotation (the fingerprints of the key rotated out and in, the families and pseudonyms
    /// mapped, the map's digest, the assignment record and import it followed, `prev_hash`, `hash`), and
    /// the map from each family's pseudonym under the new key to its canonical link key (the one the
    /// store's rows hold). Nothing stored is rewritten; both tables, and the first key's row, are
    /// append-only. The key in force is the last rotation's new key.
    @Sendable static func v9KeyRotation(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE key_rotations (
                seq INTEGER PRIMARY KEY,
                rotated_at TEXT NOT NULL,
                old_fingerprint TEXT NOT NULL,
                new_fingerprint TEXT NOT NULL,
                families INTEGER NOT NULL,
                pseudonyms INTEGER NOT NULL,
                map_sha256 TEXT NOT NULL,
                assignment_seq INTEGER NOT NULL,
                assignment_head TEXT NOT NULL,
                import_id INTEGER,
                import_hash TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE TABLE link_key_map (
                rotation INTEGER NOT NULL REFERENCES key_rotations(seq),
                pseudonym TEXT NOT NULL,
                link_key TEXT NOT NULL,
                PRIMARY KEY (rotation, pseudonym)
            );
            CREATE TRIGGER key_rotations_append_only_update BEFORE UPDATE ON key_rotations
                BEGIN SELECT RAISE(ABORT, 'key rotations are append-only'); END;
            CREATE TRIGGER key_rotations_append_only_delete BEFORE DELETE ON key_rotations
                BEGIN SELECT RAISE(ABORT, 'key rotations are append-only'); END;
            CREATE TRIGGER link_key_map_append_only_update BEFORE UPDATE ON link_key_map
                BEGIN SELECT RAISE(ABORT, 'the pseudonym map is append-only'); END;
            CREATE TRIGGER link_key_map_append_only_delete BEFORE DELETE ON link_key_map
                BEGIN SELECT RAISE(ABORT, 'the pseudonym map is append-only'); END;
            CREATE TRIGGER link_key_append_only_delete BEFORE DELETE ON link_key
                BEGIN SELECT RAISE(ABORT, 'the key fingerprint is kept once'); END;
            """)
    }

    /// Drops the index of registry records by participant. No query reads records by participant (the
    /// panel reads them all in import order, through `registry_records_import`), and keeping the index
    /// cost a fifth of `rct import`'s time and a fifth of the store's size (docs/scale.md).
    @Sendable static func v10RegistryWithoutParticipantIndex(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS registry_records_participant")
    }
}
