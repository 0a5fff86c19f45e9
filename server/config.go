package server

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/a-h/templ"

	"github.com/nslab/nslab/lesson"
	"github.com/nslab/nslab/nsstate"
	"github.com/nslab/nslab/web"
)

// Config is what a Server needs. Only Engine decides the mode; every other
// field has a working default (DefaultLimits, slog.Default, no pages).
type Config struct {
	// Engine makes live labs. Nil means simulated labs only: POST
	// /api/labs answers 503 and / leads to /sim.
	Engine Engine
	// NoEngineReason says why there is no engine, for the 503 message.
	NoEngineReason string

	Limits Limits

	// AllowOrigins lists origins ("https://course.example") whose pages
	// may open a lab's websocket besides the server's own.
	AllowOrigins []string
	// FrameAncestors is the CSP frame-ancestors value of the pages:
	// "'none'" (the default) or the origins allowed to embed them.
	FrameAncestors string
	// EmbedOrigins lists the origins whose pages may drive an embedded
	// lab page (?embed=1) with postMessage and get its events
	// (embed.go, docs/embedding.md). Each must pass CheckOrigin.
	EmbedOrigins []string

	Pages  Pages
	Static fs.FS // served under /static/; nil serves nothing there

	Logger *slog.Logger

	// Lessons are the lessons the server offers: POST /api/labs with
	// {"lesson": NAME} starts a lab with one, the landing page and the
	// simulator list them, GET /lessons/NAME.json serves them to the
	// simulator. Names are unique.
	Lessons []*lesson.Lesson

	// keepalive replaces the keepalive timings where set (tests).
	keepalive keepalive
	// checkTimeout replaces lesson.CheckTimeout where set (tests).
	checkTimeout time.Duration
	// recordingCap replaces recording.DefaultCap where set (tests).
	recordingCap int
}

// keepalive is how a websocket is kept alive and when it is given up on:
// a ping every ping, closed after read without a message or pong, a
// write may take write.
type keepalive struct{ ping, read, write time.Duration }

// Pages renders the HTML the server sends. The web package provides every
// one of them (see WebPages); a nil func answers 404 or, for Views, sends
// no views. Sim's wasmBytes is the size of the simulator's wasm among the
// static files (0 without one), the total its loading progress counts to.
type Pages struct {
	Landing func(lessons []web.LessonItem) templ.Component
	Lab     func(id string) templ.Component
	Sim     func(lessons []web.LessonItem, wasmBytes int64) templ.Component
	Views   func(s *nsstate.Snapshot, selected string) templ.Component
	// Audience is the page a viewer link opens (GET /watch/{id}).
	Audience func(id string) templ.Component
	// Replay is the replay page of recordings (docs/recording.md).
	Replay func() templ.Component
}

// Limits bound what clients may hold and for how long. Zero fields take
// the DefaultLimits value. A negative MaxLabs, MaxLabsPerClient or
// CreatesPerMinute means no limit; the counts per lab are always bounded.
type Limits struct {
	// MaxLabs is how many labs may run at once on the server.
	MaxLabs int
	// MaxLabsPerClient is how many labs one client address may hold.
	MaxLabsPerClient int
	// CreatesPerMinute is how many labs one client address may create per
	// minute (429 beyond it).
	CreatesPerMinute int
	// IdleTimeout ends a lab that no websocket watched and no request
	// used for that long (labs used through the API alone).
	IdleTimeout time.Duration
	// Grace ends a lab once its last websocket has been gone that long,
	// unless a connection or a request came back: a reload of the page
	// finds its lab, a closed tab frees it soon.
	Grace time.Duration
	// MaxLifetime ends every lab that old, used or not.
	MaxLifetime time.Duration
	// MaxConnsPerLab is how many websockets may watch one lab at once.
	MaxConnsPerLab int
	// MaxExecsPerLab is how many exec requests may run in one lab at once.
	MaxExecsPerLab int
	// MaxFollowersPerLab is how many read-only followers (audience.go)
	// may follow one lab at once.
	MaxFollowersPerLab int
	// ExecTimeout ends an exec's shell after that long.
	ExecTimeout time.Duration
	// MaxConns is how many HTTP connections (websockets not counted once
	// upgraded) the server holds open at once; MaxConnsPerClient how
	// many of them one client address may hold. Beyond them a new
	// connection gets 503 and is closed. Negative: no limit.
	MaxConns, MaxConnsPerClient int
}

// DefaultLimits are the limits of `nslab serve` without flags: sized for a
// small machine serving a class.
var DefaultLimits = Limits{
	MaxLabs:          20,
	MaxLabsPerClient: 3,
	CreatesPerMinute: 10,
	IdleTimeout:      10 * time.Minute,
	Grace:            60 * time.Second,
	MaxLifetime:      2 * time.Hour,
	MaxConnsPerLab:   4,
	MaxExecsPerLab:   4,
	// A lecture hall; the speaker's echo stays under 10 ms well past
	// it (docs/BENCHMARKS.md).
	MaxFollowersPerLab: 256,
	ExecTimeout:        10 * time.Second,
	// A browser opens about six connections to a server; a script
	// polling a few labs a few more.
	MaxConns:          512,
	MaxConnsPerClient: 32,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&l.MaxLabs, d.MaxLabs)
	setInt(&l.MaxLabsPerClient, d.MaxLabsPerClient)
	setInt(&l.CreatesPerMinute, d.CreatesPerMinute)
	setInt(&l.MaxConns, d.MaxConns)
	setInt(&l.MaxConnsPerClient, d.MaxConnsPerClient)
	// Connections and execs per lab are always bounded.
	if l.MaxConnsPerLab <= 0 {
		l.MaxConnsPerLab = d.MaxConnsPerLab
	}
	if l.MaxExecsPerLab <= 0 {
		l.MaxExecsPerLab = d.MaxExecsPerLab
	}
	if l.MaxFollowersPerLab <= 0 {
		l.MaxFollowersPerLab = d.MaxFollowersPerLab
	}
	setDur(&l.IdleTimeout, d.IdleTimeout)
	setDur(&l.Grace, d.Grace)
	setDur(&l.MaxLifetime, d.MaxLifetime)
	setDur(&l.ExecTimeout, d.ExecTimeout)
	return l
}

// Sizes and times that are not configurable: changing them changes what
// clients may rely on (docs/protocol.md lists them, with the message
// limits of package protocol).
const (
	// wsReadLimit is where the websocket library itself gives up on a
	// message; up to it a client that sends more than protocol.MaxFrame
	// gets a readable error.
	wsReadLimit = 1 << 20
	// maxInputQueue bounds the keyboard input a terminal holds that its
	// shell has not read yet.
	maxInputQueue = 1 << 20
	// maxExecBody bounds an exec request's body, maxCmd its command;
	// maxCreateBody the body of POST /api/labs, which needs none.
	maxExecBody   = 64 << 10
	maxCreateBody = 1 << 10
	maxCmd        = 32 << 10
	// execOutputCap bounds each of an exec's stdout and stderr.
	execOutputCap = 1 << 20
	// execDrain is how long an exec's output is still read after its shell
	// ended: background children keep the pipes open and must not hold
	// the request.
	execDrain = 200 * time.Millisecond

	// Flow control per terminal (flowcontrol.go).
	highWater = 128 << 10
	lowWater  = 16 << 10
	readChunk = 16 << 10
	ringSize  = 64 << 10

	// startTimeout bounds starting a process in a lab (a shell, an
	// exec's sh); the engine kills what starts later.
	startTimeout = 10 * time.Second

	// readHeaderTimeout is how long a client may take to send a
	// request's headers (slowloris: a trickle does not extend it).
	readHeaderTimeout = 10 * time.Second

	// Keepalive and slow clients (the defaults of Server.keepalive).
	pingEvery    = 25 * time.Second
	readTimeout  = 60 * time.Second
	writeTimeout = 10 * time.Second
	closeWait    = 2 * time.Second

	// A watched lab is snapshotted every stateEvery while in use (for
	// stateActive after the last terminal input or output, or exec), and
	// every stateIdle otherwise.
	stateEvery  = 150 * time.Millisecond
	stateActive = 2 * time.Second
	stateIdle   = time.Second

	// retryAfter is the Retry-After of a 503 when the server is full.
	retryAfter = 30
)
