package incident

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The review meeting: the handbook shares the retro with the rest of the
// engineering teams in a meeting where they "question, critique and even
// offer suggestions". The presenter walks the retro section by section and
// the audience's questions and suggestions are kept as review comments,
// each with its author and the section it was about; the export lists them
// under "Review".

// ReviewComment is one question or suggestion from the review meeting.
type ReviewComment struct {
	UID     string    `json:"uid,omitzero"`
	At      time.Time `json:"at,omitzero"`
	Author  string    `json:"author,omitzero"`
	Section string    `json:"section,omitzero"`
	Text    string    `json:"text,omitzero"`
}

// AddReviewComment records a comment on section. Text is one line; an empty
// one is refused.
func AddReviewComment(r *Retro, section, text, author string, now time.Time, uid func() string) (ReviewComment, error) {
	text = strings.TrimSpace(CleanLine(text))
	if text == "" {
		return ReviewComment{}, errors.New("the comment is empty; type the question or suggestion, then enter")
	}
	if err := checkText("the comment", text, MaxTextBytes); err != nil {
		return ReviewComment{}, err
	}
	if err := CheckName("the author's name", author); err != nil {
		return ReviewComment{}, err
	}
	c := ReviewComment{UID: uid(), At: now.UTC(), Author: author, Section: section, Text: text}
	r.Review = append(r.Review, c)
	return c, nil
}

// DeleteReviewComment removes a comment; only its author may.
func DeleteReviewComment(r *Retro, uid, author string) error {
	for i, c := range r.Review {
		if c.UID != uid {
			continue
		}
		if c.Author != author {
			return fmt.Errorf("that comment is %s's; only its author can delete it", c.Author)
		}
		r.Review = append(r.Review[:i], r.Review[i+1:]...)
		return nil
	}
	return errors.New("that comment was deleted meanwhile")
}

// ReviewOn returns the comments on one section, in the order made.
func (r *Retro) ReviewOn(section string) []ReviewComment {
	var out []ReviewComment
	for _, c := range r.Review {
		if sameTitle(c.Section, section) {
			out = append(out, c)
		}
	}
	return out
}
