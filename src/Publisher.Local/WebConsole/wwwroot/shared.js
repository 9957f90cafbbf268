// What the console's modules share: the page's state, element helpers, the key header, the connection indicator.
// Everything a value or a response carries is shown with textContent, never parsed as markup.

export const $ = (id) => document.getElementById(id);

export const state = {
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

export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) {
    element.className = className;
  }
  if (text !== undefined && text !== null) {
    element.textContent = String(text);
  }
  return element;
}

export function authHeaders(extra) {
  const headers = Object.assign({}, extra);
  if (state.key !== null) {
    headers['x-api-key'] = state.key;
  }
  return headers;
}

export function setConnection(name, text) {
  const connection = $('connection');
  connection.dataset.state = name;
  connection.textContent = text;
}

export function problemText(status, text) {
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
