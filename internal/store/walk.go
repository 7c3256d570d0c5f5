package store

import bolt "go.etcd.io/bbolt"

// eachIncident calls fn with every incident's bucket, in creation order or
// newest first: the one walk of the incidents bucket that every read of
// many incidents shares.
func eachIncident(tx *bolt.Tx, newestFirst bool, fn func(b *bolt.Bucket)) {
	root := tx.Bucket(bucketIncidents)
	if root == nil {
		return
	}
	c := root.Cursor()
	next, k, v := c.Next, []byte(nil), []byte(nil)
	if newestFirst {
		next = c.Prev
		k, v = c.Last()
	} else {
		k, v = c.First()
	}
	for ; k != nil; k, v = next() {
		if v == nil {
			fn(root.Bucket(k))
		}
	}
}
