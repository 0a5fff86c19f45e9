package lesson

// The lesson as a page needs it, rendered: what the server sends to a
// live lab's page and what `nslab export` writes beside the simulator, so
// that the page in the browser needs no Markdown library and no fs.FS.

// Rendered is a lesson in the form a page shows it.
type Rendered struct {
	Name        string          `json:"name"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Intro       *RenderedPart   `json:"intro,omitempty"`
	Steps       []*RenderedPart `json:"steps"`
	Finish      *RenderedPart   `json:"finish,omitempty"`
}

// RenderedPart is the intro, a step or the finish page. Scripts are
// included for the simulator, which runs them in the browser; they are no
// secret (a learner can read a lab's files anyway).
type RenderedPart struct {
	Title      string      `json:"title,omitempty"`
	HTML       string      `json:"html"`
	Commands   []Command   `json:"commands,omitempty"`
	View       string      `json:"view,omitempty"`
	Highlight  []Highlight `json:"highlight,omitempty"`
	Verify     string      `json:"verify,omitempty"`
	Solve      string      `json:"solve,omitempty"`
	Background string      `json:"background,omitempty"`
	Foreground string      `json:"foreground,omitempty"`
}

// Render returns l as a page shows it.
func (l *Lesson) Render() *Rendered {
	r := &Rendered{Name: l.Name, Title: l.Title, Description: l.Description}
	part := func(p *Part) *RenderedPart {
		if p == nil {
			return nil
		}
		rp := &RenderedPart{Title: p.Title, Verify: p.Verify.Body, Solve: p.Solve.Body, Background: p.Background.Body, Foreground: p.Foreground.Body}
		if p.Text != nil {
			rp.HTML, rp.Commands, rp.View, rp.Highlight = p.Text.HTML, p.Text.Commands, p.Text.View, p.Text.Highlight
		}
		return rp
	}
	r.Intro, r.Finish = part(l.Intro), part(l.Finish)
	for _, s := range l.Steps {
		r.Steps = append(r.Steps, part(s))
	}
	return r
}
