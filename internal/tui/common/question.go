package common

import (
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Every yes/no question of the program (publish despite jargon, replace a
// hand-written draft, delete an entry, a why, an action or a factor, discard
// a form, run the commands of a paste) is answered through a Question, so
// they all follow one rule: a question only takes an answer typed after it
// was shown. A lead typing fast or over a laggy link sends keys in bursts;
// the letters that follow the line which raised a question were typed
// before anyone could read it ("/publish⏎yesterday's deploy…" must not
// publish on the y of "yesterday"). So a question is deaf until
// QuestionGuard has passed since it was asked: Bubble Tea delivers messages
// in the order they came, and the keys of a burst are all read before the
// guard's timer fires. Until then, and afterwards for any key that is not
// an answer, Answer reports NotAnswer and the caller hands the key on (the
// cockpit to the capture line, as text) or ignores it.

// QuestionGuard is how long a question ignores keys after it was asked:
// longer than a burst from a paste, a send-keys or a laggy SSH link takes
// to arrive, shorter than anyone reads a question and decides.
const QuestionGuard = 300 * time.Millisecond

// QuestionArmedMsg tells the root that the question ID has been on screen
// for QuestionGuard and may now be answered.
type QuestionArmedMsg struct{ ID int }

// Answer is what a key means to an open question.
type Answer int

const (
	// NotAnswer: no question is open, the key came too early, or it is
	// not one of the answers.
	NotAnswer Answer = iota
	// Yes: y or enter, the highlighted choice.
	Yes
	// No: n or esc.
	No
)

// Question is one open yes/no question; the zero value is none. Components
// keep one as a value and ask through it.
type Question struct{ id int }

// questions numbers the questions a program asks and knows which of them
// are armed. It lives in the Context, shared by every copy of the models.
type questions struct {
	mu   sync.Mutex
	next int
	// open holds the questions asked and not closed, armed those of them
	// past their guard.
	open, armed map[int]bool
}

// Ask opens the question and returns the command that arms it after the
// guard. Asking again while open starts a new guard: the new question
// (publish asked a second time) was not read either.
func (q *Question) Ask(ctx *Context) tea.Cmd {
	ctx.questions.mu.Lock()
	if q.id != 0 {
		delete(ctx.questions.armed, q.id)
		delete(ctx.questions.open, q.id)
	}
	ctx.questions.next++
	id := ctx.questions.next
	if ctx.questions.open == nil {
		ctx.questions.open = map[int]bool{}
	}
	ctx.questions.open[id] = true
	ctx.questions.mu.Unlock()
	q.id = id
	return tea.Tick(QuestionGuard, func(time.Time) tea.Msg { return QuestionArmedMsg{ID: id} })
}

// Open reports whether the question is waiting for an answer.
func (q Question) Open() bool { return q.id != 0 }

// Armed reports whether an answer would be taken now.
func (q Question) Armed(ctx *Context) bool {
	if q.id == 0 {
		return false
	}
	ctx.questions.mu.Lock()
	defer ctx.questions.mu.Unlock()
	return ctx.questions.armed[q.id]
}

// Close ends the question, answered or dropped.
func (q *Question) Close(ctx *Context) {
	if q.id == 0 {
		return
	}
	ctx.questions.mu.Lock()
	delete(ctx.questions.armed, q.id)
	delete(ctx.questions.open, q.id)
	ctx.questions.mu.Unlock()
	q.id = 0
}

// Answer tells what km means to the question: Yes for y (or the yes
// binding's other keys) and enter, No for n and esc, NotAnswer for any
// other key, for a paste or a run of several letters (text, never an
// answer), and for every key before the question is armed. It does not
// close the question.
func (q Question) Answer(ctx *Context, km tea.KeyMsg, yes, no key.Binding) Answer {
	if !q.Armed(ctx) || km.Paste || (km.Type == tea.KeyRunes && len(km.Runes) != 1) {
		return NotAnswer
	}
	switch {
	case key.Matches(km, yes) || km.Type == tea.KeyEnter || km.String() == "y":
		return Yes
	case key.Matches(km, no) || km.Type == tea.KeyEscape || km.String() == "n":
		return No
	}
	return NotAnswer
}

// ArmQuestion marks the question id as answerable (the root calls it on
// QuestionArmedMsg). A question closed meanwhile is not armed again.
func (c *Context) ArmQuestion(id int) {
	c.questions.mu.Lock()
	defer c.questions.mu.Unlock()
	if !c.questions.open[id] {
		return
	}
	if c.questions.armed == nil {
		c.questions.armed = map[int]bool{}
	}
	c.questions.armed[id] = true
}

// Answers is the question's answers as shown, e.g. " y/enter deletes ·
// n/esc keeps it", once they are taken; until then the question shows
// without them, so nobody (nor any test) answers before it listens.
func (q Question) Answers(ctx *Context, answers string) string {
	if !q.Armed(ctx) {
		return ""
	}
	return answers
}
