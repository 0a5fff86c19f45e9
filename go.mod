module github.com/nslab/nslab

go 1.26.0

require (
	github.com/a-h/templ v0.3.1100
	github.com/creack/pty v1.1.24
	github.com/gorilla/websocket v1.5.3
	golang.org/x/sys v0.50.0
)
