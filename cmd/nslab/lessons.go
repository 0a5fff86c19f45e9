package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nslab/nslab/lesson"
)

func init() {
	register("lessons", "list, check or solve lessons (list, check DIR, solve NAME)", lessonsCmd)
}

const lessonsUsage = `usage:
  nslab lessons list [--lessons DIR]               one lesson name a line
  nslab lessons check DIR                          check a folder of lessons, or one lesson
  nslab lessons solve [--sim] [--lessons DIR] NAME run a lesson end to end in a fresh lab

Lessons are folders in Killercoda's scenario layout (docs/lessons.md).
`

// lessonsCmd is `nslab lessons SUBCOMMAND`.
func lessonsCmd(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, lessonsUsage)
		return 2
	}
	switch args[0] {
	case "list":
		return lessonsList(args[1:])
	case "check":
		return lessonsCheck(args[1:])
	case "solve":
		return lessonsSolve(args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(os.Stdout, lessonsUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "nslab lessons: unknown subcommand %q\n\n%s", args[0], lessonsUsage)
	return 2
}

func lessonsErrorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "nslab lessons: %s\n", fmt.Sprintf(format, args...))
}

// loadCourse reads the lessons of DIR (a folder of lessons, or one lesson
// folder). Problems name files as paths a shell in the caller's folder
// can open.
func loadCourse(dir string) ([]*lesson.Lesson, []string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", dir, err)}
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, []string{err.Error()}
	}
	if !fi.IsDir() {
		return nil, []string{dir + ": not a folder"}
	}
	root := dir // problems name files under root
	if _, err := os.Stat(filepath.Join(abs, "index.json")); err == nil {
		root = filepath.Dir(dir)
	}
	ls, ps := lesson.LoadAll(os.DirFS(abs), filepath.Base(abs))
	var msgs []string
	for _, p := range ps {
		p.File = filepath.Join(root, filepath.FromSlash(p.File))
		msgs = append(msgs, p.String())
	}
	return ls, msgs
}

// allLessons returns the built-in lessons and, with dir, a course's own
// after them. A course lesson may not take a built-in lesson's name.
func allLessons(dir string) ([]*lesson.Lesson, []string) {
	ls, err := lesson.Builtin()
	var msgs []string
	if err != nil {
		msgs = append(msgs, "built-in lessons: "+err.Error())
	}
	if dir == "" {
		return ls, msgs
	}
	builtin := map[string]bool{}
	for _, l := range ls {
		builtin[l.Name] = true
	}
	course, cm := loadCourse(dir)
	msgs = append(msgs, cm...)
	for _, l := range course {
		if builtin[l.Name] {
			msgs = append(msgs, fmt.Sprintf("%s: a built-in lesson has this name; rename the folder", filepath.Join(dir, l.Name)))
			continue
		}
		ls = append(ls, l)
	}
	return ls, msgs
}

// lessonsList is `nslab lessons list [--lessons DIR]`.
func lessonsList(args []string) int {
	fs := flag.NewFlagSet("lessons list", flag.ContinueOnError)
	dir := fs.String("lessons", "", "add the lessons of `DIR` (a folder of lesson folders) to the built-in ones")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		lessonsErrorf("list takes no arguments (did you mean --lessons %s?)", fs.Arg(0))
		return 2
	}
	ls, msgs := allLessons(*dir)
	for _, l := range ls {
		fmt.Println(l.Name)
	}
	for _, m := range msgs {
		fmt.Fprintln(os.Stderr, m)
	}
	if len(msgs) > 0 {
		return 1
	}
	return 0
}

// lessonsCheck is `nslab lessons check DIR`: every problem on stderr as
// FILE:LINE: PROBLEM, what nslab ignores as notes, status 0 when valid.
func lessonsCheck(args []string) int {
	fs := flag.NewFlagSet("lessons check", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		lessonsErrorf("check needs one folder: nslab lessons check DIR")
		return 2
	}
	dir := fs.Arg(0)
	ls, msgs := loadCourse(dir)
	root := dir
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err == nil {
		root = filepath.Dir(dir)
	}
	bash, bashErr := exec.LookPath("bash")
	for _, l := range ls {
		var lp []string
		for _, p := range lesson.LabFit(l) {
			lp = append(lp, filepath.Join(root, l.Name, p.String()))
		}
		for _, s := range l.Scripts() {
			if bashErr != nil {
				lessonsErrorf("cannot check the scripts' syntax: bash is not installed")
				return 1
			}
			for _, p := range bashSyntax(bash, s) {
				lp = append(lp, filepath.Join(root, l.Name, p.String()))
			}
		}
		msgs = append(msgs, lp...)
		if len(lp) == 0 {
			fmt.Printf("ok %s: %d steps\n", l.Name, len(l.Steps))
		}
		for _, n := range l.Ignored {
			fmt.Printf("note %s: index.json: %s\n", l.Name, n)
		}
	}
	for _, m := range msgs {
		fmt.Fprintln(os.Stderr, m)
	}
	if len(msgs) > 0 {
		return 1
	}
	return 0
}

var bashLine = regexp.MustCompile(`line (\d+): (.*)`)

// bashSyntax reads a script as bash would without running it (bash -n),
// as Killercoda runs every script with bash whatever its file mode.
func bashSyntax(bash string, s lesson.Script) []lesson.Problem {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-n")
	cmd.Stdin = strings.NewReader(s.Body)
	var out bytes.Buffer
	cmd.Stderr = &out
	err := cmd.Run()
	if err == nil {
		return nil
	}
	var ps []lesson.Problem
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if m := bashLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			ps = append(ps, lesson.Problem{File: s.File, Line: n, Msg: "bash: " + m[2]})
		}
	}
	if len(ps) == 0 {
		ps = append(ps, lesson.Problem{File: s.File, Msg: fmt.Sprintf("bash -n: %v: %s", err, strings.TrimSpace(out.String()))})
	}
	return ps
}

// limitedBuffer keeps the first n bytes written to it and counts the rest.
type limitedBuffer struct {
	buf     bytes.Buffer
	n       int
	dropped int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	room := b.n - b.buf.Len()
	if room < len(p) {
		b.dropped += len(p) - max(room, 0)
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) String() string {
	if b.dropped > 0 {
		return b.buf.String() + fmt.Sprintf("\n[%d more bytes dropped]", b.dropped)
	}
	return b.buf.String()
}

var _ io.Writer = (*limitedBuffer)(nil)
