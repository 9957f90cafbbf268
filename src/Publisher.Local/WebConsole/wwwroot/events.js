// The API key the page asks for, and the event stream: hello, invocation records, drops, and each subscription's events.
import { $, state, el, authHeaders, setConnection, problemText } from './shared.js';

const RETRY_MS = 2000;
const MAX_EVENT_CHARS = 1 << 20;
const MAX_INVOCATION_ROWS = 200;

// ---- API key -------------------------------------------------------------------------------------------------

export function askKey(message) {
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
  // The key travels in a header, which carries printable ASCII only: the browser would refuse to send anything else,
  // and that refusal would read as the service being down.
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(input.value)) {
    $('key-message').textContent = 'That is not a key the service can have been given: an API key is printable ASCII (no spaces at its ends), sent in the x-api-key header.';
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

export async function connect() {
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
