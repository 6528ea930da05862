// Server-Sent Events over fetch(): EventSource cannot send an Authorization header.
// Reconnects with backoff and resumes with Last-Event-ID, so nothing inside the server's replay
// window is missed; a connection that stays silent past the keep-alive is treated as dead.

/** Parses the text/event-stream format incrementally (WHATWG HTML, "event stream interpretation"). */
export class SseParser {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.data = [];
    this.event = '';
    this.id = undefined;
  }

  /** Feeds decoded text; dispatches every complete message. Returns the last `retry:` seen, if any. */
  feed(text) {
    this.buffer += text;
    let retry;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // a lone \r at the very end may be the first half of \r\n: wait for more
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const r = this.line(line);
      if (r !== undefined) retry = r;
    }
    return retry;
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onMessage({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      } else if (this.id !== undefined) {
        this.onMessage({ id: this.id, event: null, data: null });
      }
      this.reset();
      return undefined;
    }
    if (line.startsWith(':')) return undefined; // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data': this.data.push(value); break;
      case 'event': this.event = value; break;
      case 'id': if (!value.includes('\0')) this.id = value; break;
      case 'retry': if (/^\d+$/.test(value)) return Number(value); break;
      default: break;
    }
    return undefined;
  }
}

/**
 * One event stream. `status` is 'connecting', 'open', 'reconnecting', 'unavailable' (the server does
 * not serve the stream), 'denied' (the key may not read it) or 'closed'.
 *
 * options: url (string or () => string), headers (() => object), lastEventId (resume from),
 *          onEvent({id, type, data}), onStatus(status, error), silenceMillis (dead after that long
 *          without a byte; default 45 s, three keep-alives).
 */
export class EventStream {
  constructor(options) {
    this.options = options;
    this.lastEventId = options.lastEventId;
    this.status = 'closed';
    this.delay = 1000;
    this.retryBase = 1000;
    this.controller = null;
    this.timer = null;
    this.watchdog = null;
  }

  start() {
    if (this.status !== 'closed') return;
    this.connect('connecting');
  }

  stop() {
    this.setStatus('closed');
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  setStatus(status, error) {
    if (this.status === status && !error) return;
    this.status = status;
    if (this.options.onStatus) this.options.onStatus(status, error);
  }

  async connect(status) {
    this.setStatus(status);
    const controller = new AbortController();
    this.controller = controller;
    const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    const headers = { Accept: 'text/event-stream', ...(this.options.headers ? this.options.headers() : {}) };
    if (this.lastEventId !== undefined && this.lastEventId !== null) headers['Last-Event-ID'] = String(this.lastEventId);
    let response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (e) {
      if (controller.signal.aborted && this.status === 'closed') return;
      this.retryLater(null);
      return;
    }
    if (this.controller !== controller) return;
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('text/event-stream')) {
      const problem = type.includes('json') ? await response.json().catch(() => null) : null;
      controller.abort();
      const error = { status: response.status, detail: problem && problem.detail ? problem.detail : `HTTP ${response.status}` };
      if (response.status === 401 || response.status === 403) {
        this.setStatus('denied', error);
      } else if (response.ok || [400, 404, 405, 406, 501].includes(response.status)) {
        this.setStatus('unavailable', error);
      } else {
        const after = Number(response.headers.get('Retry-After'));
        this.retryLater(Number.isFinite(after) && after > 0 ? after * 1000 : null);
      }
      return;
    }
    this.setStatus('open');
    this.delay = this.retryBase;
    await this.read(response, controller);
  }

  async read(response, controller) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser((m) => {
      if (m.id !== undefined) this.lastEventId = m.id;
      if (m.data === null) return;
      let data;
      try {
        data = JSON.parse(m.data);
      } catch (e) {
        data = m.data;
      }
      this.options.onEvent({ id: m.id, type: m.event, data });
    });
    const silence = this.options.silenceMillis || 45000;
    const arm = () => {
      clearTimeout(this.watchdog);
      this.watchdog = setTimeout(() => controller.abort(), silence);
    };
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        const retry = parser.feed(decoder.decode(value, { stream: true }));
        if (retry !== undefined) this.retryBase = retry;
      }
    } catch (e) {
      // aborted by stop() or the watchdog, or the connection broke: handled below
    }
    clearTimeout(this.watchdog);
    if (this.status !== 'closed' && this.controller === controller) this.retryLater(null);
  }

  retryLater(millis) {
    if (this.status === 'closed') return;
    this.setStatus('reconnecting');
    const wait = millis !== null && millis !== undefined ? millis : this.delay * (0.75 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, 30000);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.status !== 'closed') this.connect('reconnecting');
    }, wait);
  }
}
