package tui

import (
	"testing"

	"github.com/warroom-cli/warroom/internal/tui/common"
)

// armQuestions lets every open question take answers, as QuestionGuard
// passing would (the tests skip timers): ids are numbered from 1 and only
// open ones are armed.
func armQuestions(m Model) Model {
	for id := 1; id <= 10000; id++ {
		m.ctx.ArmQuestion(id)
	}
	// Through Update, as the timer's message comes, so the next frame is
	// drawn anew.
	next, _ := m.Update(common.QuestionArmedMsg{})
	return next.(Model)
}

// answer presses k once the open question takes answers.
func answer(tb testing.TB, m Model, k string) Model {
	tb.Helper()
	return press(tb, armQuestions(m), k)
}
