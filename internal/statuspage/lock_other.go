//go:build !unix

package statuspage

// lockDir is a no-op where flock(2) does not exist: writers in different
// processes are then kept apart only by each file's atomic rename.
func lockDir(string) func() { return func() {} }
