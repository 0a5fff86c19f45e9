// The lab page's "Download recording" button: the lab's recording so far
// (docs/recording.md) as a file. A live lab's comes from the server
// (GET /api/labs/{id}/recording with the lab's token), a simulated lab's
// from the simulator in the page, which records the same way.

/** recordingBlob fetches the recording of the lab that transport talks to, with a file name for it. */
export async function recordingBlob(transport, labID) {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  if (!labID) {
    const text = transport.conn?.recording?.();
    if (typeof text !== "string") throw new Error("the simulator has not started yet");
    return { blob: new Blob([text], { type: "application/x-asciicast" }), name: `nslab-sim-${stamp}.cast` };
  }
  const res = await fetch(`/api/labs/${encodeURIComponent(labID)}/recording`, {
    headers: { Authorization: "Bearer " + transport.token },
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error || `HTTP ${res.status}`);
  }
  return { blob: await res.blob(), name: `nslab-${labID}-${stamp}.cast` };
}

/** downloadRecording saves the lab's recording as a file, as a link with a download attribute does. */
export async function downloadRecording(transport, labID) {
  const { blob, name } = await recordingBlob(transport, labID);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
