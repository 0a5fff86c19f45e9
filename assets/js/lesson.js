// The lesson panel's behaviour. The panel arrives rendered (a "lesson"
// message: package web's LessonPanel, from the server or the simulator);
// "progress" messages tick its steps. This module only wires clicks and
// flips attributes: what a step says and when it is done is decided
// elsewhere.

/**
 * Lesson wires the panel in pane. run(text, interrupt) types an {{exec}}
 * block into the learner's terminal.
 */
export class Lesson {
  constructor(pane, run) {
    this.pane = pane;
    this.run = run;
    this.panel = null;
    pane.addEventListener("click", (ev) => this.click(ev));
  }

  /** show puts a "lesson" message's panel in place (again, after a reconnect). */
  show(msg) {
    this.pane.innerHTML = msg.html;
    this.pane.hidden = false;
    this.panel = this.pane.querySelector("[data-lesson]");
    for (const el of this.pane.querySelectorAll("[data-action]")) {
      el.tabIndex = 0;
      el.title = el.dataset.action === "exec" ? "Click to run this in the terminal" : "Click to copy";
    }
    this.mark(msg.done, msg.current, false);
  }

  /** progress ticks steps off: done lists every step done (1-based). */
  progress(msg) {
    if (!this.panel || msg.lesson !== this.panel.dataset.lesson) return;
    this.mark(msg.done, msg.current, true);
  }

  mark(done, current, moved) {
    const steps = [...this.panel.querySelectorAll("[data-step]")];
    const set = new Set(done || []);
    for (const s of steps) {
      const n = Number(s.dataset.step);
      if (set.has(n)) s.dataset.done = "true";
      if (n === current) s.dataset.current = "true";
      else delete s.dataset.current;
    }
    const total = steps.length;
    const bar = this.panel.querySelector("#lesson-progress progress");
    if (bar) bar.value = set.size;
    const text = this.panel.querySelector("#lesson-progress-text");
    if (text) text.textContent = `${set.size} of ${total} steps done`;
    const finish = this.panel.querySelector("#lesson-finish");
    if (finish) finish.hidden = set.size < total;
    if (moved) {
      // The next step opens and the view it points at comes into sight.
      // The step that ticked stays as it is: the learner may still be
      // reading it or clicking its last commands.
      if (current <= total) this.open(current);
      else finish?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  /**
   * execBlocks is step n's {{exec}} blocks in order, as {el, text,
   * interrupt}: what a click on each would type.
   */
  execBlocks(n) {
    const step = this.panel?.querySelector(`[data-step="${n}"]`);
    if (!step) return [];
    return [...step.querySelectorAll('[data-action="exec"]')].map((el) => ({
      el, text: blockText(el), interrupt: el.dataset.interrupt === "true",
    }));
  }

  /** doneSteps is the steps the panel shows done. */
  doneSteps() {
    if (!this.panel) return [];
    return [...this.panel.querySelectorAll('[data-step][data-done="true"]')].map((s) => Number(s.dataset.step));
  }

  /** open opens step n and brings it and its view into sight. */
  open(n) {
    const step = this.panel?.querySelector(`[data-step="${n}"]`);
    if (!step) return;
    step.querySelector("details").open = true;
    step.scrollIntoView({ block: "nearest", behavior: "smooth" });
    this.showView(step);
  }

  showView(step) {
    const view = step.dataset.view;
    if (!view) return;
    // Presenter mode (presenter.js) shows the step's view alone.
    this.pane.dispatchEvent(new CustomEvent("lesson-view", { detail: { view, step: Number(step.dataset.step) } }));
    document.getElementById("v-" + view)?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** highlight marks the rows the current step names, in freshly swapped views. */
  highlight(views) {
    for (const el of views.querySelectorAll(".lesson-highlight")) el.classList.remove("lesson-highlight");
    const step = this.panel?.querySelector('[data-step][data-current="true"]');
    const spec = step?.dataset.highlight;
    if (!spec) return;
    for (const pair of spec.split(",")) {
      const i = pair.indexOf(":");
      if (i < 0) continue;
      const key = pair.slice(0, i);
      const value = pair.slice(i + 1);
      for (const row of views.querySelectorAll(`[data-${key}="${CSS.escape(value)}"]`)) row.classList.add("lesson-highlight");
    }
  }

  click(ev) {
    const next = ev.target.closest("[data-next-step]");
    if (next) {
      this.open(Number(next.dataset.nextStep));
      return;
    }
    const step = ev.target.closest("[data-step]");
    if (step && ev.target.closest("summary")) this.showView(step);
    const block = ev.target.closest("[data-action]");
    if (!block || !this.pane.contains(block)) return;
    const text = blockText(block);
    if (block.dataset.action === "exec") {
      this.run(text, block.dataset.interrupt === "true");
      block.classList.add("ran");
    } else if (block.dataset.action === "copy") {
      copy(text).then((ok) => {
        block.classList.toggle("copied", ok);
      });
    }
  }
}

/** blockText is what a code block types or copies: its text without trailing newlines. */
function blockText(block) {
  return block.textContent.replace(/\n+$/, "");
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an insecure origin, a frame): select the
    // text so that Ctrl-C copies it.
    return false;
  }
}
