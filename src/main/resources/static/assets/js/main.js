// Start-up, sign-in and routing: `#/` is the overview, `#/batches/{id}` a batch page.

import { currentSession, signIn, signOut, onUnauthorized, ApiError } from './api.js';
import { h, replace, setText } from './dom.js';
import { showOverview } from './overview.js';
import { showBatch } from './batch-page.js';
import { watchWideTables } from './scroll-cue.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const connection = document.getElementById('connection');

let session = null;
let teardown = () => {};
let flash = null;

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: '',
};

function onConnection(state) {
  connection.dataset.state = state;
  setText(connection, CONNECTION_TEXT[state] ?? state);
}

/** Before a stream reopens: still signed in? (A 401 shows the sign-in form.) */
async function stillSignedIn() {
  const current = await currentSession();
  if (!current) {
    showSignIn('Your session has ended. Sign in again.');
    return false;
  }
  return true;
}

function route() {
  const hash = window.location.hash;
  if (!session || (hash && !hash.startsWith('#/'))) {
    return;
  }
  teardown();
  const match = hash.match(/^#\/batches\/([^/]+)$/);
  if (match) {
    teardown = showBatch(main, decodeURIComponent(match[1]),
      { session, onConnection, beforeReopen: stillSignedIn, flash });
    document.title = 'Batch · Stamped Sync';
  } else {
    teardown = showOverview(main, { onConnection, beforeReopen: stillSignedIn });
    document.title = 'Stamped Sync dashboard';
  }
  flash = null;
}

function showWho() {
  if (!session || !session.auth) {
    replace(who, session ? h('span', { class: 'note' }, 'No sign-in on this gateway') : '');
    return;
  }
  replace(who,
    h('span', { id: 'signed-in-as' }, `${session.name} · ${session.role}`), ' ',
    h('button', { type: 'button', id: 'sign-out', class: 'secondary', onclick: leave }, 'Sign out'));
}

async function leave() {
  // Stop the view and forget the session first: a call of the view answered 401 while
  // signing out must not show the sign-in form a second time under the user's typing.
  teardown();
  teardown = () => {};
  session = null;
  await signOut();
  showSignIn('Signed out.');
}

function showSignIn(message) {
  teardown();
  teardown = () => {};
  session = null;
  showWho();
  onConnection('closed');
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
    spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
  const feedback = h('p', { id: 'sign-in-message', role: 'alert' }, message || '');
  const submit = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h('form', { class: 'panel sign-in', id: 'sign-in-form' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    token,
    h('p', { id: 'token-help', class: 'note' },
      'Your token is exchanged for a session cookie and is not kept by this page.'),
    submit, feedback);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    setText(feedback, '');
    try {
      await signIn(token.value.trim());
      token.value = '';
      await start();
    } catch (error) {
      setText(feedback, error instanceof ApiError ? `Sign-in refused: ${error.message}` : 'The gateway cannot be reached.');
      submit.disabled = false;
      token.select();
    }
  });
  replace(main, form);
  token.focus();
}

async function start() {
  try {
    session = await currentSession();
  } catch (error) {
    replace(main, h('p', { role: 'alert' }, `The gateway cannot be reached: ${error.message}`));
    return;
  }
  if (!session) {
    showSignIn();
    return;
  }
  document.body.dataset.role = session.role;
  showWho();
  route();
}

onUnauthorized(() => {
  if (session) {
    showSignIn('Your session has ended. Sign in again.');
  }
});
document.addEventListener('stamped-sync:flash', (event) => {
  flash = event.detail;
});
window.addEventListener('hashchange', route);
watchWideTables(main);
start();
