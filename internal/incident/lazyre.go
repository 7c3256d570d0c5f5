package incident

import (
	"regexp"
	"sync"
)

// lazyRE compiles its pattern on first use. The jargon check has dozens of
// patterns, and compiling them at package init would add most of a
// millisecond to every `warroom log` from a script, which never uses them.
type lazyRE struct {
	once sync.Once
	src  string
	re   *regexp.Regexp
}

func lazyRegexp(src string) *lazyRE { return &lazyRE{src: src} }

func (l *lazyRE) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

func (l *lazyRE) MatchString(s string) bool { return l.get().MatchString(s) }

func (l *lazyRE) FindAllString(s string, n int) []string { return l.get().FindAllString(s, n) }

func (l *lazyRE) FindAllStringIndex(s string, n int) [][]int {
	return l.get().FindAllStringIndex(s, n)
}

func (l *lazyRE) FindStringSubmatch(s string) []string { return l.get().FindStringSubmatch(s) }
