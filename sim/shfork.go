package sim

// forkFailed ends the shell when fork(2) fails (ENOMEM in a PID namespace
// whose init has died, EAGAIN at the process limit), in each shell's
// words: dash's sh_error "Cannot fork" (status 2); bash's
// sys_error("fork"), the errno's text with no line number, and status 254
// from throw_to_top_level.
func (s *shell) forkFailed(err error) {
	if !s.bash {
		s.fatal("Cannot fork")
	}
	s.t.Write(2, []byte(s.name+": fork: "+err.Error()+"\n"))
	if !s.interactive {
		panic(exitPanic{status: 254})
	}
	panic(shellAbort{})
}

// forkBackground forks for an asynchronous list (cmd &). dash reports a
// failure there at line 0: the error is raised with no command's line
// number set.
func (s *shell) forkBackground() *Task {
	c, err := s.k.fork(s.t)
	if err != nil {
		if !s.bash {
			s.line = 0
		}
		s.forkFailed(err)
	}
	return c
}
