package incident

// CompareEntries orders two entries as SortEntries does (time, then the
// clock of the operation that added them, then uid or id), so that a screen
// can find an entry in a sorted timeline by binary search.
func CompareEntries(a, b *Entry) int { return entryOrder(*a, *b) }
