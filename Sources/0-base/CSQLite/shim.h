// SQLite's C interface, for the trial store's bulk insert of registry records (TrialStore's
// `RecordInsert`): GRDB owns the connection and the statements; this binds and steps one statement
// without building GRDB's argument arrays for every row.
#include <sqlite3.h>
