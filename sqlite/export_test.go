package sqlite

// DSN exposes the writer's connection string to the external tests (the
// engine benchmark's raw baseline uses the same file and pragmas).
func DSN(path string) string { return dsn(path, writer, "FULL") }

// DriverName is the registered driver the store uses.
const DriverName = driverName
