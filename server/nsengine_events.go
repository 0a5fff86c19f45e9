//go:build linux

package server

// Changes and EventsCover make a live lab a changeSource.
func (ll liveLab) Changes() <-chan struct{} { return ll.l.Changes() }
func (ll liveLab) EventsCover() bool        { return ll.l.EventsCover() }
