//go:build linux

package server

// Changes, EventsCover and Follow make a live lab a changeSource.
func (ll liveLab) Changes() <-chan struct{} { return ll.l.Changes() }
func (ll liveLab) EventsCover() bool        { return ll.l.EventsCover() }
func (ll liveLab) Follow() (stop func())    { return ll.l.Follow() }
