package web

// shortcut is one of the lab page's keyboard shortcuts as the "?" overlay
// lists it. The overlay is the keymap: assets/js/presenter.js binds
// exactly the keys listed here to their actions, so the list cannot drift
// from what the keys do.
type shortcut struct {
	// Keys are KeyboardEvent.key values that trigger Action; the first
	// is the one shown.
	Keys   []string
	Action string // what presenter.js does: "presenter", "view:pids", …
	Label  string
}

// shortcuts are the page's keys. They are single keys without a
// modifier, taken only while neither a terminal nor a text field has the
// keyboard (presenter.js checks): any key a terminal receives belongs to
// the shell. A modifier would not make them safe either: Ctrl+Shift
// letters are the browser's (Firefox opens a private window on
// Ctrl+Shift+P), Alt+Shift switches the keyboard layout on Windows, and
// Ctrl+Alt is AltGr, which types characters on many layouts.
var shortcuts = []shortcut{
	{Keys: []string{"p"}, Action: "presenter", Label: "presenter mode on or off"},
	{Keys: []string{"1"}, Action: "view:pids", Label: "show the PIDs view"},
	{Keys: []string{"2"}, Action: "view:users", Label: "show the users view"},
	{Keys: []string{"3"}, Action: "view:mounts", Label: "show the mounts view"},
	{Keys: []string{"4"}, Action: "view:map", Label: "show the namespaces view"},
	{Keys: []string{"f"}, Action: "freeze", Label: "freeze the views, or unfreeze them to show the latest"},
	{Keys: []string{"b"}, Action: "blank", Label: "blank the views, or show them again"},
	{Keys: []string{"l"}, Action: "lesson", Label: "show or hide the lesson in presenter mode"},
	{Keys: []string{"+", "="}, Action: "bigger", Label: "larger text in presenter mode"},
	{Keys: []string{"-"}, Action: "smaller", Label: "smaller text in presenter mode"},
	{Keys: []string{"t"}, Action: "terminal", Label: "back to the terminal (keys then go to the shell)"},
	{Keys: []string{"?"}, Action: "help", Label: "this list"},
}

// presenterViews are the views presenter mode can show alone, in the
// order of the buttons, with the names lesson steps use (view=NAME).
var presenterViews = []struct{ Name, Label string }{
	{"pids", "PIDs"},
	{"users", "Users"},
	{"mounts", "Mounts"},
	{"map", "Namespaces"},
}
