// The publish form: the request as sent, the response as it came, and when each value published here was sent.
import { $, state, el, authHeaders } from './shared.js';
import { askKey } from './events.js';

const MAX_PENDING = 1000;
const PENDING_TTL_MS = 60_000;
const SHOWN_HEADERS_SKIPPED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

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
export function claimDelivery(subId, topic, kind, value) {
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

function showRequest(path, contentType, bodyText, idempotencyKey) {
  const lines = [`POST ${path}`, `content-type: ${contentType}`];
  if (idempotencyKey) {
    lines.push(`idempotency-key: ${idempotencyKey}`);
  }
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
  // A replay publishes nothing: the single routes say so in a header, a batch per result.
  let replayed = response.headers.get('idempotent-replayed') === 'true';
  try {
    replayed ||= (JSON.parse(text).results || []).some((r) => r && r.replayed === true);
  } catch {
    // not JSON
  }
  $('response-replayed').hidden = !replayed;
}

function showLocalError(message) {
  const view = $('response-view');
  view.dataset.status = 'not-sent';
  view.dataset.responses = String(++state.responses);
  view.classList.add('failed');
  $('response-status').textContent = `Not sent: ${message}`;
  $('response-headers').replaceChildren();
  $('response-body').textContent = '';
  $('response-replayed').hidden = true;
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
  let idempotencyKey = '';
  if (route === 'batch') {
    path = '/batch';
    contentType = 'application/json';
    body = bodyText = $('publish-batch').value;
    messages = batchMessages(body);
  } else {
    const topic = $('publish-topic').value;
    const kind = valueKind();
    const value = $('publish-value').value;
    idempotencyKey = $('publish-idempotency-key').value;
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

  showRequest(path, contentType, bodyText, idempotencyKey);
  const button = $('publish-send');
  button.disabled = true;
  // Noted before sending: the item may arrive before the response.
  const sentAt = performance.now();
  const noted = notePublished(messages, sentAt);
  try {
    const headers = { 'content-type': contentType };
    if (idempotencyKey) {
      headers['idempotency-key'] = idempotencyKey;
    }
    const response = await fetch(path, { method: 'POST', headers: authHeaders(headers), body, cache: 'no-store' });
    const text = await response.text();
    showResponse(response, text, performance.now() - sentAt);
    if (response.status >= 400 || !$('response-replayed').hidden) {
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
