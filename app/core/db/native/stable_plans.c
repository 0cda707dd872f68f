// SQLite's query planner stability guarantee (QPSG), switched on for the connection that loads this
// extension. In the SQLite better-sqlite3 embeds (3.54.1) a statement whose plan could depend on a bound
// value (an equality the index does not use, a LIMIT, a LIKE pattern) is marked to be prepared again
// when that value is cleared or changed; better-sqlite3 clears a statement's values after every call, so
// each call parsed and planned its SQL again: a two-table lookup took 10-12 µs instead of 1, a file's
// tags 20 µs instead of 1-3. Under QPSG no plan depends on a bound value, so nothing is marked.
// better-sqlite3 has no sqlite3_db_config; an extension runs against the SQLite it embeds.
#include <stddef.h>
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

/** stable_plans(): 1 while the guarantee holds on this connection (what the tests ask). */
static void stable_plans(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  int on = 0;
  sqlite3_db_config(sqlite3_context_db_handle(context), SQLITE_DBCONFIG_ENABLE_QPSG, -1, &on);
  sqlite3_result_int(context, on);
}

__attribute__((visibility("default"))) int sqlite3_extension_init(sqlite3 *db, char **error,
                                                                  const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  int on = 0;
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, &on) != SQLITE_OK || !on) {
    *error = sqlite3_mprintf("this SQLite refused the query planner stability guarantee");
    return SQLITE_ERROR;
  }
  return sqlite3_create_function(db, "stable_plans", 0, SQLITE_UTF8, NULL, stable_plans, NULL, NULL);
}
