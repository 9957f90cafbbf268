// The live panel: a pane per subscription, its items, gaps and heartbeats, and the stop, resume and remove buttons.
import { $, state, el, authHeaders, problemText } from './shared.js';
import { claimDelivery } from './publish.js';

const MAX_ITEM_ROWS = 500;

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
