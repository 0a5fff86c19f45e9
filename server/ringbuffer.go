package server

// ring keeps the last len(buf) bytes written to it: a terminal's recent
// output, replayed when a connection attaches again.
type ring struct {
	buf   []byte
	start int // index of the oldest byte
	n     int // bytes held
}

func newRing(size int) *ring { return &ring{buf: make([]byte, size)} }

// Write appends p, dropping the oldest bytes beyond the ring's size.
func (r *ring) Write(p []byte) {
	size := len(r.buf)
	if len(p) >= size {
		copy(r.buf, p[len(p)-size:])
		r.start, r.n = 0, size
		return
	}
	end := (r.start + r.n) % size
	k := copy(r.buf[end:], p)
	copy(r.buf, p[k:])
	r.n += len(p)
	if r.n > size {
		r.start = (r.start + r.n - size) % size
		r.n = size
	}
}

// Bytes returns a copy of the bytes held, oldest first.
func (r *ring) Bytes() []byte {
	out := make([]byte, r.n)
	k := copy(out, r.buf[r.start:min(r.start+r.n, len(r.buf))])
	copy(out[k:], r.buf[:r.n-k])
	return out
}
