//go:build !unix

package sim

import "os"

// Without flock, simulators in several processes cannot share a journal:
// one process per journal.
func lockFile(*os.File)   {}
func unlockFile(*os.File) {}
