//go:build !unix

package sync

// lockRepo is a no-op where flock(2) does not exist: two syncs started at
// once in one repository are then only kept apart by git's own locks.
func lockRepo(string) (func(), error) { return func() {}, nil }
