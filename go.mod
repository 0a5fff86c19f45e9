module github.com/nslab/nslab

go 1.26.0

require github.com/a-h/templ v0.3.1100

require (
	github.com/creack/pty v1.1.24 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
