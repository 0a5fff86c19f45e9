//go:build linux

package nsengine

import (
	"context"
	"sync"
	"time"
)

// A warm pool keeps Config.Warm labs spawned and set up ahead of demand,
// so Spawn hands one out at once and a new one is made behind it. Making a
// lab costs a few milliseconds (namespaces, init's Go runtime, the mounts);
// a visitor should not wait for that.
type warmPool struct {
	ready chan *Lab
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// warmRetry is how long the pool waits after a failed spawn.
const warmRetry = time.Second

// warmRefillDelay holds the refill back for a moment after a lab is taken:
// the taken lab's first processes start then, and a spawn beside them on
// the same cores would slow them down.
const warmRefillDelay = 50 * time.Millisecond

func (e *Engine) startWarmPool(n int) {
	p := &warmPool{
		ready: make(chan *Lab, n),
		kick:  make(chan struct{}, 1),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	e.warm = p
	go e.fillWarmPool(p)
}

// fillWarmPool is the pool's one filler; it alone sends on ready, so a
// send never blocks.
func (e *Engine) fillWarmPool(p *warmPool) {
	defer close(p.done)
	for {
		for len(p.ready) < cap(p.ready) {
			select {
			case <-p.stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
			l, err := e.spawn(ctx)
			cancel()
			if err != nil {
				e.log.Warn("warm pool: spawn lab", "err", err)
				select {
				case <-p.stop:
					return
				case <-time.After(warmRetry):
				}
				continue
			}
			p.ready <- l
		}
		select {
		case <-p.stop:
			return
		case <-p.kick:
		}
		select {
		case <-p.stop:
			return
		case <-time.After(warmRefillDelay):
		}
	}
}

// take returns a ready lab from the pool, or nil if it is empty.
func (p *warmPool) take() *Lab {
	defer func() {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}()
	for {
		select {
		case l := <-p.ready:
			select {
			case <-l.Done(): // died while waiting (killed from outside)
				continue
			default:
				return l
			}
		default:
			return nil
		}
	}
}

// close stops the filler and ends the labs it holds.
func (p *warmPool) close() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
	for {
		select {
		case l := <-p.ready:
			l.Close()
		default:
			return
		}
	}
}
