// A simulated lab's lesson progress across a reload. A live lab keeps
// progress on the server; a simulated lab lives in the page, so a reload
// starts a fresh lab. The page remembers which steps were done and, on
// reload, rebuilds the lab's state honestly: it types the {{exec}} blocks
// of those steps again, in order, through the same path a click uses, and
// lets the lesson's checks tick the steps by themselves. Nothing is ticked
// that the rebuilt lab does not back. (`nslab lessons solve` does the same
// for a whole lesson.)
//
// Progress is kept in sessionStorage, keyed by lesson name: it belongs to
// the tab's lab, as the lab does. It survives a reload of the tab; another
// tab on the same lesson is another lab and keeps its own progress; a new
// visit starts afresh, as a live lab started anew would.

const KEY = "nslab.sim.progress.";

/** How long one replayed step may take to tick after its commands ran. */
const TICK_WAIT_MS = 30000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Restorer {
  /**
   * lesson is the page's Lesson; store is {get(key), set(key, value)}
   * (null removes); ready resolves once the fresh shell has printed its
   * first prompt; idle() resolves once what was typed has been typed;
   * notify(text) tells the learner something went wrong.
   */
  constructor(lesson, store, ready, idle, notify) {
    this.lesson = lesson;
    this.store = store;
    this.ready = ready;
    this.idle = idle;
    this.notify = notify;
    this.name = "";
    this.restoring = false;
  }

  /** remembered is the steps remembered as done for the lesson name. */
  remembered(name) {
    try {
      const done = JSON.parse(this.store.get(KEY + name) ?? "[]");
      return Array.isArray(done) ? done.filter((n) => Number.isInteger(n) && n > 0) : [];
    } catch {
      return [];
    }
  }

  remember(done) {
    if (this.name) this.store.set(KEY + this.name, JSON.stringify(done));
  }

  /**
   * shown is called after the panel of a "lesson" message is in place: it
   * adds "Start over" and replays what was remembered. The fresh lab's
   * panel says no step is done; that does not overwrite what is remembered.
   */
  shown() {
    const panel = this.lesson.panel;
    if (!panel || panel.dataset.lesson === this.name) return;
    this.name = panel.dataset.lesson;
    this.addStartOver(panel);
    const k = this.replayable(this.remembered(this.name));
    if (k > 0) this.replay(k);
  }

  /** progress remembers a "progress" message's done steps (not while replaying: they are partial then). */
  progress(msg) {
    if (this.restoring || msg.lesson !== this.name) return;
    this.remember(msg.done || []);
  }

  /**
   * replayable is how many steps can be rebuilt: the leading run of done
   * steps 1..k, stopping at a step with no {{exec}} block, whose state the
   * page has nothing to rebuild from.
   */
  replayable(done) {
    const set = new Set(done);
    let k = 0;
    while (set.has(k + 1) && this.lesson.execBlocks(k + 1).length > 0) k++;
    return k;
  }

  addStartOver(panel) {
    const head = panel.querySelector(".lesson-head");
    if (!head || head.querySelector("[data-start-over]")) return;
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "lesson-start-over";
    btn.dataset.startOver = "";
    btn.textContent = "Start over";
    btn.title = "Forget this lesson's progress and start it again in a fresh simulated lab";
    btn.addEventListener("click", () => {
      this.store.set(KEY + this.name, null);
      this.name = ""; // nothing more is remembered before the page goes
      location.reload();
    });
    head.append(btn);
  }

  /** replay types the exec blocks of steps 1..k, each step waiting for its tick before the next, as solve does. */
  async replay(k) {
    this.restoring = true;
    const panel = this.lesson.panel;
    const notice = document.createElement("p");
    notice.className = "lesson-restoring";
    notice.id = "lesson-restoring";
    notice.setAttribute("role", "status");
    notice.textContent = `Restoring your progress: replaying ${k === 1 ? "step 1" : `steps 1–${k}`}…`;
    panel.querySelector(".lesson-head")?.after(notice);
    let failed = 0;
    try {
      await this.ready;
      for (let n = 1; n <= k; n++) {
        for (const b of this.lesson.execBlocks(n)) {
          this.lesson.run(b.text, b.interrupt);
          b.el.classList.add("ran");
        }
        await this.idle();
        if (!(await this.ticked(n))) {
          failed = n;
          break;
        }
      }
    } finally {
      notice.remove();
      this.restoring = false;
      // What the rebuilt lab backs from now on, as the panel shows it.
      if (this.lesson.panel === panel) this.remember(this.lesson.doneSteps());
    }
    if (failed) {
      this.notify(`Your progress could not be restored from step ${failed} on: replaying it did not tick it. Carry on from there.`);
    }
  }

  /** ticked waits for step n to be marked done, up to TICK_WAIT_MS. */
  async ticked(n) {
    const deadline = performance.now() + TICK_WAIT_MS;
    while (performance.now() < deadline) {
      if (this.lesson.doneSteps().includes(n)) return true;
      await sleep(100);
    }
    return false;
  }
}
