// The lab owner's audience controls: "Audience link" makes a read-only
// link (POST /api/labs/{id}/viewers) and shows it to copy; "Revoke all
// links" ends every link and disconnects every follower (DELETE); the
// count of followers comes from the server ("audience" messages).
export class Share {
  constructor(labID, token, message) {
    this.labID = labID;
    this.token = token;
    this.message = message;
    this.button = document.getElementById("share-link");
    this.panel = document.getElementById("share-panel");
    this.url = document.getElementById("share-url");
    this.countEl = document.getElementById("followers");
    if (!this.button) return;
    this.button.addEventListener("click", () => this.make());
    document.getElementById("share-copy").addEventListener("click", () => this.copy());
    document.getElementById("share-revoke").addEventListener("click", () => this.revoke());
    document.getElementById("share-hide").addEventListener("click", () => { this.panel.hidden = true; });
  }

  api(method) {
    return fetch(`/api/labs/${encodeURIComponent(this.labID)}/viewers`, {
      method,
      headers: { Authorization: "Bearer " + this.token },
    });
  }

  async make() {
    try {
      const res = await this.api("POST");
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        this.message(body.error || `Could not make an audience link: HTTP ${res.status}.`);
        return;
      }
      this.url.value = new URL(body.url, location.href).href;
      this.panel.hidden = false;
      this.url.select();
    } catch (err) {
      this.message(`Could not make an audience link: ${err.message}.`);
    }
  }

  async copy() {
    this.url.select();
    try {
      await navigator.clipboard.writeText(this.url.value);
    } catch {
      // Not allowed here (plain http): the link is selected to copy by hand.
    }
  }

  async revoke() {
    try {
      const res = await this.api("DELETE");
      if (!res.ok) {
        this.message(`Could not revoke the audience links: HTTP ${res.status}.`);
        return;
      }
      this.url.value = "";
      this.panel.hidden = true;
      this.message("Every audience link of this lab is revoked; its followers are disconnected.", "info");
    } catch (err) {
      this.message(`Could not revoke the audience links: ${err.message}.`);
    }
  }

  /** count shows an "audience" message: {followers, links}. */
  count(msg) {
    if (!this.countEl) return;
    this.countEl.dataset.followers = String(msg.followers);
    this.countEl.dataset.links = String(msg.links);
    this.countEl.textContent = `${msg.followers} following`;
    this.countEl.title = `${msg.followers} people follow this lab through ${msg.links} audience link${msg.links === 1 ? "" : "s"}`;
    this.countEl.hidden = msg.links === 0 && msg.followers === 0;
  }
}
