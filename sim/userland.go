package sim

// programs returns the simulated programs by name.
func programs() map[string]Program {
	return map[string]Program{
		"dash": shProgram(false),
		"bash": shProgram(true),
	}
}
