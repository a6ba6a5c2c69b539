// Following the session: server-sent events from /api/events (each one is the /api/state
// answer), and polling /api/state every 4 s only while the event stream is down. The browser
// reconnects the stream by itself; a stream the host refused outright is tried again later.

import { api } from "./common.js";

const POLL_MS = 4000;
const RETRY_STREAM_MS = 15000;

export function follow(onState) {
  let source = null;
  let pollTimer = 0;
  let retryTimer = 0;

  function polling(on) {
    clearTimeout(pollTimer);
    pollTimer = 0;
    if (on) pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    const { status, data } = await api("GET", "/api/state");
    if (status === 200) onState(data);
    if (!source || source.readyState !== EventSource.OPEN) polling(true);
  }

  function connect() {
    clearTimeout(retryTimer);
    if (typeof EventSource === "undefined") return polling(true);
    source = new EventSource("/api/events");
    source.addEventListener("state", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      onState(data);
    });
    source.addEventListener("open", () => polling(false));
    source.addEventListener("error", () => {
      // CONNECTING: the browser retries by itself; meanwhile poll. CLOSED: it gave up.
      if (!pollTimer) polling(true);
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        retryTimer = setTimeout(connect, RETRY_STREAM_MS);
      }
    });
  }

  connect();
}
