// The local console's entry point: the publish form and the live panel wire themselves up; this asks whether a key
// is needed, then connects.
import { state, setConnection } from './shared.js';
import { askKey, connect } from './events.js';
import './publish.js';
import './live.js';

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
