//go:build unix

package sim

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f, shared with other processes that
// lock the same file; unlockFile releases it.
func lockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }

func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
