// The local console. Everything a value or a response carries is shown with textContent, never parsed as markup.
'use strict';

(() => {
  const MAX_ITEM_ROWS = 500;
  const MAX_INVOCATION_ROWS = 200;
  const MAX_PENDING = 1000;
  const PENDING_TTL_MS = 60_000;
  const RETRY_MS = 2000;
  const MAX_EVENT_CHARS = 1 << 20;
  const SHOWN_HEADERS_SKIPPED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

  const $ = (id) => document.getElementById(id);

  const state = {
    keyRequired: false,
    key: null,
    pageId: null,
    stream: null,
    retry: null,
    dropped: 0,
    // Responses shown so far: a test (or a person) can tell this answer from the previous one.
    responses: 0,
    // Open subscriptions by the id this page gave them (before asking: their first events may beat the answer).
    subs: new Map(),
    nextSubId: 1,
    // Values this page published and has not seen arrive: key -> [{ at, claimedBy }].
    pending: new Map(),
    pendingCount: 0,
  };

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined && text !== null) {
      element.textContent = String(text);
    }
    return element;
  }

  function authHeaders(extra) {
    const headers = Object.assign({}, extra);
    if (state.key !== null) {
      headers['x-api-key'] = state.key;
    }
    return headers;
  }

  function setConnection(name, text) {
    const connection = $('connection');
    connection.dataset.state = name;
    connection.textContent = text;
  }

  function problemText(status, text) {
    try {
      const problem = JSON.parse(text);
      if (problem && typeof problem === 'object' && problem.detail) {
        return `${status} ${problem.title || ''} ${problem.detail}`.trim();
      }
    } catch {
      // not JSON: shown as it is
    }
    return `${status} ${text}`.trim();
  }

  // ---- API key -------------------------------------------------------------------------------------------------

  function askKey(message) {
    state.key = null;
    $('key-panel').hidden = false;
    $('key-message').textContent = message;
    setConnection('key', 'API key needed');
    $('key-input').focus();
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('key-input');
    if (input.value === '') {
      $('key-message').textContent = 'Enter the key.';
      return;
    }
    // Kept in this page's memory only: a reload asks again.
    state.key = input.value;
    input.value = '';
    $('key-panel').hidden = true;
    $('key-message').textContent = '';
    connect();
  });

  // ---- the event stream (fetch, so the key travels in a header rather than the URL) ------------------------------

  function scheduleRetry() {
    if (state.retry === null) {
      state.retry = setTimeout(() => {
        state.retry = null;
        connect();
      }, RETRY_MS);
    }
  }

  async function connect() {
    if (state.stream) {
      state.stream.abort();
    }
    const controller = new AbortController();
    state.stream = controller;
    setConnection('connecting', 'connecting…');
    let response;
    try {
      response = await fetch('/console/stream', { headers: authHeaders(), cache: 'no-store', signal: controller.signal });
    } catch {
      if (!controller.signal.aborted) {
        setConnection('lost', 'the local service does not answer; retrying…');
        scheduleRetry();
      }
      return;
    }
    if (response.status === 403 && state.keyRequired) {
      askKey('The service refused that key. Enter the key it was started with.');
      return;
    }
    if (!response.ok) {
      setConnection('error', 'event stream refused: ' + problemText(response.status, await response.text()));
      scheduleRetry();
      return;
    }
    try {
      await readEvents(response.body);
    } catch {
      // the connection broke; handled below
    }
    if (controller.signal.aborted) {
      return;
    }
    state.pageId = null;
    for (const sub of [...state.subs.values()]) {
      sub.ended('the event stream was lost');
    }
    setConnection('lost', 'disconnected; retrying…');
    scheduleRetry();
  }

  async function readEvents(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) {
            name = line.slice(7);
          } else if (line.startsWith('data: ')) {
            data += line.slice(6);
          }
        }
        let payload;
        try {
          payload = JSON.parse(data);
        } catch {
          continue;
        }
        dispatch(name, payload);
      }
      if (buffer.length > MAX_EVENT_CHARS) {
        throw new Error('an event larger than the console reads');
      }
    }
  }

  function dispatch(name, event) {
    if (name === 'hello') {
      state.pageId = event.page;
      setConnection('open', `connected · cache ${event.cache}`);
      return;
    }
    if (name === 'invocation') {
      addInvocation(event);
      return;
    }
    if (name === 'dropped') {
      state.dropped += event.count;
      const notice = $('dropped-notice');
      notice.hidden = false;
      notice.dataset.count = String(state.dropped);
      notice.textContent = `${state.dropped} live event(s) were dropped because this page read them too slowly.`;
      return;
    }
    const sub = state.subs.get(event.sub);
    if (!sub) {
      return;
    }
    switch (name) {
      case 'heartbeat': sub.heartbeat(); break;
      case 'item': sub.item(event); break;
      case 'discontinuity': sub.discontinuity(event); break;
      case 'error': sub.error(event); break;
      case 'ended': sub.ended(event.reason === 'error' ? 'ended after the error' : 'stopped'); break;
      default: break;
    }
  }

  // ---- publish-to-delivery times of values published from this page ---------------------------------------------

  function pendingKey(topic, kind, value) {
    return `${topic}\u0000${kind}\u0000${value}`;
  }

  function prunePending(now) {
    for (const [key, list] of state.pending) {
      while (list.length > 0 && now - list[0].at > PENDING_TTL_MS) {
        list.shift();
        state.pendingCount--;
      }
      if (list.length === 0) {
        state.pending.delete(key);
      }
    }
  }

  function notePublished(messages, at) {
    prunePending(at);
    const added = [];
    for (const message of messages) {
      if (state.pendingCount >= MAX_PENDING) {
        break;
      }
      const key = pendingKey(message.topic, message.kind, message.value);
      const entry = { at, claimedBy: new Set() };
      if (!state.pending.has(key)) {
        state.pending.set(key, []);
      }
      state.pending.get(key).push(entry);
      state.pendingCount++;
      added.push([key, entry]);
    }
    return added;
  }

  function forgetPublished(added) {
    for (const [key, entry] of added) {
      const list = state.pending.get(key);
      const index = list ? list.indexOf(entry) : -1;
      if (index >= 0) {
        list.splice(index, 1);
        state.pendingCount--;
      }
    }
  }

  // Each subscription claims the oldest matching publish it has not claimed yet.
  function claimDelivery(subId, topic, kind, value) {
    const list = state.pending.get(pendingKey(topic, kind, value));
    if (!list) {
      return null;
    }
    const entry = list.find((candidate) => !candidate.claimedBy.has(subId));
    if (!entry) {
      return null;
    }
    entry.claimedBy.add(subId);
    return performance.now() - entry.at;
  }

  // ---- publish ---------------------------------------------------------------------------------------------------

  function valueKind() {
    return document.querySelector('input[name="value-kind"]:checked').value;
  }

  function decodeBase64(text) {
    try {
      const binary = atob(text);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
      }
      return bytes;
    } catch {
      return null;
    }
  }

  function canonicalBase64(text) {
    const bytes = decodeBase64(text);
    if (bytes === null) {
      return text;
    }
    let binary = '';
    for (const b of bytes) {
      binary += String.fromCharCode(b);
    }
    return btoa(binary);
  }

  function batchMessages(body) {
    try {
      const parsed = JSON.parse(body);
      if (!parsed || !Array.isArray(parsed.messages)) {
        return [];
      }
      const messages = [];
      for (const m of parsed.messages) {
        if (m && typeof m.topicName === 'string' && typeof m.topicValue === 'string') {
          messages.push({ topic: m.topicName, kind: 'text', value: m.topicValue });
        } else if (m && typeof m.topicName === 'string' && typeof m.topicValueBase64 === 'string') {
          messages.push({ topic: m.topicName, kind: 'binary', value: m.topicValueBase64 });
        }
      }
      return messages;
    } catch {
      return [];
    }
  }

  function showRequest(path, contentType, bodyText) {
    const lines = [`POST ${path}`, `content-type: ${contentType}`];
    if (state.key !== null) {
      lines.push('x-api-key: (the key you entered)');
    }
    lines.push('', bodyText);
    $('request-view').textContent = lines.join('\n');
  }

  function showResponse(response, text, elapsedMs) {
    const view = $('response-view');
    view.dataset.status = String(response.status);
    view.dataset.responses = String(++state.responses);
    view.classList.toggle('failed', !response.ok);
    $('response-status').textContent = `${response.status} ${response.statusText} · ${elapsedMs.toFixed(1)} ms`;
    const headers = $('response-headers');
    headers.replaceChildren();
    for (const [name, value] of response.headers) {
      if (!SHOWN_HEADERS_SKIPPED.has(name)) {
        headers.append(el('dt', null, name), el('dd', null, value));
      }
    }
    let body = text;
    try {
      body = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as it arrived
    }
    $('response-body').textContent = body;
  }

  function showLocalError(message) {
    const view = $('response-view');
    view.dataset.status = 'not-sent';
    view.dataset.responses = String(++state.responses);
    view.classList.add('failed');
    $('response-status').textContent = `Not sent: ${message}`;
    $('response-headers').replaceChildren();
    $('response-body').textContent = '';
  }

  $('publish-route').addEventListener('change', () => {
    const batch = $('publish-route').value === 'batch';
    $('batch-fields').hidden = !batch;
    $('single-fields').hidden = batch;
  });

  $('publish-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const route = $('publish-route').value;
    let path;
    let contentType;
    let body;
    let bodyText;
    let messages;
    if (route === 'batch') {
      path = '/batch';
      contentType = 'application/json';
      body = bodyText = $('publish-batch').value;
      messages = batchMessages(body);
    } else {
      const topic = $('publish-topic').value;
      const kind = valueKind();
      const value = $('publish-value').value;
      if (route === 'topics') {
        path = '/topics';
        contentType = 'application/json';
        body = bodyText = JSON.stringify(kind === 'text' ? { topicName: topic, topicValue: value } : { topicName: topic, topicValueBase64: value });
      } else {
        path = '/topics/' + encodeURIComponent(topic);
        if (kind === 'text') {
          contentType = 'text/plain; charset=utf-8';
          body = bodyText = value;
        } else {
          // This route takes the raw bytes: the page decodes the base64 it was given.
          const bytes = decodeBase64(value);
          if (bytes === null) {
            showLocalError('the value is not base64, and this route sends the decoded bytes.');
            return;
          }
          contentType = 'application/octet-stream';
          body = bytes;
          bodyText = `(${bytes.length} bytes)`;
        }
      }
      messages = [{ topic, kind: kind === 'text' ? 'text' : 'binary', value: kind === 'text' ? value : canonicalBase64(value) }];
    }

    showRequest(path, contentType, bodyText);
    const button = $('publish-send');
    button.disabled = true;
    // Noted before sending: the item may arrive before the response.
    const sentAt = performance.now();
    const noted = notePublished(messages, sentAt);
    try {
      const response = await fetch(path, { method: 'POST', headers: authHeaders({ 'content-type': contentType }), body, cache: 'no-store' });
      const text = await response.text();
      showResponse(response, text, performance.now() - sentAt);
      if (response.status >= 400) {
        forgetPublished(noted);
      }
      if (response.status === 403 && state.keyRequired && text.includes('x-api-key')) {
        askKey('The API refused the key. Enter the key the service was started with.');
      }
    } catch (error) {
      forgetPublished(noted);
      showLocalError(`the local service did not answer (${error.message}).`);
    } finally {
      button.disabled = false;
    }
  });

  // ---- subscriptions ---------------------------------------------------------------------------------------------

  class Subscription {
    constructor(topic) {
      this.topic = topic;
      this.id = null;
      this.lastSeq = null;
      this.lastPage = null;
      this.heartbeats = 0;

      this.root = el('article', 'sub');
      this.root.dataset.topic = topic;
      this.root.dataset.heartbeats = '0';
      const header = el('header');
      this.beat = el('span', 'hb');
      this.beat.title = 'no heartbeat yet';
      this.stateText = el('span', 'state');
      this.position = el('span', 'position', 'nothing received yet');
      this.stopButton = el('button', 'stop', 'Stop');
      this.stopButton.type = 'button';
      this.stopButton.addEventListener('click', () => this.stop());
      this.resumeButton = el('button', 'resume', 'Resume');
      this.resumeButton.type = 'button';
      this.resumeButton.hidden = true;
      this.resumeButton.title = 'Subscribe again after the last item seen: the service replays what it still holds, and reports a gap for the rest';
      this.resumeButton.addEventListener('click', () => this.resume());
      this.closeButton = el('button', 'close', 'Remove');
      this.closeButton.type = 'button';
      this.closeButton.hidden = true;
      this.closeButton.addEventListener('click', () => this.root.remove());
      header.append(this.beat, el('h3', 'topic', topic), this.stateText, this.position, this.stopButton, this.resumeButton, this.closeButton);
      this.list = el('ol', 'items');
      this.root.append(header, this.list);
      $('subscriptions').prepend(this.root);
      this.setState('connecting', 'subscribing…');
    }

    setState(name, text) {
      this.root.dataset.state = name;
      this.stateText.textContent = text;
      const running = name === 'connecting' || name === 'live';
      this.stopButton.hidden = !running;
      this.resumeButton.hidden = running || this.lastSeq === null;
      this.closeButton.hidden = running;
    }

    async open(resume) {
      this.setState('connecting', 'subscribing…');
      if (state.pageId === null) {
        this.setState('failed', 'not connected to the local service');
        return;
      }
      this.id = `p${state.nextSubId++}`;
      state.subs.set(this.id, this);
      const request = { id: this.id, topic: this.topic };
      if (resume) {
        request.resumeAfter = resume.after;
        request.page = resume.page;
        this.addRow('note', `resuming after #${resume.after} on page ${resume.page}`);
      }
      let response;
      let text;
      try {
        response = await fetch(`/console/stream/${encodeURIComponent(state.pageId)}/subscriptions`, {
          method: 'POST',
          headers: authHeaders({ 'content-type': 'application/json' }),
          body: JSON.stringify(request),
          cache: 'no-store',
        });
        text = await response.text();
      } catch (error) {
        this.forget();
        this.setState('failed', `not subscribed: ${error.message}`);
        return;
      }
      if (response.status !== 201) {
        this.forget();
        this.setState('failed', 'not subscribed: ' + problemText(response.status, text));
        this.addRow('error', 'not subscribed: ' + problemText(response.status, text));
        return;
      }
    }

    async stop() {
      if (this.id === null || state.pageId === null) {
        return;
      }
      this.stopButton.disabled = true;
      try {
        await fetch(`/console/stream/${encodeURIComponent(state.pageId)}/subscriptions/${encodeURIComponent(this.id)}`, {
          method: 'DELETE',
          headers: authHeaders(),
          cache: 'no-store',
        });
      } finally {
        this.stopButton.disabled = false;
      }
    }

    resume() {
      if (this.lastSeq !== null) {
        this.open({ after: this.lastSeq, page: this.lastPage });
      }
    }

    heartbeat() {
      this.heartbeats++;
      this.root.dataset.heartbeats = String(this.heartbeats);
      if (this.root.dataset.state === 'connecting') {
        this.setState('live', 'live');
      }
      this.beat.classList.remove('pulse');
      // Restarts the animation: a quiet blink per heartbeat instead of a line.
      void this.beat.offsetWidth;
      this.beat.classList.add('pulse');
      this.beat.title = `${this.heartbeats} heartbeat(s), the last at ${new Date().toLocaleTimeString()}`;
    }

    item(event) {
      const row = el('li', 'item');
      row.dataset.seq = event.seq;
      row.append(el('span', 'seq', `#${event.seq}`), el('span', 'page', `page ${event.page}`));
      let value;
      if (event.kind === 'text') {
        value = el('span', 'value', event.value);
      } else {
        value = el('span', 'value binary', event.base64);
        value.title = `${event.bytes} bytes, shown as base64`;
        row.append(el('span', 'kind', `bytes[${event.bytes}]`));
      }
      row.append(value);
      const delivered = claimDelivery(this.id, event.topic, event.kind, event.kind === 'text' ? event.value : event.base64);
      if (delivered !== null) {
        const latency = el('span', 'latency', `${delivered.toFixed(1)} ms`);
        latency.title = 'from sending the publish on this page to this item arriving here';
        row.append(latency);
      }
      this.append(row);
      this.lastSeq = event.seq;
      this.lastPage = event.page;
      this.position.textContent = `last #${event.seq} · page ${event.page}`;
    }

    discontinuity(event) {
      const text = event.skipped !== null
        ? `discontinuity: ${event.skipped} item${event.skipped === '1' ? '' : 's'} skipped (last #${event.last}, next #${event.next}, page ${event.page})`
        : `discontinuity: the topic restarted on page ${event.page}; numbering restarts at #${event.next} (last seen #${event.last})`;
      const row = this.addRow('gap', text);
      row.dataset.skipped = event.skipped === null ? '' : event.skipped;
      // As the client does: the next item is the one numbered next.
      this.lastSeq = (BigInt(event.next) - 1n).toString();
      this.lastPage = event.page;
    }

    error(event) {
      this.addRow('error', `error ${event.code}: ${event.message}`);
    }

    ended(reason) {
      this.forget();
      this.setState('ended', reason);
    }

    forget() {
      if (this.id !== null) {
        state.subs.delete(this.id);
        this.id = null;
      }
    }

    addRow(className, text) {
      const row = el('li', className, text);
      this.append(row);
      return row;
    }

    append(row) {
      const atBottom = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 4;
      this.list.append(row);
      while (this.list.childElementCount > MAX_ITEM_ROWS) {
        this.list.firstElementChild.remove();
      }
      if (atBottom) {
        this.list.scrollTop = this.list.scrollHeight;
      }
    }
  }

  $('subscribe-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const topic = $('subscribe-topic').value;
    const after = $('subscribe-after').value.trim();
    const page = $('subscribe-page').value.trim();
    $('subscribe-message').textContent = '';
    const sub = new Subscription(topic);
    sub.open(after === '' && page === '' ? null : { after: after || '0', page: page || '0' });
  });

  // ---- invocation records -----------------------------------------------------------------------------------------

  function addInvocation(record) {
    const row = el('tr', record.status >= 500 ? 'err' : record.status >= 400 ? 'warn' : 'ok');
    const stamp = new Date(record.timestamp);
    const time = Number.isNaN(stamp.getTime()) ? '' : `${stamp.toTimeString().slice(0, 8)}.${String(stamp.getMilliseconds()).padStart(3, '0')}`;
    const cells = [
      time,
      record.route,
      record.topic ?? (record.messages > 1 ? `${record.messages} messages` : '—'),
      record.status,
      record.durationMs !== undefined ? `${record.durationMs} ms` : '—',
      record.publishMs !== undefined ? `${record.publishMs} ms` : '—',
      record.coldStart ? 'cold' : '',
      record.errorCode ?? '',
    ];
    const names = ['time', 'route', 'topic', 'status', 'duration', 'publish', 'cold', 'error-code'];
    cells.forEach((text, i) => row.append(el('td', names[i], text)));
    if (record.error) {
      row.title = record.error;
    }
    const body = document.querySelector('#invocations tbody');
    body.prepend(row);
    while (body.childElementCount > MAX_INVOCATION_ROWS) {
      body.lastElementChild.remove();
    }
  }

  // ---- start -----------------------------------------------------------------------------------------------------

  async function start() {
    try {
      const response = await fetch('/console/info', { cache: 'no-store' });
      state.keyRequired = (await response.json()).apiKeyRequired === true;
    } catch {
      setConnection('lost', 'the local service does not answer; reload when it runs.');
      return;
    }
    if (state.keyRequired) {
      askKey('');
    } else {
      connect();
    }
  }

  start();
})();
