// The landing page's one action: start a live lab and go to it.
const button = document.getElementById("start");
const message = document.getElementById("start-message");

function show(text, kind) {
  message.textContent = text;
  message.className = "message " + (kind || "");
  message.hidden = false;
}

// The lesson picker's buttons start a lab with their lesson.
const lessonButtons = [...document.querySelectorAll("[data-start-lesson]")];
const allButtons = [button, ...lessonButtons];
function enable(on) {
  for (const b of allButtons) b.disabled = !on;
}

button.addEventListener("click", () => start(null));
for (const b of lessonButtons) b.addEventListener("click", () => start(b.dataset.startLesson));

async function start(lesson) {
  // Kept for the lab page, which reports how long the visitor waited for
  // a prompt after this click.
  const clickedAt = performance.timeOrigin + performance.now();
  enable(false);
  show(lesson ? "Starting your lab with its lesson…" : "Starting your lab…", "info");
  let res, body;
  try {
    const init = { method: "POST" };
    if (lesson) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify({ lesson });
    }
    res = await fetch("/api/labs", init);
    body = await res.json().catch(() => ({}));
  } catch (err) {
    enable(true);
    show(`Could not reach the server (${err.message}). Check your connection and try again.`, "error");
    return;
  }
  if (res.status === 201 && body.url) {
    try {
      sessionStorage.setItem("nslab.clickedAt", String(clickedAt));
    } catch {
      // Storage refused: the lab page just cannot report the wait.
    }
    location.assign(body.url);
    return;
  }
  const why = body.error || `the server answered ${res.status}`;
  const retry = Number.parseInt(res.headers.get("Retry-After") || "", 10);
  if ((res.status === 503 || res.status === 429) && retry > 0) {
    show(`${capital(why)}.`, "error");
    const wait = document.createElement("span");
    wait.className = "wait";
    message.append(" ", wait);
    countdown(wait, retry);
    return;
  }
  enable(true);
  show(`Could not start a lab: ${why}.`, "error");
}

// countdown keeps the button off for the Retry-After the server asked
// for, saying how long is left.
function countdown(el, seconds) {
  const end = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((end - Date.now()) / 1000);
    if (left <= 0) {
      el.textContent = "You can try again now.";
      enable(true);
      return;
    }
    el.textContent = `The button works again in ${left} s.`;
    setTimeout(tick, 1000);
  };
  tick();
}

function capital(s) {
  s = s.replace(/\.$/, "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Coming back to this page with the browser's Back button restores it as
// it was left ("Starting your lab…", button off): start over instead.
window.addEventListener("pageshow", (ev) => {
  if (!ev.persisted) return;
  enable(true);
  message.hidden = true;
});
