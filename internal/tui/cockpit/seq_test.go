package cockpit

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/warroom-cli/warroom/internal/incident"
)

// num is a test item: odd numbers weigh 1.
type num int

func (n num) weight() int32 { return int32(n & 1) }

func checkSeq(t *testing.T, step int, s seq[num], want []num) {
	t.Helper()
	if s.Len() != len(want) {
		t.Fatalf("step %d: len %d, want %d", step, s.Len(), len(want))
	}
	if got := slices.Collect(s.All()); !slices.Equal(got, want) {
		t.Fatalf("step %d: items differ", step)
	}
	back := slices.Collect(s.Backward())
	slices.Reverse(back)
	if !slices.Equal(back, want) {
		t.Fatalf("step %d: backward differs", step)
	}
	w := 0
	for i, x := range want {
		if s.At(i) != x {
			t.Fatalf("step %d: At(%d) = %d, want %d", step, i, s.At(i), x)
		}
		if got := s.WeightBefore(i); got != w {
			t.Fatalf("step %d: WeightBefore(%d) = %d, want %d", step, i, got, w)
		}
		if x.weight() == 1 {
			if got := s.IndexOfWeight(w); got != i {
				t.Fatalf("step %d: IndexOfWeight(%d) = %d, want %d", step, w, got, i)
			}
		}
		w += int(x.weight())
	}
	if s.Weight() != w || s.IndexOfWeight(w) != len(want) {
		t.Fatalf("step %d: weight %d (index %d), want %d", step, s.Weight(), s.IndexOfWeight(w), w)
	}
}

// TestSeqMatchesSlice: random appends, inserts, deletes and sets, applied
// to versions taken at random from the history (so that several versions
// append at one chunk's end and change chunks they share), read the same
// as plain slices given the same changes, and no change to one version
// shows in another.
func TestSeqMatchesSlice(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 3))
		type version struct {
			s    seq[num]
			want []num
		}
		hist := []version{{}}
		next := num(0)
		for step := range 400 {
			v := hist[r.IntN(len(hist))]
			if r.IntN(3) > 0 {
				v = hist[len(hist)-1]
			}
			s, want := v.s, slices.Clone(v.want)
			switch op := r.IntN(10); {
			case op < 5 || len(want) == 0:
				xs := make([]num, 1+r.IntN(3))
				if r.IntN(20) == 0 {
					xs = make([]num, 600)
				}
				for i := range xs {
					xs[i] = next
					next++
				}
				s, want = s.Append(xs...), append(want, xs...)
			case op < 7:
				i := r.IntN(len(want) + 1)
				s, want = s.Splice(i, i, next), slices.Insert(want, i, next)
				next++
			case op < 9:
				i := r.IntN(len(want))
				j := min(i+r.IntN(3), len(want))
				s, want = s.Splice(i, j), slices.Delete(want, i, j)
			default:
				i := r.IntN(len(want))
				s, want = s.Set(i, next), slices.Replace(want, i, i+1, next)
				next++
			}
			checkSeq(t, step, s, want)
			hist = append(hist, version{s, want})
		}
		for i, v := range hist {
			checkSeq(t, -i, v.s, v.want)
		}
	}
}

// TestSeqSearch finds the first item a rising predicate holds for.
func TestSeqSearch(t *testing.T) {
	var s seq[num]
	for i := range 2000 {
		s = s.Append(num(i * 2))
	}
	for _, x := range []int{-1, 0, 1, 511, 512, 3998, 3999, 5000} {
		want := sort0(x)
		if got := s.Search(func(n num) bool { return int(n) >= x }); got != want {
			t.Fatalf("search %d: %d, want %d", x, got, want)
		}
	}
}

func sort0(x int) int { return min(max((x+1)/2, 0), 2000) }

// TestSeqConcurrentAppends: versions appended to from many goroutines at
// once, all from one shared version, each keep exactly their own items
// (-race checks that no goroutine writes what another reads).
func TestSeqConcurrentAppends(t *testing.T) {
	base := seqOf([]num{1, 2, 3})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			s := base
			var want []num
			want = append(want, 1, 2, 3)
			for i := range 300 {
				x := num(g*1000 + i)
				s, want = s.Append(x), append(want, x)
				_ = s.At(s.Len() - 1)
			}
			if !slices.Equal(slices.Collect(s.All()), want) {
				t.Errorf("goroutine %d: items differ", g)
			}
		})
	}
	wg.Wait()
	if got := slices.Collect(base.All()); !slices.Equal(got, []num{1, 2, 3}) {
		t.Fatalf("the shared version changed: %v", got)
	}
}

// TestNewIDCostsWhatItAdds: holding a new entry by id on a long timeline
// appends one slot, not a copy of every id before it.
func TestNewIDCostsWhatItAdds(t *testing.T) {
	es := make([]incident.Entry, 20000)
	for i := range es {
		es[i] = incident.Entry{ID: int64(i + 1), At: time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second), Text: "x"}
	}
	td := BuildTimeline(&incident.Incident{Entries: es}, 0)
	e := incident.Entry{ID: 20001, At: es[len(es)-1].At.Add(time.Second), Text: "new"}
	allocs := testing.AllocsPerRun(20, func() { _ = td.ids.with(&e) })
	bytes := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = td.ids.with(&e)
		}
	}).AllocedBytesPerOp()
	if allocs > 8 || bytes > 16<<10 {
		t.Fatalf("holding one new id allocated %v times, %d bytes", allocs, bytes)
	}
	if got := td.ids.with(&e); got.refs.Len() != td.ids.refs.Len()+1 || got.get(20001) != &e {
		t.Fatal("the new id is not held")
	}
	// A tail holds only its own ids; an older one comes in before them.
	tail := BuildTimeline(&incident.Incident{Entries: es[19990:]}, 0)
	if n := tail.ids.refs.Len(); n != 10 {
		t.Fatalf("a tail of 10 entries holds %d ids", n)
	}
	old := es[5]
	x := tail.ids.with(&old)
	if x.get(old.ID) != &old || x.get(es[19995].ID) == nil || x.get(7) != nil {
		t.Fatal("an id before the tail is not held in its place")
	}
	// A damaged id far from the rest is not held by id, and costs
	// nothing in proportion to it; the others are.
	far := []incident.Entry{es[0], es[1], {ID: 1 << 40, At: es[1].At, Text: "far"}}
	d := BuildTimeline(&incident.Incident{Entries: far}, 0)
	if d.ids.refs.Len() > 2 || d.ids.get(1) == nil || d.ids.get(2) == nil || d.ids.get(1<<40) != nil || d.Entries() != 3 {
		t.Fatalf("ids with a damaged one: %d held", d.ids.refs.Len())
	}
}
