package nsstate

import "reflect"

// Diff is what changed between two snapshots: namespaces and processes that
// are new or changed (each sent whole), and the ids of those that are gone.
// The live stream sends one whole snapshot, then Diffs.
type Diff struct {
	Version           int               `json:"version"`
	Host              map[NSType]string `json:"host,omitempty"`
	Namespaces        []Namespace       `json:"namespaces,omitempty"`
	RemovedNamespaces []string          `json:"removed_namespaces,omitempty"`
	Processes         []Process         `json:"processes,omitempty"`
	RemovedProcesses  []int             `json:"removed_processes,omitempty"`
	// Truncated is present when the snapshot's truncation changed: the new
	// one, or an empty Cut when the snapshot is whole again.
	Truncated *Truncation `json:"truncated,omitempty"`
}

// Empty reports whether the diff changes nothing.
func (d *Diff) Empty() bool {
	return d.Host == nil && len(d.Namespaces) == 0 && len(d.RemovedNamespaces) == 0 &&
		len(d.Processes) == 0 && len(d.RemovedProcesses) == 0 && d.Truncated == nil
}

// Compare returns the diff that turns old into new. A nil old counts as
// empty.
func Compare(old, new *Snapshot) Diff {
	d := Diff{Version: Version}
	if old == nil {
		old = &Snapshot{}
	}
	if !reflect.DeepEqual(old.Host, new.Host) {
		d.Host = new.Host
	}
	if !reflect.DeepEqual(old.Truncated, new.Truncated) {
		d.Truncated = new.Truncated
		if d.Truncated == nil {
			d.Truncated = &Truncation{Cut: []string{}}
		}
	}
	oldNS := make(map[string]*Namespace, len(old.Namespaces))
	for i := range old.Namespaces {
		oldNS[old.Namespaces[i].ID] = &old.Namespaces[i]
	}
	for i := range new.Namespaces {
		n := &new.Namespaces[i]
		if o, ok := oldNS[n.ID]; !ok || !reflect.DeepEqual(o, n) {
			d.Namespaces = append(d.Namespaces, *n)
		}
		delete(oldNS, n.ID)
	}
	for i := range old.Namespaces {
		if _, gone := oldNS[old.Namespaces[i].ID]; gone {
			d.RemovedNamespaces = append(d.RemovedNamespaces, old.Namespaces[i].ID)
		}
	}
	oldP := make(map[int]*Process, len(old.Processes))
	for i := range old.Processes {
		oldP[old.Processes[i].PID] = &old.Processes[i]
	}
	for i := range new.Processes {
		p := &new.Processes[i]
		if o, ok := oldP[p.PID]; !ok || !reflect.DeepEqual(o, p) {
			d.Processes = append(d.Processes, *p)
		}
		delete(oldP, p.PID)
	}
	for i := range old.Processes {
		if _, gone := oldP[old.Processes[i].PID]; gone {
			d.RemovedProcesses = append(d.RemovedProcesses, old.Processes[i].PID)
		}
	}
	return d
}

// Equal reports whether a and b hold the same state: Compare(a, b) would
// be empty. A stream uses it to skip work when nothing changed.
func Equal(a, b *Snapshot) bool {
	if a == b {
		return true
	}
	d := Compare(a, b)
	return d.Empty()
}

// Apply returns a new snapshot: s with d applied. s is not changed.
func (s *Snapshot) Apply(d Diff) *Snapshot {
	out := &Snapshot{Version: s.Version, Source: s.Source, Host: s.Host, Truncated: s.Truncated}
	if d.Host != nil {
		out.Host = d.Host
	}
	if d.Truncated != nil {
		out.Truncated = d.Truncated
		if len(d.Truncated.Cut) == 0 {
			out.Truncated = nil
		}
	}
	drop := make(map[string]bool, len(d.RemovedNamespaces)+len(d.Namespaces))
	for _, id := range d.RemovedNamespaces {
		drop[id] = true
	}
	for _, n := range d.Namespaces {
		drop[n.ID] = true
	}
	for _, n := range s.Namespaces {
		if !drop[n.ID] {
			out.Namespaces = append(out.Namespaces, n)
		}
	}
	out.Namespaces = append(out.Namespaces, d.Namespaces...)
	dropP := make(map[int]bool, len(d.RemovedProcesses)+len(d.Processes))
	for _, pid := range d.RemovedProcesses {
		dropP[pid] = true
	}
	for _, p := range d.Processes {
		dropP[p.PID] = true
	}
	for _, p := range s.Processes {
		if !dropP[p.PID] {
			out.Processes = append(out.Processes, p)
		}
	}
	out.Processes = append(out.Processes, d.Processes...)
	out.Sort()
	return out
}
