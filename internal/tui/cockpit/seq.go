package cockpit

import (
	"iter"
	"sort"
	"sync/atomic"
)

// A persistent sequence: the timeline's rows and its entries by id are
// kept in chunks that are never written once another holder can read
// them. A change copies the chunk it touches and the small table of
// chunks, and returns a new sequence; every other chunk is shared with
// the sequence changed. That is what lets every session of one
// `warroom serve` hold the same copy of a 100,000-entry timeline and
// each move on with its own changes (a filter, a line of its own) for
// the cost of what changed, and what lets a timeline be read by another
// goroutine (a render, the preview) while the screen takes the next
// change.
//
// Appending is the common change (someone logged a line): the last
// chunk is allocated with room to grow, and the first sequence to append
// at its end claims the room (an atomic compare-and-swap on what was
// written) and writes in place; any other sequence appending at that end
// later finds it claimed and copies the chunk. A reader of an older
// sequence never reads past its own length, so what is written after it
// is never read by it.

// chunkSize is how many items a chunk holds: a change copies about this
// many, and the table of chunks (copied too) is length/chunkSize long.
const chunkSize = 256

// weighed items count towards the sequence's weight: the timeline's rows
// weigh 1 when they are an entry's row, so that the n-th entry is found
// among the rows without a second index.
type weighed interface{ weight() int32 }

type chunk[T weighed] struct {
	// items has its full capacity as length; a sequence reads only as
	// many as it holds of this chunk.
	items []T
	// claimed is how many items are written: a sequence whose last
	// chunk ends there may append in place.
	claimed atomic.Int32
}

func newChunk[T weighed](items []T, room int) *chunk[T] {
	c := &chunk[T]{items: make([]T, max(len(items), room))}
	copy(c.items, items)
	c.claimed.Store(int32(len(items)))
	return c
}

// seq is an immutable sequence of items; the zero value is empty.
type seq[T weighed] struct {
	chunks []*chunk[T]
	// ends and wends are the count and the weight of the items up to and
	// including each chunk.
	ends, wends []int32
}

// seqOf is a sequence holding items (copied).
func seqOf[T weighed](items []T) seq[T] {
	var s seq[T]
	return s.Append(items...)
}

// Len is the number of items.
func (s seq[T]) Len() int {
	if len(s.ends) == 0 {
		return 0
	}
	return int(s.ends[len(s.ends)-1])
}

// Weight is the weight of every item.
func (s seq[T]) Weight() int {
	if len(s.wends) == 0 {
		return 0
	}
	return int(s.wends[len(s.wends)-1])
}

func (s seq[T]) start(k int) int {
	if k == 0 {
		return 0
	}
	return int(s.ends[k-1])
}

// chunkLen is how many items of chunk k the sequence holds.
func (s seq[T]) chunkLen(k int) int { return int(s.ends[k]) - s.start(k) }

// locate finds item i: its chunk and its place in it.
func (s seq[T]) locate(i int) (k, j int) {
	k = sort.Search(len(s.ends), func(k int) bool { return int(s.ends[k]) > i })
	return k, i - s.start(k)
}

// At is item i.
func (s seq[T]) At(i int) T {
	k, j := s.locate(i)
	return s.chunks[k].items[j]
}

// Search is the first i at which f is true, f being false and then true
// along the sequence (as sort.Search), or Len when it never is.
func (s seq[T]) Search(f func(T) bool) int {
	k := sort.Search(len(s.chunks), func(k int) bool { return f(s.chunks[k].items[s.chunkLen(k)-1]) })
	if k == len(s.chunks) {
		return s.Len()
	}
	items := s.chunks[k].items[:s.chunkLen(k)]
	return s.start(k) + sort.Search(len(items), func(j int) bool { return f(items[j]) })
}

// WeightBefore is the weight of the items before i.
func (s seq[T]) WeightBefore(i int) int {
	if i >= s.Len() {
		return s.Weight()
	}
	k, j := s.locate(i)
	w := 0
	if k > 0 {
		w = int(s.wends[k-1])
	}
	for _, it := range s.chunks[k].items[:j] {
		w += int(it.weight())
	}
	return w
}

// IndexOfWeight is the index of the item that brings the weight from w to
// w+1: the (w+1)-th item of weight 1. It is Len when there is none.
func (s seq[T]) IndexOfWeight(w int) int {
	k := sort.Search(len(s.wends), func(k int) bool { return int(s.wends[k]) > w })
	if k == len(s.wends) {
		return s.Len()
	}
	if k > 0 {
		w -= int(s.wends[k-1])
	}
	for j, it := range s.chunks[k].items[:s.chunkLen(k)] {
		if w -= int(it.weight()); w < 0 {
			return s.start(k) + j
		}
	}
	return s.Len()
}

// All yields the items in order.
func (s seq[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for k, c := range s.chunks {
			for _, it := range c.items[:s.chunkLen(k)] {
				if !yield(it) {
					return
				}
			}
		}
	}
}

// Backward yields the items from the last.
func (s seq[T]) Backward() iter.Seq[T] {
	return func(yield func(T) bool) {
		for k := len(s.chunks) - 1; k >= 0; k-- {
			items := s.chunks[k].items[:s.chunkLen(k)]
			for j := len(items) - 1; j >= 0; j-- {
				if !yield(items[j]) {
					return
				}
			}
		}
	}
}

// Append is the sequence with xs after its items.
func (s seq[T]) Append(xs ...T) seq[T] {
	if len(xs) == 0 {
		return s
	}
	n := len(s.chunks)
	if n > 0 {
		last := s.chunks[n-1]
		l := s.chunkLen(n - 1)
		if l+len(xs) <= len(last.items) && last.claimed.CompareAndSwap(int32(l), int32(l+len(xs))) {
			copy(last.items[l:], xs)
			out := seq[T]{chunks: s.chunks[:n:n], ends: cloneInts(s.ends), wends: cloneInts(s.wends)}
			out.ends[n-1] += int32(len(xs))
			out.wends[n-1] += weightOf(xs)
			return out
		}
		// Claimed by another sequence (or full): this one's last chunk
		// is copied with the new items.
		merged := make([]T, 0, l+len(xs))
		merged = append(append(merged, last.items[:l]...), xs...)
		return s.replaceChunks(n-1, n, merged, true)
	}
	return s.replaceChunks(0, 0, xs, true)
}

// Splice is the sequence with items [i0, i1) replaced by xs.
func (s seq[T]) Splice(i0, i1 int, xs ...T) seq[T] {
	n := s.Len()
	if i0 == n && i1 == n {
		return s.Append(xs...)
	}
	k0, j0 := s.locate(i0)
	k1, j1 := k0, j0
	if i1 > i0 {
		k1, j1 = s.locate(i1 - 1)
		j1++
	}
	first, last := s.chunks[k0].items[:s.chunkLen(k0)], s.chunks[k1].items[:s.chunkLen(k1)]
	merged := make([]T, 0, j0+len(xs)+len(last)-j1)
	merged = append(append(append(merged, first[:j0]...), xs...), last[j1:]...)
	return s.replaceChunks(k0, k1+1, merged, k1 == len(s.chunks)-1)
}

// Set is the sequence with item i replaced by x.
func (s seq[T]) Set(i int, x T) seq[T] { return s.Splice(i, i+1, x) }

// replaceChunks is the sequence with chunks [k0, k1) replaced by chunks
// holding items; tail says they end the sequence, so the last is given
// room to grow.
func (s seq[T]) replaceChunks(k0, k1 int, items []T, tail bool) seq[T] {
	var fresh []*chunk[T]
	for len(items) > 0 {
		// Chunks of chunkSize, the last one of what is left up to twice
		// that, so that a chunk growing by one is not split in two
		// slivers.
		take := len(items)
		if take > 2*chunkSize {
			take = chunkSize
		}
		room := 0
		if tail && take == len(items) {
			room = take + chunkSize/4
		}
		fresh = append(fresh, newChunk(items[:take], room))
		items = items[take:]
	}
	out := seq[T]{chunks: make([]*chunk[T], 0, len(s.chunks)-(k1-k0)+len(fresh))}
	out.chunks = append(append(append(out.chunks, s.chunks[:k0]...), fresh...), s.chunks[k1:]...)
	out.ends = make([]int32, len(out.chunks))
	out.wends = make([]int32, len(out.chunks))
	copy(out.ends, s.ends[:k0])
	copy(out.wends, s.wends[:k0])
	end, wend := int32(0), int32(0)
	if k0 > 0 {
		end, wend = s.ends[k0-1], s.wends[k0-1]
	}
	for k := k0; k < len(out.chunks); k++ {
		var l int
		var w int32
		if k < k0+len(fresh) {
			l = int(out.chunks[k].claimed.Load())
			w = weightOf(out.chunks[k].items[:l])
		} else {
			old := k - len(fresh) + (k1 - k0)
			l = s.chunkLen(old)
			w = s.wends[old]
			if old > 0 {
				w -= s.wends[old-1]
			}
		}
		end += int32(l)
		wend += w
		out.ends[k], out.wends[k] = end, wend
	}
	return out
}

func weightOf[T weighed](xs []T) int32 {
	var w int32
	for _, x := range xs {
		w += x.weight()
	}
	return w
}

func cloneInts(xs []int32) []int32 { return append(make([]int32, 0, len(xs)), xs...) }
