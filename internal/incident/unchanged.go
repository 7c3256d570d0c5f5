package incident

import (
	"errors"
	"fmt"
)

// ErrUnchanged marks a command that would change nothing ("/sev 1" while
// SEV1): not a refusal of what was typed, a notice that it holds already.
var ErrUnchanged = errors.New("nothing to change")

// unchangedError says what holds already, and is ErrUnchanged.
type unchangedError struct{ msg string }

func (e unchangedError) Error() string        { return e.msg }
func (e unchangedError) Is(target error) bool { return target == ErrUnchanged }

// unchanged is fmt.Errorf for a command that changes nothing.
func unchanged(format string, args ...any) error {
	return unchangedError{msg: fmt.Sprintf(format, args...)}
}
